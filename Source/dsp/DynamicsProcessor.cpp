#include "dsp/DynamicsProcessor.h"

#include <algorithm>
#include <cmath>

namespace crest::dsp
{
namespace
{
    constexpr double pi = 3.14159265358979323846;
    constexpr double dbToNeper = 0.11512925464970229; // ln (10) / 20
    constexpr double minimumHighPassHz = 20.0;

    /** Below this an envelope or mean square is treated as zero: it keeps denormals out of
        the feedback paths of long, quiet tails. */
    constexpr double flushLevel = 1.0e-12;

    double onePoleCoefficient (double seconds, double sampleRate) noexcept
    {
        return seconds > 0.0 ? std::exp (-1.0 / (seconds * sampleRate)) : 0.0;
    }

    /** The response at time t of the hold release (tau1) followed by the attack filter
        (tauA) to a unit step down: the difference of two exponentials. */
    double cascadeResponse (double t, double tau1, double tauA) noexcept
    {
        if (tau1 <= 0.0)
            return std::exp (-t / tauA);
        if (std::abs (tau1 - tauA) < 1.0e-9 * tauA)
            return (1.0 + t / tauA) * std::exp (-t / tauA);
        return (tau1 * std::exp (-t / tau1) - tauA * std::exp (-t / tauA)) / (tau1 - tauA);
    }

    BiquadCoefficients butterworthHighPass (double sampleRate, double frequency) noexcept
    {
        const double k = std::tan (pi * frequency / sampleRate);
        const double sqrt2 = 1.4142135623730951;
        const double norm = 1.0 / (1.0 + sqrt2 * k + k * k);
        BiquadCoefficients c;
        c.b0 = norm;
        c.b1 = -2.0 * norm;
        c.b2 = norm;
        c.a1 = 2.0 * (k * k - 1.0) * norm;
        c.a2 = (1.0 - sqrt2 * k + k * k) * norm;
        return c;
    }

    void flush (double& v) noexcept
    {
        if (v < flushLevel)
            v = 0.0;
    }
} // namespace

double DynamicsProcessor::staticGainReductionDb (double levelDb, double thresholdDb, double ratio, double kneeDb) noexcept
{
    const double s = 1.0 - 1.0 / std::max (1.0, ratio);
    const double over = levelDb - thresholdDb;
    const double halfKnee = 0.5 * std::max (0.0, kneeDb);
    if (over <= -halfKnee)
        return 0.0;
    if (over < halfKnee)
    {
        // Quadratic blend: matches the straight lines in value and slope at both knee edges.
        const double t = over + halfKnee;
        return s * t * t / (4.0 * halfKnee);
    }
    return s * over;
}

double DynamicsProcessor::holdReleaseSeconds (double attackSeconds, double releaseSeconds) noexcept
{
    const double target = std::exp (-1.0);
    if (attackSeconds <= 0.0)
        return releaseSeconds;
    if (cascadeResponse (releaseSeconds, 0.0, attackSeconds) >= target)
        return 0.0;

    // The response at t = release grows with tau1, from below 1/e (tau1 = 0, shown above)
    // to above it (tau1 = release): bisect.
    double low = 0.0, high = releaseSeconds;
    for (int i = 0; i < 60; ++i)
    {
        const double mid = 0.5 * (low + high);
        (cascadeResponse (releaseSeconds, mid, attackSeconds) < target ? low : high) = mid;
    }
    return 0.5 * (low + high);
}

void DynamicsProcessor::prepare (double rate, const DynamicsSettings& initial) noexcept
{
    sampleRate = rate > 0.0 ? rate : 48000.0;
    for (auto* s : { &threshold, &slope, &knee, &makeup, &mix, &link, &detectionBlend, &autoBlend, &highPassAmount, &highPassLog2,
             &midSideFade })
        s->prepare (sampleRate, smoothingSeconds, 0.0f);

    settings = initial;
    rmsCoeff = onePoleCoefficient (rmsSeconds, sampleRate);
    updateTimeConstants();
    applyTargets (true);
    reset();
}

void DynamicsProcessor::setSettings (const DynamicsSettings& s) noexcept
{
    const bool timesChanged = s.attackMs != settings.attackMs || s.releaseMs != settings.releaseMs;

    if (s.stereoMode != settings.stereoMode)
    {
        // Entering a path that is not running: start its detectors where the running path
        // is, so the crossfade moves between two similar gains.
        const bool toMidSide = s.stereoMode == StereoMode::midSide;
        if (! midSideFade.isSmoothing() && midSideFade.value() == (toMidSide ? 0.0f : 1.0f))
        {
            const Path& from = toMidSide ? stereoPath : midSidePath;
            Path& to = toMidSide ? midSidePath : stereoPath;
            Detector average;
            average.meanSquare = 0.5 * (from.channel[0].meanSquare + from.channel[1].meanSquare);
            average.hold = 0.5 * (from.channel[0].hold + from.channel[1].hold);
            average.slow = 0.5 * (from.channel[0].slow + from.channel[1].slow);
            average.envelope = 0.5 * (from.channel[0].envelope + from.channel[1].envelope);
            to.channel[0] = to.channel[1] = average;
        }
    }

    settings = s;
    if (timesChanged)
        updateTimeConstants();
    applyTargets (false);
}

void DynamicsProcessor::reset() noexcept
{
    for (auto* s : { &threshold, &slope, &knee, &makeup, &mix, &link, &detectionBlend, &autoBlend, &highPassAmount, &highPassLog2,
             &midSideFade })
        s->reset (s->targetValue());
    updateCurve();
    updateHighPass (std::exp2 ((double) highPassLog2.value()));
    clearSignalState();
    lastBlockReductionDb = 0.0f;
}

void DynamicsProcessor::clearSignalState() noexcept
{
    stereoPath.reset();
    midSidePath.reset();
    highPass[0].reset();
    highPass[1].reset();
}

void DynamicsProcessor::updateTimeConstants() noexcept
{
    const double attack = std::max (0.01, (double) settings.attackMs) * 0.001;
    const double release = std::max (1.0, (double) settings.releaseMs) * 0.001;
    attackCoeff = onePoleCoefficient (attack, sampleRate);
    holdCoeff = onePoleCoefficient (holdReleaseSeconds (attack, release), sampleRate);
    slowAttackCoeff = onePoleCoefficient (autoReleaseBuildFactor * release, sampleRate);
    slowReleaseCoeff = onePoleCoefficient (autoReleaseSlowFactor * release, sampleRate);
}

void DynamicsProcessor::applyTargets (bool jump) noexcept
{
    const auto set = [jump] (LinearSmoother& s, double v)
    {
        if (jump)
            s.reset ((float) v);
        else
            s.setTarget ((float) v);
    };

    set (threshold, settings.thresholdDb);
    set (slope, 1.0 - 1.0 / std::max (1.0f, settings.ratio));
    set (knee, std::max (0.0f, settings.kneeDb));
    set (makeup, settings.makeupDb);
    set (mix, std::clamp (settings.mixPct, 0.0f, 100.0f) * 0.01);
    set (link, std::clamp (settings.stereoLinkPct, 0.0f, 100.0f) * 0.01);
    set (detectionBlend, settings.detection == DetectionMode::rms ? 1.0 : 0.0);
    set (autoBlend, settings.autoRelease ? 1.0 : 0.0);
    set (midSideFade, settings.stereoMode == StereoMode::midSide ? 1.0 : 0.0);

    const bool highPassOn = settings.sidechainHighPassHz >= minimumHighPassHz;
    if (highPassOn)
    {
        const double f = std::min ((double) settings.sidechainHighPassHz, 0.45 * sampleRate);
        if (jump || (highPassAmount.value() == 0.0f && ! highPassAmount.isSmoothing()))
        {
            // Switching on from fully off: start the filter fresh at its frequency (the
            // amount fades it in, so there is nothing to glide from).
            highPassLog2.reset ((float) std::log2 (f));
            updateHighPass (f);
            highPass[0].reset();
            highPass[1].reset();
        }
        else
        {
            highPassLog2.setTarget ((float) std::log2 (f));
        }
    }
    set (highPassAmount, highPassOn ? 1.0 : 0.0);

    if (jump)
        updateCurve();
}

void DynamicsProcessor::updateCurve() noexcept
{
    thresholdNow = threshold.value();
    slopeNow = slope.value();
    kneeNow = knee.value();
    // Levels below the knee's lower edge need no logarithm: compare squares instead.
    kneeStartSquared = std::pow (10.0, 0.1 * (thresholdNow - 0.5 * kneeNow));
}

void DynamicsProcessor::updateHighPass (double frequency) noexcept
{
    const auto c = butterworthHighPass (sampleRate, std::clamp (frequency, minimumHighPassHz, 0.45 * sampleRate));
    highPass[0].setCoefficients (c);
    highPass[1].setCoefficients (c);
}

double DynamicsProcessor::gainComputer (double levelSquared) const noexcept
{
    if (levelSquared <= kneeStartSquared || slopeNow <= 0.0)
        return 0.0;
    const double over = 10.0 * std::log10 (levelSquared) - thresholdNow;
    const double halfKnee = 0.5 * kneeNow;
    if (halfKnee > 0.0 && over < halfKnee)
    {
        const double t = over + halfKnee;
        return slopeNow * t * t / (4.0 * halfKnee);
    }
    return slopeNow * over;
}

void DynamicsProcessor::runPath (Path& path, double a, double b, double& gainA, double& gainB) noexcept
{
    const double detection = detectionBlend.value();
    const double linkAmount = link.value();
    const double autoAmount = autoBlend.value();
    const double makeupDb = makeup.value();

    double wanted[2];
    const double input[2] = { a, b };
    for (int c = 0; c < 2; ++c)
    {
        auto& d = path.channel[c];
        const double squared = input[c] * input[c];
        d.meanSquare = rmsCoeff * d.meanSquare + (1.0 - rmsCoeff) * squared;
        flush (d.meanSquare);
        wanted[c] = gainComputer (squared + detection * (d.meanSquare - squared));
    }

    // Linking acts on the wanted reduction: 100 % gives both channels the larger one, so
    // a loud left does not pull the image to the right.
    const double larger = std::max (wanted[0], wanted[1]);
    wanted[0] += linkAmount * (larger - wanted[0]);
    wanted[1] += linkAmount * (larger - wanted[1]);

    double gain[2];
    for (int c = 0; c < 2; ++c)
    {
        auto& d = path.channel[c];
        const double g = wanted[c];
        d.hold = std::max (g, holdCoeff * d.hold + (1.0 - holdCoeff) * g);
        d.slow = g > d.slow ? slowAttackCoeff * d.slow + (1.0 - slowAttackCoeff) * g
                            : slowReleaseCoeff * d.slow + (1.0 - slowReleaseCoeff) * g;
        const double held = d.hold + autoAmount * std::max (0.0, d.slow - d.hold);
        d.envelope = attackCoeff * d.envelope + (1.0 - attackCoeff) * held;
        flush (d.hold);
        flush (d.slow);
        flush (d.envelope);

        const double db = makeupDb - d.envelope;
        gain[c] = db == 0.0 ? 1.0 : std::exp (db * dbToNeper);
    }
    gainA = gain[0];
    gainB = gain[1];
}

void DynamicsProcessor::process (float* left, float* right, int numSamples) noexcept
{
    double largestReduction = 0.0;

    for (int i = 0; i < numSamples; ++i)
    {
        if (threshold.isSmoothing() || slope.isSmoothing() || knee.isSmoothing())
        {
            threshold.next();
            slope.next();
            knee.next();
            updateCurve();
        }
        makeup.next();
        link.next();
        detectionBlend.next();
        autoBlend.next();
        const double wet = mix.next();
        const double midSide = midSideFade.next();
        const double highPassMix = highPassAmount.next();
        if (highPassLog2.isSmoothing())
            updateHighPass (std::exp2 ((double) highPassLog2.next()));

        const double l = left[i], r = right[i];
        if (! std::isfinite (l) || ! std::isfinite (r))
        {
            // Silence is the one safe thing to pass on; everything that saw the bad value
            // starts afresh.
            clearSignalState();
            left[i] = right[i] = 0.0f;
            continue;
        }

        double sideL = l, sideR = r;
        if (highPassMix > 0.0)
        {
            sideL += highPassMix * (highPass[0].process (l) - l);
            sideR += highPassMix * (highPass[1].process (r) - r);
        }

        double outL = 0.0, outR = 0.0;
        if (midSide < 1.0)
        {
            double gl, gr;
            runPath (stereoPath, sideL, sideR, gl, gr);
            outL = l * gl;
            outR = r * gr;
            largestReduction = std::max (
                largestReduction, (1.0 - midSide) * std::max (stereoPath.channel[0].envelope, stereoPath.channel[1].envelope));
        }
        if (midSide > 0.0)
        {
            const double m = 0.5 * (l + r), s = 0.5 * (l - r);
            double gm, gs;
            runPath (midSidePath, 0.5 * (sideL + sideR), 0.5 * (sideL - sideR), gm, gs);
            const double ml = gm * m + gs * s, mr = gm * m - gs * s;
            if (midSide < 1.0)
            {
                outL += midSide * (ml - outL);
                outR += midSide * (mr - outR);
            }
            else
            {
                outL = ml;
                outR = mr;
            }
            largestReduction = std::max (
                largestReduction, midSide * std::max (midSidePath.channel[0].envelope, midSidePath.channel[1].envelope));
        }

        left[i] = (float) (wet * outL + (1.0 - wet) * l);
        right[i] = (float) (wet * outR + (1.0 - wet) * r);
    }

    highPass[0].flushDenormals();
    highPass[1].flushDenormals();
    lastBlockReductionDb = (float) largestReduction;
}

} // namespace crest::dsp
