// The live engine: the player reads ahead on a disk thread, plays sample-exactly (loops,
// seeks, tracks), and its audio thread neither allocates nor locks while it plays, seeks,
// loops, swaps chains, switches to a reference and meters.

#include "AllocationCounter.h"
#include "LockCounter.h"
#include "TestSignals.h"
#include "live/SessionPlayer.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <thread>

using namespace crest;

namespace
{
constexpr double rate = 48000.0;
constexpr int block = 256;

/** A stereo ramp whose every sample is its own index (exact in 32-bit float WAV), so where
    the player is in a file can be read off the output. Right = -left. */
test::Buffer indexRamp (int length)
{
    test::Buffer b (2, length);
    for (int i = 0; i < length; ++i)
    {
        const float v = (float) (i % 65536) / 65536.0f;
        b.setSample (0, i, v);
        b.setSample (1, i, -v);
    }
    return b;
}

/** The index a ramp sample encodes. */
int indexOf (float v)
{
    return (int) std::lround (v * 65536.0f);
}

/** Plays `numBlocks` blocks, waiting for the disk thread between blocks as a real-time clock would. */
test::Buffer pump (live::SessionPlayer& player, int numBlocks, int blockSize = block)
{
    test::Buffer out (2, numBlocks * blockSize);
    for (int b = 0; b < numBlocks; ++b)
    {
        player.waitUntilBuffered (2000);
        player.processBlock (out.getWritePointer (0, b * blockSize), out.getWritePointer (1, b * blockSize), blockSize);
    }
    return out;
}

std::string writeFloatWav (const std::string& name, const test::Buffer& b)
{
    return test::writeWav (test::tempDir() + "/" + name, b, rate, 32);
}

/** Short-term loudness (last 3 s) of a buffer's end. */
double shortTermAtEnd (const test::Buffer& b)
{
    analysis::LoudnessMeter meter;
    meter.prepare (rate, 2);
    const float* channels[] = { b.getReadPointer (0), b.getReadPointer (1) };
    meter.process (channels, b.getNumSamples());
    return meter.shortTermLufs().value_or (-200.0);
}
} // namespace

TEST_CASE ("The player plays a file bit-exactly through an empty chain", "[live]")
{
    const auto ramp = indexRamp ((int) rate * 2);
    const auto path = writeFloatWav ("ramp.wav", ramp);
    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadFile (path, error));
    CHECK (player.lengthSamples() == ramp.getNumSamples());
    REQUIRE (player.tracks().size() == 1);

    player.play();
    const auto out = pump (player, 100);
    // After the 3 ms fade-in every sample is the file's own.
    for (int i = 200; i < out.getNumSamples(); ++i)
    {
        REQUIRE (out.getSample (0, i) == ramp.getSample (0, i));
        REQUIRE (out.getSample (1, i) == ramp.getSample (1, i));
    }
    CHECK (out.getSample (0, 1) < ramp.getSample (0, 1) + 1.0e-9f); // faded in, not cut in
    CHECK (player.position() == 100 * block);
    CHECK (player.underruns() == 0);
}

TEST_CASE ("A loop region plays sample-exactly, over and over", "[live]")
{
    const auto ramp = indexRamp ((int) rate * 3);
    const auto path = writeFloatWav ("ramp-loop.wav", ramp);
    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadFile (path, error));

    // An awkward region: neither end on a block or chunk boundary.
    const int64_t start = 12345, end = 12345 + 7001;
    player.setLoop (live::LoopRegion { start, end });
    player.seek (start);
    player.processBlock (std::vector<float> (block).data(), std::vector<float> (block).data(), block); // posts the seek
    player.play();
    const auto out = pump (player, 200);

    // The sound starts when the seek's pre-roll is done, which the player spreads over blocks
    // (half a block's time each) when the machine is slow: found under ASan at load 8, where it
    // took a block more. The check starts after the first sound and the 3 ms fade-in.
    int first = 0;
    while (first < out.getNumSamples() && out.getSample (0, first) == 0.0f)
        ++first;
    REQUIRE (first < out.getNumSamples() / 2);
    int expected = -1, wraps = 0;
    for (int i = first + (int) (0.005 * rate); i < out.getNumSamples(); ++i)
    {
        const int at = indexOf (out.getSample (0, i));
        if (expected >= 0)
        {
            INFO ("output sample " << i);
            REQUIRE (at == expected);
        }
        expected = at + 1 == (int) end ? (int) start : at + 1;
        wraps += at == (int) start ? 1 : 0;
    }
    CHECK (wraps >= 6);
    CHECK (player.underruns() == 0);
}

TEST_CASE ("Seeking and jumping to tracks land on the exact sample", "[live]")
{
    const auto one = test::sine (rate, 2, 1.0, 440.0, -12.0), two = indexRamp ((int) rate);
    session::Session session;
    session::Track a, b;
    a.source = writeFloatWav ("track-one.wav", one);
    a.gapSeconds = 0.5;
    a.title = "One";
    b.source = writeFloatWav ("track-two.wav", two);
    b.gapSeconds = 0.25;
    session.tracks = { a, b };

    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadSession (session, "", error));
    REQUIRE (player.tracks().size() == 2);
    CHECK (player.tracks()[0].start == 24000);
    CHECK (player.tracks()[1].start == 24000 + 48000 + 12000);
    CHECK (player.tracks()[0].title == "One");
    CHECK (player.lengthSamples() == 24000 + 48000 + 12000 + 48000);

    player.play();
    auto out = pump (player, 100);
    CHECK (out.getMagnitude (0, 0, 24000 - 1) == 0.0f); // the gap is silence
    CHECK (out.getMagnitude (0, 24000, 1000) > 0.0f);
    CHECK (player.currentTrack() == 0);

    player.jumpToTrack (1);
    out = pump (player, 60);
    CHECK (player.currentTrack() == 1);
    // The sample played at programme position p is sample p - start of track two: the last
    // one played sits exactly where the play head says, and the ones before run on without a gap.
    const int last = out.getNumSamples() - 1;
    CHECK (indexOf (out.getSample (0, last)) == (int) (player.position() - 1 - player.tracks()[1].start));
    for (int i = last - 40 * block; i <= last; ++i)
        REQUIRE (indexOf (out.getSample (0, i)) == indexOf (out.getSample (0, i - 1)) + 1);
    CHECK (player.underruns() == 0);
}

TEST_CASE ("Stopping and seeking fade out and in instead of clicking", "[live]")
{
    const auto tone = test::sine (rate, 2, 4.0, 1000.0, -6.0);
    const auto path = writeFloatWav ("tone.wav", tone);
    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadFile (path, error));
    player.play();
    auto out = pump (player, 20);
    player.seek (30000);
    auto after = pump (player, 20);
    player.stop();
    auto stopped = pump (player, 20);

    // A 1 kHz sine at -6 dBFS moves at most 2 pi 1000 / 48000 * 0.5 = 0.065 per sample; a cut
    // would jump by up to 1.
    auto largestStep = [] (const test::Buffer& b)
    {
        float worst = 0.0f;
        for (int i = 1; i < b.getNumSamples(); ++i)
            worst = std::max (worst, std::abs (b.getSample (0, i) - b.getSample (0, i - 1)));
        return worst;
    };
    CHECK (largestStep (out) < 0.08f);
    CHECK (largestStep (after) < 0.08f);
    CHECK (largestStep (stopped) < 0.08f);
    CHECK (stopped.getMagnitude (0, 10 * block, 10 * block) == 0.0f);
    CHECK (! player.isPlaying());
}

TEST_CASE ("The lock counter sees std::mutex and juce::CriticalSection", "[live][realtime]")
{
    std::mutex mutex;
    juce::CriticalSection section;
    test::LockCounter counter;
    {
        std::lock_guard<std::mutex> lock (mutex);
    }
    {
        const juce::ScopedLock lock (section);
    }
    CHECK (counter.count() == 2);
}

TEST_CASE (
    "The audio thread neither allocates nor locks while playing, seeking, looping, swapping chains, switching A/B and metering",
    "[live][realtime]")
{
    const auto music = test::musicLike (rate, 8.0);
    const auto masterPath = test::writeWav (test::tempDir() + "/rt-master.wav", music, rate, 24);
    auto quieter = music;
    quieter.applyGain (0.3f);
    const auto referencePath = test::writeWav (test::tempDir() + "/rt-reference.wav", quieter, rate, 24);

    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadFile (masterPath, error));
    REQUIRE (player.addReference ({ referencePath, "quieter", 1.0 }, "", error) == 0);
    engine::ChainDescription chainA, chainB;
    chainA.modules = { { "eq", "equaliser", false, {} }, { "limiter", "limiter", false, {} } };
    chainB.modules = { { "limiter", "limiter", false, {} }, { "comp", "compressor", false, {} } };
    REQUIRE (player.setChain (chainA, error));
    REQUIRE (player.waitUntilBuffered (2000));
    player.setTranslation (live::Translation::phone);
    player.setPlatformPreview (live::Platform::spotify);
    player.play();

    std::atomic<bool> running { true };
    std::atomic<int64_t> allocations { -1 }, locks { -1 }, blocks { 0 };
    std::thread audio (
        [&]
        {
            std::vector<float> l ((size_t) block), r ((size_t) block);
            for (int i = 0; i < 20; ++i) // warm-up
                player.processBlock (l.data(), r.data(), block);
            test::AllocationCounter allocationCounter;
            test::LockCounter lockCounter;
            while (running.load())
            {
                player.processBlock (l.data(), r.data(), block);
                blocks.fetch_add (1);
                std::this_thread::sleep_for (std::chrono::microseconds (1500)); // about 3.5x real time
            }
            locks.store (lockCounter.count());
            allocations.store (allocationCounter.count());
        });

    auto waitBlocks = [&] (int n)
    {
        const auto target = blocks.load() + n;
        while (blocks.load() < target)
            std::this_thread::sleep_for (std::chrono::milliseconds (1));
    };
    waitBlocks (50);
    player.seek (100000);
    waitBlocks (40);
    player.setLoop (live::LoopRegion { 150000, 160000 });
    player.seek (150000);
    waitBlocks (150);
    for (int swap = 0; swap < 4; ++swap)
    {
        while (! player.setChain (swap % 2 == 0 ? chainB : chainA, error))
        {
            player.collectGarbage();
            std::this_thread::sleep_for (std::chrono::milliseconds (2));
        }
        waitBlocks (30);
    }
    player.listenTo (0);
    waitBlocks (60);
    player.setReferenceStart (live::ReferenceStart::cue);
    player.listenTo (live::SessionPlayer::master);
    waitBlocks (30);
    player.listenTo (0);
    waitBlocks (30);
    player.setLoop (std::nullopt);
    player.setTranslation (live::Translation::club);
    player.setCompareUnprocessed (true);
    waitBlocks (60);
    live::MeterSnapshot snapshot;
    const bool gotMeters = player.readOutputMeters (snapshot);
    player.stop();
    waitBlocks (20);
    running.store (false);
    audio.join();
    player.collectGarbage();

    CHECK (gotMeters);
    CHECK (snapshot.sequence > 0);
    CHECK (blocks.load() > 400);
    CHECK (allocations.load() == 0);
    CHECK (locks.load() == 0);
}

TEST_CASE ("The player refuses bad input with the file and the reason, and keeps what it had", "[live]")
{
    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    CHECK (! player.loadFile (test::tempDir() + "/nowhere.wav", error));
    CHECK (error.find ("nowhere.wav") != std::string::npos);

    const auto good = writeFloatWav ("good.wav", indexRamp (48000));
    REQUIRE (player.loadFile (good, error));
    const auto notAudio = test::tempDir() + "/not-audio.wav";
    juce::File (notAudio).replaceWithText ("RIFF? no.");
    error.clear();
    CHECK (! player.loadFile (notAudio, error));
    CHECK (error.find ("not-audio.wav") != std::string::npos);
    CHECK (player.lengthSamples() == 48000); // the previous programme stays

    // A reference at another rate is no longer refused: it plays converted (issue 10). One whose
    // header claims an absurd rate is, by name and reason.
    const auto at44 = test::writeWav (test::tempDir() + "/ref44.wav", test::sine (44100.0, 2, 1.0, 440.0, -6.0), 44100.0, 24);
    error.clear();
    CHECK (player.addReference ({ at44, "", 0.0 }, "", error) == 0);
    const auto absurd = test::tempDir() + "/ref-absurd.wav";
    {
        juce::MemoryOutputStream header;
        header.write ("RIFF", 4);
        header.writeInt (36 + 400);
        header.write ("WAVEfmt ", 8);
        header.writeInt (16);
        header.writeShort (1);
        header.writeShort (2);
        header.writeInt (10000000); // 10 MHz
        header.writeInt (40000000);
        header.writeShort (4);
        header.writeShort (16);
        header.write ("data", 4);
        header.writeInt (400);
        for (int i = 0; i < 400; ++i)
            header.writeByte (1);
        juce::File (absurd).replaceWithData (header.getData(), header.getDataSize());
    }
    error.clear();
    CHECK (player.addReference ({ absurd, "", 0.0 }, "", error) == -1);
    CHECK (error.find ("ref-absurd.wav") != std::string::npos);
    CHECK (error.find ("sample rate") != std::string::npos);
}

TEST_CASE (
    "A programme at another rate than the device runs the engine at its own rate and is converted for the device", "[live]")
{
    const double fileRate = 44100.0;
    const auto tone = test::sine (fileRate, 2, 3.0, 1000.0, -6.0);
    live::SessionPlayer player;
    player.prepare (rate, block); // a 48 kHz device
    std::string error;
    REQUIRE (player.loadFile (test::writeWav (test::tempDir() + "/tone44.wav", tone, fileRate, 32), error));
    CHECK (player.sampleRate() == fileRate);
    CHECK (player.deviceSampleRate() == rate);
    CHECK (player.lengthSamples() == tone.getNumSamples());
    REQUIRE (player.waitUntilBuffered (2000));
    player.play();

    test::Buffer out (2, block * 300);
    juce::AudioIODeviceCallbackContext context;
    int64_t allocations = 0, locks = 0;
    for (int b = 0; b < 300; ++b)
    {
        player.waitUntilBuffered (2000);
        float* channels[] = { out.getWritePointer (0, b * block), out.getWritePointer (1, b * block) };
        test::AllocationCounter allocationCounter;
        test::LockCounter lockCounter;
        player.audioDeviceIOCallbackWithContext (nullptr, 0, channels, 2, block, context);
        allocations += allocationCounter.count();
        locks += lockCounter.count();
    }
    CHECK (allocations == 0);
    CHECK (locks == 0);
    // About 1.6 s of device time: the engine has played 1.6 s of the file at its own rate.
    CHECK (player.position() == Approx (300 * block * fileRate / rate).margin (block + 16));

    // Still a 1 kHz sine at -6 dBFS at the device's rate: 48 samples a period.
    const int from = 20000, n = 48000;
    int crossings = 0;
    for (int i = from + 1; i < from + n; ++i)
        crossings += (out.getSample (0, i - 1) < 0.0f) != (out.getSample (0, i) < 0.0f) ? 1 : 0;
    CHECK (crossings == Approx (2000).margin (2));
    const double rmsDb = 20.0 * std::log10 (out.getRMSLevel (0, from, n));
    CHECK (rmsDb == Approx (-6.0 - 3.0103).margin (0.01));
    CHECK (player.underruns() == 0);
}

TEST_CASE ("The device callback plays stereo, folds down to one output and silences extra ones", "[live]")
{
    const auto ramp = indexRamp (48000);
    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadFile (writeFloatWav ("callback.wav", ramp), error));
    REQUIRE (player.waitUntilBuffered (2000));
    player.play();

    std::vector<float> a (block), b (block), c (block, 1.0f);
    float* four[] = { a.data(), b.data(), c.data(), nullptr };
    juce::AudioIODeviceCallbackContext context;
    for (int i = 0; i < 4; ++i)
    {
        player.waitUntilBuffered (2000);
        player.audioDeviceIOCallbackWithContext (nullptr, 0, four, 3, block, context);
    }
    CHECK (a[100] == ramp.getSample (0, 3 * block + 100));
    CHECK (b[100] == ramp.getSample (1, 3 * block + 100));
    CHECK (c[100] == 0.0f);

    float* one[] = { a.data() };
    player.waitUntilBuffered (2000);
    player.audioDeviceIOCallbackWithContext (nullptr, 0, one, 1, block, context);
    CHECK (a[100] == 0.0f); // left + right of the ramp cancel in the mono fold-down
}
