#include "export/VinylChecks.h"

#include "dsp/EqualiserFilters.h"
#include "engine/AudioFileOutput.h"
#include "session/DeliverableTarget.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace crest::delivery
{

namespace
{
    double toDb (double meanSquare) noexcept
    {
        return meanSquare > 1e-30 ? 10.0 * std::log10 (meanSquare) : -300.0;
    }

    std::string clock (double seconds)
    {
        const int whole = (int) std::floor (std::max (0.0, seconds));
        char text[32];
        std::snprintf (text, sizeof (text), "%d:%02d", whole / 60, whole % 60);
        return text;
    }

    std::string fixed (double v, int decimals)
    {
        char text[64];
        std::snprintf (text, sizeof (text), "%.*f", decimals, v);
        return text;
    }
} // namespace

std::optional<VinylSideLimits> vinylSideLimits (int diameterInches, int rpm) noexcept
{
    if (diameterInches == 12 && rpm == 33)
        return VinylSideLimits { 18.0, 22.0, 24.0 };
    if (diameterInches == 12 && rpm == 45)
        return VinylSideLimits { 12.0, 14.5, 15.0 };
    if (diameterInches == 10 && rpm == 33)
        return VinylSideLimits { 12.0, 14.0, 16.0 };
    if (diameterInches == 10 && rpm == 45)
        return VinylSideLimits { 9.0, 10.0, 12.0 };
    if (diameterInches == 7 && rpm == 33)
        return VinylSideLimits { 6.0, 7.0, 8.0 };
    if (diameterInches == 7 && rpm == 45)
        return VinylSideLimits { 4.5, 5.5, 6.5 };
    return std::nullopt;
}

std::vector<VinylSide> vinylSides (const session::VinylPlan& plan, int numTracks, std::string& error)
{
    std::vector<VinylSide> sides;
    const auto& starts = plan.sideStarts;
    if (starts.empty() || starts.front() != 0)
    {
        error = "the first vinyl side must start with track 1";
        return {};
    }
    // Sides are named by letter ("Side A.wav"); past Z the letters would turn into punctuation.
    if (starts.size() > 26)
    {
        error = "a vinyl release has at most 26 sides (A to Z); this one asks for " + std::to_string (starts.size());
        return {};
    }
    for (size_t i = 0; i < starts.size(); ++i)
    {
        if (starts[i] < 0 || starts[i] >= numTracks || (i > 0 && starts[i] <= starts[i - 1]))
        {
            error = "vinyl side " + std::string (1, (char) ('A' + i)) + " starts at track " + std::to_string (starts[i] + 1)
                + ", which is not after the previous side's start and on the album";
            return {};
        }
        VinylSide side;
        side.number = (int) i + 1;
        side.letter = (char) ('A' + i);
        side.firstTrack = starts[i];
        side.lastTrack = i + 1 < starts.size() ? starts[i + 1] - 1 : numTracks - 1;
        sides.push_back (side);
    }
    return sides;
}

void VinylSideMeter::prepare (double sampleRate, int numChannels)
{
    rate = sampleRate;
    channels = std::clamp (numChannels, 1, 2);
    longWindow = std::max (1, (int) std::lround (0.4 * rate));
    shortWindow = std::max (1, (int) std::lround (0.01 * rate));

    const auto design = [&] (Filter& f, dsp::EqBandType type, double hz, int slope)
    {
        dsp::EqBand spec;
        spec.type = type;
        spec.frequencyHz = std::min (hz, 0.45 * rate);
        spec.slopeDbPerOctave = slope;
        const auto cascade = dsp::designEqBand (spec, rate, false); // a meter: the one-section design is plenty
        f.count = cascade.numSections;
        for (int i = 0; i < f.count; ++i)
        {
            f.sections[(size_t) i].setCoefficients (cascade.sections[(size_t) i]);
            f.sections[(size_t) i].reset();
        }
    };
    for (size_t c = 0; c < 2; ++c)
    {
        design (below300[c], dsp::EqBandType::highCut, 300.0, 24);
        design (sibilanceHigh[c], dsp::EqBandType::lowCut, 5000.0, 24);
        design (sibilanceLow[c], dsp::EqBandType::highCut, 10000.0, 24);
        design (above10k[c], dsp::EqBandType::lowCut, 10000.0, 24);
        design (below20[c], dsp::EqBandType::highCut, 20.0, 48);
    }
    design (midBelow150, dsp::EqBandType::highCut, 150.0, 24);
    design (sideBelow150, dsp::EqBandType::highCut, 150.0, 24);

    samples = 0;
    longCount = shortCount = 0;
    lowLL = lowRR = lowLR = mid150 = side150 = high = sub = band = broad = 0.0;
    inBurst = false;
    m = {};
    bassWindows.clear();
    bassWindows.reserve ((size_t) (3600.0 / 0.4) + 1);
}

void VinylSideMeter::process (const float* const* input, int numSamples) noexcept
{
    const bool stereo = channels == 2;
    for (int i = 0; i < numSamples; ++i)
    {
        const double l = input[0][i];
        const double r = stereo ? (double) input[1][i] : l;

        if (stereo)
        {
            const double ll = below300[0].process (l), rr = below300[1].process (r);
            lowLL += ll * ll;
            lowRR += rr * rr;
            lowLR += ll * rr;
            const double mid = midBelow150.process (0.5 * (l + r)), side = sideBelow150.process (0.5 * (l - r));
            mid150 += mid * mid;
            side150 += side * side;
        }
        for (int c = 0; c < channels; ++c)
        {
            const double x = c == 0 ? l : r;
            const double b = sibilanceLow[(size_t) c].process (sibilanceHigh[(size_t) c].process (x));
            const double h = above10k[(size_t) c].process (x);
            const double s = below20[(size_t) c].process (x);
            band += b * b;
            high += h * h;
            sub += s * s;
            broad += x * x;
        }

        ++samples;
        if (++shortCount == shortWindow)
            closeShortWindow();
        if (++longCount == longWindow)
            closeLongWindow();
    }
}

void VinylSideMeter::closeShortWindow() noexcept
{
    const double n = (double) shortCount * channels;
    const double bandDb = toDb (band / n), broadDb = toDb (broad / n);
    const bool burst = bandDb >= VinylThresholds::sibilanceDbfs && bandDb >= broadDb + VinylThresholds::sibilanceDominanceDb;
    if (burst && ! inBurst)
    {
        if (m.sibilanceBursts == 0)
            m.firstSibilanceSeconds = (double) (samples - shortCount) / rate;
        ++m.sibilanceBursts;
    }
    inBurst = burst;
    m.sibilanceMaxDbfs = std::max (m.sibilanceMaxDbfs, bandDb);
    band = broad = 0.0;
    shortCount = 0;
}

void VinylSideMeter::closeLongWindow() noexcept
{
    const double n = (double) longCount;
    const double start = (double) (samples - longCount) / rate;

    if (channels == 2)
    {
        const double correlationLevel = toDb (std::max (lowLL, lowRR) / n), monoLevel = toDb ((mid150 + side150) / n);
        if (std::max (correlationLevel, monoLevel) > VinylThresholds::bassPresentDbfs
            && bassWindows.size() < bassWindows.capacity()) // beyond an hour, later windows go unjudged rather than allocate
        {
            const double correlation = lowLR / std::sqrt (lowLL * lowRR + 1e-300);
            const double ratio = side150 > 0.0 ? 10.0 * std::log10 (side150 / std::max (mid150, 1e-30)) : -300.0;
            bassWindows.push_back (
                { (float) correlationLevel, (float) correlation, (float) monoLevel, (float) std::min (ratio, 300.0), start });
        }
    }

    const double highDb = toDb (high / (n * channels)), subDb = toDb (sub / (n * channels));
    if (highDb > m.highBandMaxDbfs)
    {
        m.highBandMaxDbfs = highDb;
        m.highBandMaxSeconds = start;
    }
    if (subDb > m.subsonicMaxDbfs)
    {
        m.subsonicMaxDbfs = subDb;
        m.subsonicMaxSeconds = start;
    }
    lowLL = lowRR = lowLR = mid150 = side150 = high = sub = 0.0;
    longCount = 0;
}

VinylMeasurements VinylSideMeter::finish() const
{
    // A last partial window counts too (a copy: finish() may be called to peek).
    VinylSideMeter copy = *this;
    if (copy.longCount > copy.longWindow / 4)
        copy.closeLongWindow();
    if (copy.shortCount > 0)
        copy.closeShortWindow();
    copy.m.durationSeconds = (double) samples / rate;

    // Only windows whose bass is within the relative gate of the loudest are judged.
    float loudestCorrelation = -300.0f, loudestMono = -300.0f;
    for (const auto& w : copy.bassWindows)
    {
        loudestCorrelation = std::max (loudestCorrelation, w.correlationLevelDb);
        loudestMono = std::max (loudestMono, w.monoLevelDb);
    }
    for (const auto& w : copy.bassWindows)
    {
        if (w.correlationLevelDb > VinylThresholds::bassPresentDbfs
            && w.correlationLevelDb >= loudestCorrelation + VinylThresholds::bassRelativeGateDb
            && (! copy.m.lowCorrelationMin || w.correlation < *copy.m.lowCorrelationMin))
        {
            copy.m.lowCorrelationMin = w.correlation;
            copy.m.lowCorrelationMinSeconds = w.start;
        }
        if (w.monoLevelDb > VinylThresholds::bassPresentDbfs && w.monoLevelDb >= loudestMono + VinylThresholds::bassRelativeGateDb
            && (! copy.m.lowSideToMidDb || w.sideToMidDb > *copy.m.lowSideToMidDb))
        {
            copy.m.lowSideToMidDb = w.sideToMidDb;
            copy.m.lowSideToMidSeconds = w.start;
        }
    }
    return copy.m;
}

std::vector<DeliveryFinding> vinylFindings (int side, const VinylMeasurements& v, const session::VinylPlan& plan)
{
    std::vector<DeliveryFinding> findings;
    const auto add = [&] (const char* check, Severity severity, std::optional<double> at, std::string message)
    {
        findings.push_back (
            { session::targetName (session::DeliverableTarget::vinyl), check, severity, side, at, std::move (message) });
    };
    const std::string sideName = "Side " + std::string (1, (char) ('A' + side - 1));

    const double minutes = v.durationSeconds / 60.0;
    const std::string format
        = std::to_string (plan.diameterInches) + "-inch at " + (plan.rpm == 33 ? "33 1/3" : std::to_string (plan.rpm)) + " rpm";
    if (const auto limits = vinylSideLimits (plan.diameterInches, plan.rpm))
    {
        const auto length = clock (v.durationSeconds);
        if (minutes > limits->maximumMinutes)
            add ("side-length", Severity::error, std::nullopt,
                sideName + " runs " + length + ", over the " + clock (limits->maximumMinutes * 60) + " most a " + format
                    + " side holds.");
        else if (minutes > limits->normalMinutes)
            add ("side-length", Severity::warning, std::nullopt,
                sideName + " runs " + length + ": a " + format
                    + " side this long must be cut well below normal level (normal level up to "
                    + clock (limits->normalMinutes * 60) + ").");
        else if (minutes > limits->hotMinutes)
            add ("side-length", Severity::info, std::nullopt,
                sideName + " runs " + length + ": fine at normal level, too long to cut hot (up to "
                    + clock (limits->hotMinutes * 60) + ").");
    }
    else
    {
        add ("side-length", Severity::error, std::nullopt,
            "There is no " + format + " record; sides are 7, 10 or 12 inches at 33 or 45 rpm.");
    }

    if (v.lowCorrelationMin && *v.lowCorrelationMin < VinylThresholds::lowCorrelation)
        add ("low-correlation", Severity::warning, v.lowCorrelationMinSeconds,
            sideName + ": below 300 Hz the channels are out of phase (correlation " + fixed (*v.lowCorrelationMin, 2) + " at "
                + clock (v.lowCorrelationMinSeconds)
                + "); the cutter would have to move vertically. Check polarity or narrow the bass.");
    if (v.lowSideToMidDb && *v.lowSideToMidDb > VinylThresholds::lowSideToMidDb)
        add ("bass-not-mono", Severity::warning, v.lowSideToMidSeconds,
            sideName + ": the bass below 150 Hz is not mono (side "
                + (*v.lowSideToMidDb >= 100.0 ? std::string ("with no mid at all")
                                              : fixed (*v.lowSideToMidDb, 1) + " dB against the mid")
                + " at " + clock (v.lowSideToMidSeconds) + "); a mastering engineer would usually make it mono for the cut.");
    if (v.sibilanceBursts > 0)
        add ("sibilance", Severity::warning, v.firstSibilanceSeconds,
            sideName + ": " + std::to_string (v.sibilanceBursts) + " sibilant bursts (5-10 kHz up to "
                + fixed (v.sibilanceMaxDbfs, 1) + " dBFS), the first at " + clock (v.firstSibilanceSeconds)
                + "; de-ess them or they will distort on playback.");
    if (v.highBandMaxDbfs > VinylThresholds::highBandDbfs)
        add ("high-frequency-energy", Severity::warning, v.highBandMaxSeconds,
            sideName + ": strong energy above 10 kHz (" + fixed (v.highBandMaxDbfs, 1) + " dBFS RMS at "
                + clock (v.highBandMaxSeconds) + "); it heats the cutter head and distorts on playback.");
    if (v.subsonicMaxDbfs > VinylThresholds::subsonicDbfs)
        add ("subsonic", Severity::warning, v.subsonicMaxSeconds,
            sideName + ": content below 20 Hz (" + fixed (v.subsonicMaxDbfs, 1) + " dBFS RMS at " + clock (v.subsonicMaxSeconds)
                + "); it wastes groove space and shakes the tonearm. High-pass it.");
    return findings;
}

std::optional<VinylMeasurements> writeVinylSide (
    engine::AudioStream& side, const std::string& path, std::string& error, const std::atomic<bool>* cancel)
{
    const int channels = side.numChannels();
    if (channels < 1 || channels > 2)
    {
        error = path + ": a vinyl side has 1 or 2 channels, the audio has " + std::to_string (channels);
        return std::nullopt;
    }
    std::string why;
    auto output = engine::AudioFileOutput::create (path, side.sampleRate(), channels, 24, why);
    if (output == nullptr)
    {
        error = path + ": " + why;
        return std::nullopt;
    }
    VinylSideMeter meter;
    meter.prepare (side.sampleRate(), channels);

    constexpr int block = 8192;
    std::vector<float> left (block), right (block);
    float* pointers[2] = { left.data(), right.data() };
    for (;;)
    {
        if (cancel != nullptr && cancel->load())
        {
            error = path + ": cancelled";
            return std::nullopt;
        }
        const int n = side.read (pointers, block);
        if (n < 0)
        {
            error = path + ": reading the audio failed: " + side.error();
            return std::nullopt;
        }
        if (n == 0)
            break;
        meter.process (pointers, n);
        if (! output->write (pointers, n))
        {
            error = path + ": the disk refused the write";
            return std::nullopt;
        }
    }
    if (! output->finish (why))
    {
        error = path + ": " + why;
        return std::nullopt;
    }
    return meter.finish();
}

} // namespace crest::delivery
