#include "TestSignals.h"

#include "dsp/FirDesign.h"
#include "demo/DemoMix.h"

#include <juce_audio_formats/juce_audio_formats.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <unistd.h>

namespace crest::test
{
namespace
{
    constexpr double pi = 3.14159265358979323846;

    void normaliseRms (Buffer& b, double rmsDbfs)
    {
        double sum = 0.0;
        for (int c = 0; c < b.getNumChannels(); ++c)
            for (int i = 0; i < b.getNumSamples(); ++i)
                sum += (double) b.getSample (c, i) * b.getSample (c, i);
        const double rms = std::sqrt (sum / ((double) b.getNumChannels() * b.getNumSamples()));
        b.applyGain ((float) (dbToGain (rmsDbfs) / rms));
    }

    bool writeWith (juce::AudioFormat& format, const std::string& path, const Buffer& buffer, double rate, int bits)
    {
        const juce::File file (path);
        file.deleteFile();
        auto stream = file.createOutputStream();
        if (stream == nullptr)
            return false;
        std::unique_ptr<juce::AudioFormatWriter> writer (
            format.createWriterFor (stream.get(), rate, (unsigned) buffer.getNumChannels(), bits, {}, 0));
        if (writer == nullptr)
            return false;
        stream.release();
        return writer->writeFromAudioSampleBuffer (buffer, 0, buffer.getNumSamples());
    }
} // namespace

double dbToGain (double db)
{
    return std::pow (10.0, db / 20.0);
}

Buffer sine (double rate, int channels, double seconds, double frequency, double peakDbfs, double phaseDegrees)
{
    const int n = (int) std::lround (rate * seconds);
    Buffer b (channels, n);
    const double a = dbToGain (peakDbfs), phase = phaseDegrees * pi / 180.0;
    for (int i = 0; i < n; ++i)
    {
        const auto v = (float) (a * std::sin (2.0 * pi * frequency * i / rate + phase));
        for (int c = 0; c < channels; ++c)
            b.setSample (c, i, v);
    }
    return b;
}

Buffer toneSequence (double rate, const std::vector<std::pair<double, double>>& segments, int channels)
{
    int total = 0;
    for (const auto& [seconds, db] : segments)
        total += (int) std::lround (rate * seconds);

    Buffer b (channels, total);
    int offset = 0;
    for (const auto& [seconds, db] : segments)
    {
        const auto part = sine (rate, channels, seconds, 1000.0, db);
        for (int c = 0; c < channels; ++c)
            b.copyFrom (c, offset, part, c, 0, part.getNumSamples());
        offset += part.getNumSamples();
    }
    return b;
}

Buffer whiteNoise (double rate, int channels, double seconds, double rmsDbfs, unsigned seed)
{
    const int n = (int) std::lround (rate * seconds);
    Buffer b (channels, n);
    std::mt19937 random (seed);
    std::normal_distribution<float> gauss (0.0f, 1.0f);
    for (int c = 0; c < channels; ++c)
        for (int i = 0; i < n; ++i)
            b.setSample (c, i, gauss (random));
    normaliseRms (b, rmsDbfs);
    return b;
}

Buffer pinkNoise (double rate, int channels, double seconds, double rmsDbfs, unsigned seed)
{
    // Paul Kellett's economy pink filter: white noise through three leaky integrators.
    auto b = whiteNoise (rate, channels, seconds, 0.0, seed);
    for (int c = 0; c < channels; ++c)
    {
        double b0 = 0, b1 = 0, b2 = 0;
        auto* x = b.getWritePointer (c);
        for (int i = 0; i < b.getNumSamples(); ++i)
        {
            const double w = x[i];
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            x[i] = (float) (b0 + b1 + b2 + w * 0.1848);
        }
    }
    normaliseRms (b, rmsDbfs);
    return b;
}

Buffer musicLike (double rate, double seconds)
{
    return demo::DemoMix::render (rate, seconds);
}

Buffer transients (double rate, double seconds, unsigned seed)
{
    const int n = (int) std::lround (rate * seconds);
    Buffer b (2, n);
    b.clear();
    std::mt19937 random (seed);
    std::uniform_real_distribution<double> level (-30.0, -3.0), gap (0.15, 1.2), pan (-0.5, 0.5);
    std::normal_distribution<float> gauss (0.0f, 1.0f);

    double t = 0.05;
    while (t < seconds - 0.5)
    {
        const double a = dbToGain (level (random)), p = pan (random);
        const int start = (int) (t * rate);
        for (int i = 0; i < (int) (0.3 * rate) && start + i < n; ++i)
        {
            const double env = std::exp (-i / (0.04 * rate));
            const double v = a * env * (0.6 * std::sin (2.0 * pi * 80.0 * i / rate) + 0.3 * gauss (random));
            b.addSample (0, start + i, (float) (v * (1.0 - p)));
            b.addSample (1, start + i, (float) (v * (1.0 + p)));
        }
        t += gap (random);
    }
    return b;
}

Buffer truePeakCase (int caseNumber, double rate)
{
    const int n = (int) std::lround (rate * 5.0);
    Buffer b (2, n);
    // A sine switched on abruptly is broadband at the switch, and its reconstruction genuinely
    // overshoots there (libebur128 reads case 18 0.6 dB high that way), so the steady tones
    // fade in and out over 50 ms; the peaks in between are the specified ones.
    const int fade = (int) (0.05 * rate);
    const auto fill = [&] (double fraction, double amplitude, double phaseDegrees) {
        for (int i = 0; i < n; ++i)
        {
            const int edge = std::min (i, n - 1 - i);
            const double gain = edge >= fade ? 1.0 : 0.5 - 0.5 * std::cos (pi * edge / fade);
            const auto v = (float) (gain * amplitude * std::sin (2.0 * pi * fraction * i + phaseDegrees * pi / 180.0));
            b.setSample (0, i, v);
            b.setSample (1, i, v);
        }
    };

    switch (caseNumber)
    {
        case 15: fill (0.25, 0.5, 0.0); break;
        case 16: fill (0.25, 0.5, 45.0); break;
        case 17: fill (1.0 / 6.0, 0.5, 60.0); break;
        case 18: fill (0.125, 0.5, 67.5); break;
        case 19: fill (0.25, 1.41, 45.0); break;
        case 20: case 21: case 22: case 23:
        {
            // Built at 4x the rate: an fs/6 sine at 0.5 with one period of an fs/4 sine at
            // 1.0 spliced in at a zero crossing, then decimated at offset 0..3.
            const int offset = caseNumber - 20;
            const int burstStart = 4 * 6 * (int) (rate * 2.5 / 6.0); // a zero crossing of the fs/6 sine near 2.5 s
            const int burstLength = 16;                               // one period of fs/4 at 4x
            for (int i = 0; i < n; ++i)
            {
                const int k = i * 4 + offset;
                double v;
                if (k < burstStart)
                    v = 0.5 * std::sin (2.0 * pi * k / 24.0);
                else if (k < burstStart + burstLength)
                    v = 1.0 * std::sin (2.0 * pi * (k - burstStart) / 16.0);
                else
                    v = 0.5 * std::sin (2.0 * pi * (k - burstStart - burstLength) / 24.0);
                b.setSample (0, i, (float) v);
                b.setSample (1, i, (float) v);
            }
            break;
        }
        default: throw std::invalid_argument ("no such true-peak case");
    }
    return b;
}

Buffer lowPassed (const Buffer& input, double rate, double cutoffHz, int taps)
{
    const auto h = dsp::designKaiserLowPass (taps, cutoffHz / rate, dsp::kaiserBetaForAttenuation (160.0));
    const int delay = taps / 2, n = input.getNumSamples();
    Buffer out (input.getNumChannels(), n);
    for (int c = 0; c < input.getNumChannels(); ++c)
    {
        const float* x = input.getReadPointer (c);
        float* y = out.getWritePointer (c);
        for (int i = 0; i < n; ++i)
        {
            double acc = 0.0;
            const int first = std::max (0, i + delay - n + 1);
            for (int k = first; k < taps; ++k)
            {
                const int j = i + delay - k;
                if (j < 0)
                    break;
                acc += h[(size_t) k] * x[j];
            }
            y[i] = (float) acc;
        }
    }
    return out;
}

analysis::TrackAnalysis analyse (const Buffer& input, double rate, int blockSize)
{
    analysis::TrackAnalyser analyser;
    analyser.prepare (rate, input.getNumChannels());
    Buffer scratch (input.getNumChannels(), blockSize);
    for (int offset = 0; offset < input.getNumSamples(); offset += blockSize)
    {
        const int n = std::min (blockSize, input.getNumSamples() - offset);
        for (int c = 0; c < input.getNumChannels(); ++c)
            scratch.copyFrom (c, 0, input, c, offset, n);
        analyser.process (scratch.getArrayOfWritePointers(), n);
    }
    return analyser.finish();
}

std::string writeWav (const std::string& path, const Buffer& buffer, double rate, int bits)
{
    juce::WavAudioFormat wav;
    if (! writeWith (wav, path, buffer, rate, bits))
        throw std::runtime_error ("cannot write " + path);
    return path;
}

std::string writeFlac (const std::string& path, const Buffer& buffer, double rate, int bits)
{
    juce::FlacAudioFormat flac;
    if (! writeWith (flac, path, buffer, rate, bits))
        throw std::runtime_error ("cannot write " + path);
    return path;
}

std::string tempDir()
{
    struct Root
    {
        // One folder per test process: CTest runs tests in parallel processes, and a shared
        // name would let one process delete another's files at exit.
        Root()
            : dir (juce::File::getSpecialLocation (juce::File::tempDirectory)
                       .getNonexistentChildFile ("crest-tests-" + juce::String ((int) getpid()), "", false))
        {
            dir.createDirectory();
        }
        ~Root() { dir.deleteRecursively(); }
        juce::File dir;
    };
    static Root root;
    static int counter = 0;
    auto dir = root.dir.getChildFile (juce::String (++counter));
    dir.createDirectory();
    return dir.getFullPathName().toStdString();
}

std::pair<int, std::string> run (const std::string& command)
{
    std::string output;
    FILE* pipe = popen (command.c_str(), "r");
    if (pipe == nullptr)
        return { -1, {} };
    char chunk[4096];
    while (const size_t n = std::fread (chunk, 1, sizeof (chunk), pipe))
        output.append (chunk, n);
    const int status = pclose (pipe);
    return { WIFEXITED (status) ? WEXITSTATUS (status) : -1, output };
}

bool haveProgram (const std::string& name)
{
    return run ("command -v " + name + " >/dev/null 2>&1").first == 0;
}

std::string quote (const std::string& path)
{
    std::string q = "'";
    for (char ch : path)
        q += ch == '\'' ? std::string ("'\\''") : std::string (1, ch);
    return q + "'";
}

std::vector<std::string> filesUnder (const std::string& dir)
{
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator (dir))
        if (e.is_regular_file())
            files.push_back (fs::relative (e.path(), dir).string());
    std::sort (files.begin(), files.end());
    return files;
}

} // namespace crest::test
