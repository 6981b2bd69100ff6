// Writes the fuzz targets' seed corpora: small valid files of every kind Crest reads, made by
// Crest's own writers (and JUCE's Ogg writer, and a hand-built RF64 header), never downloaded.
//
// usage: crest_fuzz_seeds OUTDIR   ->  OUTDIR/{audio,session,chain,ddp}/...

#include "FuzzInput.h"
#include "engine/AudioFileOutput.h"
#include "engine/ChainFile.h"
#include "export/DdpImage.h"
#include "export/Mp3Writer.h"
#include "session/SessionFile.h"

#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>

using namespace crest;
namespace fs = std::filesystem;

namespace
{
    std::string slurp (const fs::path& path)
    {
        std::ifstream in (path, std::ios::binary);
        return std::string ((std::istreambuf_iterator<char> (in)), std::istreambuf_iterator<char>());
    }

    void save (const fs::path& path, const std::string& bytes)
    {
        std::ofstream (path, std::ios::binary) << bytes;
    }

    /** A short two-channel tone, on the 16-bit grid (so a DDP writer takes it too). */
    class Tone : public engine::AudioStream
    {
    public:
        Tone (double rate, int64_t samples, int channelCount = 2) : hz (rate), length (samples), channels (channelCount) { }
        double sampleRate() const override { return hz; }
        int numChannels() const override { return channels; }
        int64_t lengthInSamples() const override { return length; }
        int read (float* const* out, int n) override
        {
            n = (int) std::min<int64_t> (n, length - at);
            for (int i = 0; i < n; ++i, ++at)
                for (int c = 0; c < channels; ++c)
                    out[c][i] = std::round (0.25f * std::sin (0.05f * (float) at * (float) (c + 1)) * 32768.0f) / 32768.0f;
            return n;
        }

    private:
        double hz;
        int64_t length, at = 0;
        int channels;
    };

    /** `selector` is the audio target's first byte: which extension the bytes are written as. */
    void audioSeed (const fs::path& dir, const std::string& name, int selector, const fs::path& written)
    {
        save (dir / name, std::string (1, (char) selector) + slurp (written));
    }

    bool writeWith (const std::string& path, double rate, int channels, int bits, int64_t samples)
    {
        std::string error;
        auto out = engine::AudioFileOutput::create (path, rate, channels, bits, error);
        if (out == nullptr)
            return false;
        Tone tone (rate, samples, channels);
        std::vector<float> l (samples), r (samples);
        float* ch[] = { l.data(), r.data() };
        tone.read (ch, (int) samples);
        return out->write (ch, (int) samples) && out->finish (error);
    }
} // namespace

int main (int argc, char** argv)
{
    if (argc != 2)
    {
        std::cerr << "usage: crest_fuzz_seeds OUTDIR\n";
        return 2;
    }
    const fs::path out (argv[1]);
    const auto work = out / "work";
    for (const auto* kind : { "audio", "mp3", "session", "chain", "ddp", "notes", "work" })
        fs::create_directories (out / kind);

    // Audio: WAV 16/24/float, mono and stereo, AIFF, FLAC, RF64, Ogg Vorbis, MP3.
    const auto w = [&] (const std::string& n) { return (work / n).string(); };
    bool ok = writeWith (w ("a16.wav"), 44100, 2, 16, 256) && writeWith (w ("a24.wav"), 48000, 1, 24, 200)
              && writeWith (w ("f32.wav"), 96000, 2, 32, 128) && writeWith (w ("a.aiff"), 44100, 2, 24, 200)
              && writeWith (w ("a.flac"), 44100, 2, 16, 1200);
    if (! ok)
    {
        std::cerr << "crest_fuzz_seeds: could not write the audio seeds\n";
        return 1;
    }
    audioSeed (out / "audio", "wav16", 0, work / "a16.wav");
    audioSeed (out / "audio", "wav24-mono", 0, work / "a24.wav");
    audioSeed (out / "audio", "wav-float", 0, work / "f32.wav");
    audioSeed (out / "audio", "aiff", 1, work / "a.aiff");
    audioSeed (out / "audio", "flac", 2, work / "a.flac");
    {
        // RF64 (EBU Tech 3306): "RF64", sizes of 0xFFFFFFFF, the real ones in a ds64 chunk.
        const auto wav = slurp (work / "a16.wav");
        const auto fmtAt = wav.find ("fmt "), dataAt = wav.find ("data");
        if (fmtAt != std::string::npos && dataAt != std::string::npos)
        {
            const auto le = [] (uint64_t v, int bytes) {
                std::string s;
                for (int i = 0; i < bytes; ++i)
                    s += (char) ((v >> (8 * i)) & 0xff);
                return s;
            };
            const std::string body = wav.substr (fmtAt, dataAt - fmtAt);
            const std::string pcm = wav.substr (dataAt + 8);
            const std::string ds64 = "ds64" + le (28, 4) + le (4 + 36 + body.size() + 8 + pcm.size(), 8) + le (pcm.size(), 8)
                                     + le (pcm.size() / 4, 8) + le (0, 4);
            const std::string rf64 = "RF64" + le (0xffffffff, 4) + "WAVE" + ds64 + body + "data" + le (0xffffffff, 4) + pcm;
            save (out / "audio" / "rf64", std::string (1, '\0') + rf64);
        }
    }
    {
        juce::OggVorbisAudioFormat ogg;
        const juce::File file (w ("a.ogg"));
        file.deleteFile();
        if (auto stream = file.createOutputStream())
        {
            std::unique_ptr<juce::AudioFormatWriter> writer (ogg.createWriterFor (stream.get(), 44100, 2, 16, {}, 0));
            if (writer != nullptr)
            {
                stream.release(); // the writer owns it now
                Tone tone (44100, 4410);
                juce::AudioBuffer<float> b (2, 4410);
                tone.read (b.getArrayOfWritePointers(), 4410);
                writer->writeFromAudioSampleBuffer (b, 0, 4410);
            }
        }
        audioSeed (out / "audio", "ogg", 3, work / "a.ogg");
    }
    {
        Tone tone (44100, 4410);
        std::string error;
        delivery::TrackTags tags;
        tags.title = "Seed";
        // The MP3 target's seeds are the files as they are (no selector byte).
        if (delivery::writeMp3 (tone, w ("a.mp3"), delivery::Mp3Mode::cbr320, tags, error))
        {
            audioSeed (out / "audio", "mp3", 4, work / "a.mp3");
            save (out / "mp3" / "cbr320", slurp (work / "a.mp3"));
        }
        // Mono, 32 kHz (other band tables), VBR with LAME's Info tag: the other paths of the MP3
        // reader (libmpg123) and its gapless trim. (Crest's writer takes 32, 44.1 and 48 kHz.)
        Tone mono (32000, 4410, 1);
        if (delivery::writeMp3 (mono, w ("b.mp3"), delivery::Mp3Mode::v0, tags, error))
        {
            audioSeed (out / "audio", "mp3-mono-32k-vbr", 4, work / "b.mp3");
            save (out / "mp3" / "mono-32k-vbr", slurp (work / "b.mp3"));
        }
        else
            std::cerr << "crest_fuzz_seeds: no mono VBR MP3 seed (" << error << ")\n";
    }

    // Chains: every preset shipped, and a one-module chain.
    engine::ChainDescription chain;
    chain.modules.push_back ({ "master-limiter", "limiter", false, {} });
    save (out / "chain" / "limiter.json", engine::ChainFile::toJson (chain));
    for (const auto& preset : fs::directory_iterator (fs::path (CREST_SOURCE_DIR) / "Resources" / "presets"))
        save (out / "chain" / preset.path().filename(), slurp (preset.path()));

    // Sessions: a small album with every kind of field set.
    session::Session s;
    s.album.title = "Seed Album";
    s.album.performer = "Seeds";
    s.album.upc = "036000291452";
    s.album.year = 2026;
    s.chain = chain;
    for (int i = 0; i < 2; ++i)
    {
        session::Track t;
        t.source = "track-" + std::to_string (i + 1) + ".wav";
        t.title = "Track " + std::to_string (i + 1);
        t.isrc = "GBABC260000" + std::to_string (i + 1);
        t.gapSeconds = 2.0;
        t.fadeOut = { 1.0, session::FadeCurve::sCurve };
        if (i == 1)
            t.crossfade = session::Fade { 0.5, session::FadeCurve::equalPower };
        s.tracks.push_back (t);
    }
    using T = session::DeliverableTarget;
    s.deliverables.targets = { T::cd, T::ddp, T::streaming, T::mp3, T::vinyl };
    save (out / "session" / "album.crest", session::SessionFile::toJson (s, work.string()));

    // DDP: a two-track image, its audio cut to two sectors (the structure is what is read).
    album::CdLayout disc;
    disc.upc = "5012345678900";
    disc.text.title = "Seed";
    album::CdTrack one, two;
    one.number = 1;
    one.startFrame = 150;
    one.indexFrames = { 160 };
    one.endFrame = 180;
    one.isrc = "GBABC2600001";
    one.text.title = "One";
    two.number = 2;
    two.pregapFrame = 180;
    two.startFrame = 190;
    two.endFrame = 220;
    disc.tracks = { one, two };
    disc.totalFrames = 220;
    Tone discAudio (44100, 220 * 588);
    std::string error;
    if (! delivery::writeDdpImage (disc, discAudio, (work / "ddp").string(), error))
    {
        std::cerr << "crest_fuzz_seeds: " << error << "\n";
        return 1;
    }
    fuzz::NamedFiles files;
    for (const auto& f : fs::directory_iterator (work / "ddp"))
    {
        auto bytes = slurp (f.path());
        if (f.path().filename() == "IMAGE.DAT")
            bytes.resize (2 * 2352);
        files.emplace_back (f.path().filename().string(), bytes);
    }
    std::sort (files.begin(), files.end());
    save (out / "ddp" / "two-tracks", fuzz::packFiles (files));

    // Notes: what the review page's "Send notes" saves (Resources/review/README.md): a point
    // note and a range note, on tracks 1 and 3 and both versions the fuzz target's album has.
    save (out / "notes" / "two-notes.json",
          R"({"format": "crest-notes", "formatVersion": 1, "album": "Fuzz Album", "notes": [)"
          R"({"track": 1, "version": "v1 proof", "timeSeconds": 5, "endSeconds": 10, "author": "client", "text": "Vocal too far back"},)"
          R"({"track": 3, "version": "v2", "timeSeconds": 12.5, "author": "client", "text": "Snare a bit loud"}]})");

    fs::remove_all (work);
    std::cout << "seeds written to " << out.string() << "\n";
    return 0;
}
