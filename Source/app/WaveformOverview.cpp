#include "app/WaveformOverview.h"

#include "app/CrestLookAndFeel.h"
#include "engine/AudioFileInput.h"

#include <cmath>

namespace crest::app
{

WaveformOverview::WaveformOverview (Workstation& w) : workstation (w)
{
    setName ("WaveformOverview");
    setOpaque (true);
    startTimerHz (30);
}

WaveformOverview::~WaveformOverview()
{
    cancelWorker();
}

void WaveformOverview::cancelWorker()
{
    cancel = true;
    if (worker.joinable())
        worker.join();
    cancel = false;
}

void WaveformOverview::rebuild()
{
    cancelWorker();
    ready = false;
    auto& player = workstation.player();
    programmeLength = player.lengthSamples();
    const auto placements = player.tracks();
    const auto& tracks = workstation.session().tracks;
    const double rate = player.sampleRate();

    struct Job
    {
        std::string path;
        int64_t start, length, skip;
        double gain;
    };
    std::vector<Job> jobs;
    for (size_t i = 0; i < placements.size() && i < tracks.size(); ++i)
        jobs.push_back ({ tracks[i].source, placements[i].start, placements[i].length,
            (int64_t) std::llround (tracks[i].trimInSeconds * rate), juce::Decibels::decibelsToGain (tracks[i].gainDb) });
    const auto folder = workstation.sessionFile().getParentDirectory();
    const auto length = juce::jmax<int64_t> (1, programmeLength);

    worker = std::thread (
        [this, jobs, folder, length]
        {
            std::vector<float> p ((size_t) columns, 0.0f), sumSquares ((size_t) columns, 0.0f), counts ((size_t) columns, 0.0f);
            juce::AudioBuffer<float> buffer (8, 8192);
            for (const auto& job : jobs)
            {
                std::string error;
                const auto file = juce::File::isAbsolutePath (job.path) ? juce::File (job.path) : folder.getChildFile (job.path);
                auto input = engine::AudioFileInput::open (file.getFullPathName().toStdString(), error);
                if (input == nullptr)
                    continue;
                int64_t skipped = 0;
                while (skipped < job.skip && ! cancel)
                {
                    const int n = input->read (buffer, (int) juce::jmin<int64_t> (8192, job.skip - skipped));
                    if (n <= 0)
                        break;
                    skipped += n;
                }
                const int channels = juce::jmin (2, input->info().numChannels);
                int64_t done = 0;
                while (done < job.length && ! cancel)
                {
                    const int n = input->read (buffer, (int) juce::jmin<int64_t> (8192, job.length - done));
                    if (n <= 0)
                        break;
                    for (int i = 0; i < n; ++i)
                    {
                        const auto column
                            = (size_t) juce::jlimit<int64_t> (0, columns - 1, (job.start + done + i) * columns / length);
                        float v = 0.0f;
                        for (int c = 0; c < channels; ++c)
                            v = juce::jmax (v, std::abs (buffer.getSample (c, i)));
                        v *= (float) job.gain;
                        p[column] = juce::jmax (p[column], v);
                        sumSquares[column] += v * v;
                        counts[column] += 1.0f;
                    }
                    done += n;
                }
            }
            for (size_t c = 0; c < (size_t) columns; ++c)
                sumSquares[c] = counts[c] > 0.0f ? std::sqrt (sumSquares[c] / counts[c]) : 0.0f;
            peaks = std::move (p);
            rms = std::move (sumSquares);
            ready = ! cancel;
        });
}

void WaveformOverview::waitUntilReady (int timeoutMs)
{
    const auto until = juce::Time::getMillisecondCounter() + (juce::uint32) timeoutMs;
    while (! ready && juce::Time::getMillisecondCounter() < until)
        juce::Thread::sleep (5);
    timerCallback();
}

void WaveformOverview::timerCallback()
{
    if (ready && shownPeaks.size() != peaks.size())
    {
        if (worker.joinable())
            worker.join();
        shownPeaks = peaks;
        shownRms = rms;
        repaint();
    }
    const auto length = workstation.player().lengthSamples();
    const float x = length > 0 ? (float) workstation.player().position() / (float) length * (float) getWidth() : 0.0f;
    if (std::abs (x - lastPlayheadX) >= 0.5f)
    {
        repaint (juce::Rectangle<int> ((int) lastPlayheadX - 2, 0, 5, getHeight()));
        repaint (juce::Rectangle<int> ((int) x - 2, 0, 5, getHeight()));
        lastPlayheadX = x;
    }
}

void WaveformOverview::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    const auto area = getLocalBounds().toFloat().reduced (0.0f, 16.0f);
    const float mid = area.getCentreY(), half = area.getHeight() * 0.5f;
    auto& player = workstation.player();
    const auto length = player.lengthSamples();

    if (const auto loop = player.loop(); loop && length > 0)
    {
        g.setColour (palette::accent.withAlpha (0.12f));
        g.fillRect (juce::Rectangle<float>::leftTopRightBottom (
            (float) loop->start / length * getWidth(), 0.0f, (float) loop->end / length * getWidth(), (float) getHeight()));
    }

    if (! shownPeaks.empty())
    {
        const int width = getWidth();
        for (int x = 0; x < width; ++x)
        {
            const auto from = (size_t) (x * columns / width),
                       to = (size_t) juce::jmax ((int) from + 1, (x + 1) * columns / width);
            float p = 0.0f, r = 0.0f;
            for (size_t c = from; c < to && c < shownPeaks.size(); ++c)
            {
                p = juce::jmax (p, shownPeaks[c]);
                r = juce::jmax (r, shownRms[c]);
            }
            g.setColour (palette::accent.withAlpha (0.45f));
            g.drawVerticalLine (x, mid - juce::jmin (1.0f, p) * half, mid + juce::jmin (1.0f, p) * half);
            g.setColour (palette::accent);
            g.drawVerticalLine (x, mid - juce::jmin (1.0f, r) * half, mid + juce::jmin (1.0f, r) * half);
        }
    }
    else
    {
        g.setColour (palette::textDim);
        g.setFont (fonts::label (13.0f));
        g.drawText (length > 0 ? "reading the album..." : "no audio loaded: drop audio files or a .crest session here",
            getLocalBounds(), juce::Justification::centred);
    }

    g.setFont (fonts::label (12.0f));
    const auto& tracks = player.tracks();
    for (size_t i = 0; i < tracks.size() && length > 0; ++i)
    {
        const float x = (float) tracks[i].start / (float) length * (float) getWidth();
        g.setColour (palette::text.withAlpha (0.7f));
        g.drawVerticalLine ((int) x, 0.0f, (float) getHeight());
        g.setColour (palette::text);
        g.drawText (juce::String ((int) i + 1) + "  " + juce::String (tracks[i].title),
            juce::Rectangle<float> (x + 4.0f, 1.0f, 200.0f, 14.0f), juce::Justification::centredLeft);
    }

    if (length > 0)
    {
        const float x = (float) player.position() / (float) length * (float) getWidth();
        g.setColour (palette::warning);
        g.fillRect (x - 1.0f, 0.0f, 2.0f, (float) getHeight());
    }
}

void WaveformOverview::seekTo (float x)
{
    const auto length = workstation.player().lengthSamples();
    if (length > 0)
        workstation.player().seek ((int64_t) (juce::jlimit (0.0f, 1.0f, x / (float) getWidth()) * (float) length));
}

void WaveformOverview::mouseDown (const juce::MouseEvent& e)
{
    if (! e.mods.isShiftDown())
        seekTo (e.position.x);
}

void WaveformOverview::mouseDrag (const juce::MouseEvent& e)
{
    const auto length = workstation.player().lengthSamples();
    if (e.mods.isShiftDown() && length > 0)
    {
        const auto a = (int64_t) (juce::jlimit (0.0f, 1.0f, e.mouseDownPosition.x / getWidth()) * length);
        const auto b = (int64_t) (juce::jlimit (0.0f, 1.0f, e.position.x / getWidth()) * length);
        workstation.player().setLoop (live::LoopRegion { juce::jmin (a, b), juce::jmax (a, b) });
        repaint();
        return;
    }
    seekTo (e.position.x);
}

} // namespace crest::app
