// The live player's stages on their own (SessionPlayerTests.cpp and ReferenceTests.cpp test
// them together): the transport's seek hand-over and end of programme, the chain meters'
// reading of the master, the reference player's loudness match, the monitor path's platform
// gain, the device-rate converter, and the deferred freeing of retired objects.

#include "AllocationCounter.h"
#include "LockCounter.h"
#include "TestSignals.h"
#include "live/ChainMeters.h"
#include "live/DeviceRateConverter.h"
#include "live/MonitorPath.h"
#include "live/ProgrammeLayout.h"
#include "live/ReferencePlayer.h"
#include "live/RetiredObjects.h"
#include "live/Transport.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <thread>

using namespace crest;

namespace
{
constexpr double rate = 48000.0;
constexpr int block = 256;

/** A disk thread and a retire list, as the player gives its stages. */
struct StageRig
{
    StageRig() { disk.startThread(); }
    ~StageRig() { disk.stopThread (2000); }
    juce::TimeSliceThread disk { "stage test disk" };
    live::RetiredObjects retired;
};

/** Waits until a stream has `samples` read ahead. */
void waitFor (const live::ProgrammeStream& stream, int samples = block)
{
    for (int i = 0; i < 2000 && ! stream.isBuffered (samples); ++i)
        std::this_thread::sleep_for (std::chrono::milliseconds (1));
}

double rmsDb (const float* samples, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; ++i)
        sum += (double) samples[i] * samples[i];
    return 10.0 * std::log10 (sum / n + 1e-30);
}
} // namespace

TEST_CASE ("The transport seeks after fading out, reports the seek, and stops at the programme's end", "[live][transport]")
{
    StageRig rig;
    const auto path = test::writeWav (test::tempDir() + "/transport-stage.wav", test::sine (rate, 2, 1.0, 500.0, -6.0), rate, 24);
    std::string error;
    auto layout = live::layOutFile (path, 0.5, error);
    REQUIRE (layout.stream != nullptr);
    REQUIRE (layout.tracks.size() == 1);
    CHECK (layout.tracks[0].length == 48000);

    live::Transport transport (rig.disk, rig.retired);
    transport.prepare (rate);
    transport.setProgramme (std::move (layout.stream), std::move (layout.tracks));
    CHECK (transport.lengthSamples() == 48000);
    std::vector<float> l (block), r (block);
    waitFor (*transport.programme());

    // Stopped: silent, nothing pulled.
    auto played = transport.process (l.data(), r.data(), block);
    CHECK_FALSE (played.sounding);
    CHECK (played.position == 0);

    transport.play();
    waitFor (*transport.programme());
    played = transport.process (l.data(), r.data(), block);
    CHECK (played.sounding);
    CHECK (played.position == block);
    CHECK (played.seekedTo == -1);

    // While sounding, a seek first fades out (3 ms, inside one block) and jumps at its end.
    transport.seek (30000);
    played = transport.process (l.data(), r.data(), block);
    CHECK (played.seekedTo == 30000);
    CHECK (played.gain == 0.0f);
    CHECK (l[block - 1] == 0.0f);
    for (int i = 0; i < 200 && transport.position() < 48000 && transport.isPlaying(); ++i)
    {
        waitFor (*transport.programme(), std::min<int> (block, (int) (48000 - transport.position())));
        played = transport.process (l.data(), r.data(), block);
        CHECK (played.seekedTo == -1);
    }
    CHECK_FALSE (transport.isPlaying()); // the end of the programme stops it
    CHECK (transport.position() == 48000);
    CHECK (transport.underruns() == 0);

    // A loop is clamped to the programme; the applied region is what references follow.
    const auto applied = transport.setLoop (live::LoopRegion { 40000, 90000 });
    CHECK (applied.start == 40000);
    CHECK (applied.end == 48000);
    CHECK (transport.setLoop (std::nullopt).end == 0);
    CHECK_FALSE (transport.loop().has_value());
}

TEST_CASE ("The chain meters read the master at the output only, refreshed at 10 Hz and reset on request", "[live][meters]")
{
    live::ChainMeters meters;
    meters.prepare (rate, block);
    const auto tone = test::sine (rate, 2, 4.0, 1000.0, -20.0);
    CHECK_FALSE (meters.master().integratedLufs.has_value());

    // The input meter alone says nothing about the master.
    for (int i = 0; i + block <= tone.getNumSamples(); i += block)
        meters.measureInput (tone.getReadPointer (0, i), tone.getReadPointer (1, i), block);
    CHECK_FALSE (meters.master().integratedLufs.has_value());
    CHECK_FALSE (meters.master().loudness->shortTermLufs().has_value());

    for (int i = 0; i + block <= tone.getNumSamples(); i += block)
        meters.measureOutput (tone.getReadPointer (0, i), tone.getReadPointer (1, i), block);
    const auto reading = meters.master();
    REQUIRE (reading.integratedLufs.has_value());
    const auto shortTerm = reading.loudness->shortTermLufs();
    REQUIRE (shortTerm.has_value());
    CHECK (*reading.integratedLufs == Approx (-20.0).margin (0.1)); // a stereo 1 kHz sine: its peak level
    CHECK (*shortTerm == Approx (*reading.integratedLufs).margin (0.05));
    CHECK (reading.truePeakDb == Approx (-20.0).margin (0.1));
    CHECK (meters.masterIntegratedLufs() == reading.integratedLufs);
    CHECK (meters.masterTruePeakDb() == reading.truePeakDb);

    meters.requestReset();
    std::vector<float> silence ((size_t) rate / 5, 0.0f);
    for (int i = 0; i + block <= (int) silence.size(); i += block)
        meters.measureOutput (silence.data() + i, silence.data() + i, block);
    CHECK_FALSE (meters.master().integratedLufs.has_value());
}

TEST_CASE ("The reference player matches a reference to the master's reading and crossfades to it", "[live][reference]")
{
    StageRig rig;
    const auto path
        = test::writeWav (test::tempDir() + "/reference-stage.wav", test::sine (rate, 2, 6.0, 1000.0, -30.0), rate, 24);
    live::ReferencePlayer references (rig.disk, rig.retired);
    CHECK (references.prepare (rate, block).empty());
    std::string error;
    REQUIRE (references.add ({ path, "quiet sine", 0.0 }, "", 0, std::nullopt, error) == 0);
    CHECK (references.count() == 1);
    for (int i = 0; i < 5000 && ! references.info (0).measured; ++i)
        std::this_thread::sleep_for (std::chrono::milliseconds (1));
    const auto info = references.info (0);
    REQUIRE (info.integratedLufs.has_value());
    CHECK (*info.integratedLufs == Approx (-30.0).margin (0.1));

    // The master reads 10 LU louder: the reference is turned up by 10 dB and heard after the crossfade.
    live::MasterReading master;
    master.integratedLufs = (float) *info.integratedLufs + 10.0f;
    live::TransportBlock transport;
    transport.sounding = true;
    transport.gain = 1.0f;
    std::vector<float> masterLeft (block, 0.0f), masterRight (block, 0.0f), l (block), r (block);
    const int wholePeriods = 240; // five periods of the 1 kHz reference, for its level
    references.listenTo (0);
    int64_t allocations = 0, locks = 0;
    for (int b = 0; b < 200; ++b)
    {
        while (! references.isBuffered (block))
            std::this_thread::sleep_for (std::chrono::milliseconds (1));
        transport.position += block;
        test::AllocationCounter allocationCounter;
        test::LockCounter lockCounter;
        references.process (masterLeft.data(), masterRight.data(), l.data(), r.data(), block, transport, master);
        allocations += allocationCounter.count();
        locks += lockCounter.count();
    }
    CHECK (references.gainDb() == Approx (10.0f).margin (0.01));
    CHECK (rmsDb (l.data(), wholePeriods) == Approx (-30.0 - 3.01 + 10.0).margin (0.05));
    CHECK (allocations == 0);
    CHECK (locks == 0);

    // Back to the master: silence here once the crossfade is over, and no matching gain shown.
    references.listenTo (live::ReferencePlayer::master);
    for (int b = 0; b < 10; ++b)
        references.process (masterLeft.data(), masterRight.data(), l.data(), r.data(), block, transport, master);
    CHECK (rmsDb (l.data(), block) < -200.0);
    CHECK (references.gainDb() == 0.0f);

    // Matching off: the reference as it is.
    references.setMatch (live::ReferenceMatch::off);
    references.listenTo (0);
    for (int b = 0; b < 100; ++b)
    {
        while (! references.isBuffered (block))
            std::this_thread::sleep_for (std::chrono::milliseconds (1));
        references.process (masterLeft.data(), masterRight.data(), l.data(), r.data(), block, transport, master);
    }
    CHECK (rmsDb (l.data(), wholePeriods) == Approx (-30.0 - 3.01).margin (0.05));

    references.clear();
    CHECK (references.count() == 0);
    CHECK (references.listeningTo() == live::ReferencePlayer::master);
}

TEST_CASE ("The monitor path applies the previewed platform's gain to the master's reading", "[live][platform]")
{
    live::MonitorPath monitor;
    monitor.prepare (rate, block);
    live::MasterReading master;
    master.integratedLufs = -20.0f;
    master.truePeakDb = -10.0f;

    auto levelAfter = [&] (live::Platform platform)
    {
        monitor.setPlatformPreview (platform, -14.0, -1.0);
        std::vector<float> l (block), r (block);
        for (int b = 0; b < 20; ++b) // past the 50 ms ramp
        {
            std::fill (l.begin(), l.end(), 0.1f);
            std::fill (r.begin(), r.end(), 0.1f);
            monitor.process (l.data(), r.data(), block, master);
        }
        return 20.0 * std::log10 (l.back() / 0.1);
    };
    CHECK (levelAfter (live::Platform::none) == Approx (0.0).margin (1e-4));
    CHECK (levelAfter (live::Platform::spotify) == Approx (6.0).margin (1e-3)); // -14 LUFS, peak -4 dBTP stays under -1
    CHECK (levelAfter (live::Platform::tidal) == Approx (0.0).margin (1e-4)); // turn-down only
    master.integratedLufs = -8.0f;
    CHECK (levelAfter (live::Platform::appleMusic) == Approx (-8.0).margin (1e-3));

    const auto gain = monitor.platformGain (-8.0f, -10.0f);
    REQUIRE (gain.has_value());
    CHECK (gain->gainDb == Approx (-8.0));
    CHECK_FALSE (monitor.platformGain (std::nullopt, -10.0f).has_value()); // no reading yet

    // Without an integrated reading the preview is level.
    master.integratedLufs.reset();
    CHECK (levelAfter (live::Platform::spotify) == Approx (0.0).margin (1e-4));
}

TEST_CASE ("The device-rate converter turns 44.1 kHz engine blocks into a level 48 kHz signal", "[live]")
{
    live::DeviceRateConverter converter;
    converter.prepare (48000.0, 48000.0, block, block);
    CHECK_FALSE (converter.isConverting());

    const double engineRate = 44100.0;
    converter.prepare (engineRate, rate, block, block);
    REQUIRE (converter.isConverting());
    const auto tone = test::sine (engineRate, 2, 4.0, 1000.0, -6.0);
    int64_t rendered = 0;
    auto render = [&] (float* l, float* r, int n) noexcept
    {
        std::copy (tone.getReadPointer (0, (int) rendered), tone.getReadPointer (0, (int) rendered) + n, l);
        std::copy (tone.getReadPointer (1, (int) rendered), tone.getReadPointer (1, (int) rendered) + n, r);
        rendered += n;
    };
    test::Buffer out (2, 48000 * 3);
    int64_t allocations = 0;
    for (int b = 0; b + block <= out.getNumSamples(); b += block)
    {
        test::AllocationCounter counter;
        converter.process (out.getWritePointer (0, b), out.getWritePointer (1, b), block, render);
        allocations += counter.count();
    }
    CHECK (allocations == 0);
    CHECK (rendered % block == 0); // whole engine blocks only
    CHECK ((double) rendered == Approx (out.getNumSamples() * engineRate / rate).margin (2 * block));

    const int from = 4800, n = 96000;
    int crossings = 0;
    for (int i = from + 1; i < from + n; ++i)
        crossings += (out.getSample (0, i - 1) < 0.0f) != (out.getSample (0, i) < 0.0f) ? 1 : 0;
    CHECK (crossings == Approx (4000).margin (2));
    CHECK (rmsDb (out.getReadPointer (1, from), n) == Approx (-6.0 - 3.0103).margin (0.01));
}

TEST_CASE ("Retired objects are freed two audio blocks later, or at once while no audio runs", "[live][realtime]")
{
    live::RetiredObjects retired;
    auto alive = std::make_shared<int> (1);
    retired.setAudioRunning (true);
    retired.retire (std::make_unique<std::shared_ptr<int>> (alive));
    CHECK (alive.use_count() == 2);
    retired.blockDone();
    retired.collect();
    CHECK (alive.use_count() == 2); // the block that may still hold it has not surely ended
    retired.blockDone();
    retired.collect();
    CHECK (alive.use_count() == 1);
    CHECK (retired.size() == 0);

    retired.retire (std::make_unique<std::shared_ptr<int>> (alive));
    CHECK (retired.size() == 1);
    retired.setAudioRunning (false);
    retired.collect();
    CHECK (alive.use_count() == 1);
    retired.retire (std::unique_ptr<int>()); // nothing to hold
    CHECK (retired.size() == 0);
}
