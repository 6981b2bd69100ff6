#include "analysis/MixCheck.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace crest::analysis
{
namespace
{
    std::string format (const char* pattern, double a, double b = 0.0, double c = 0.0)
    {
        char text[512];
        std::snprintf (text, sizeof (text), pattern, a, b, c);
        return text;
    }

    /** Mean of band levels (in dB, power-averaged) between two frequencies, relative to a
        neutral programme spectrum that falls 2 dB per octave (in 1/3-octave band energy)
        through 1 kHz: roughly the long-term average of commercial releases. */
    double deviationFromNeutral (const std::vector<SpectrumAnalyser::Band>& bands, double lowHz, double highHz)
    {
        double sum = 0.0;
        int n = 0;
        for (const auto& b : bands)
        {
            if (b.centreHz < lowHz || b.centreHz > highHz)
                continue;
            const double neutral = -2.0 * std::log2 (b.centreHz / 1000.0);
            sum += b.levelDb - neutral;
            ++n;
        }
        return n > 0 ? sum / n : 0.0;
    }

    class Collector
    {
    public:
        void add (Severity s, const char* code, std::optional<double> time, std::string message)
        {
            findings.push_back ({ s, code, time, std::move (message) });
        }

        std::vector<Finding> sorted()
        {
            std::stable_sort (findings.begin(), findings.end(), [] (const Finding& a, const Finding& b) {
                return (int) a.severity > (int) b.severity;
            });
            return std::move (findings);
        }

    private:
        std::vector<Finding> findings;
    };

    void checkIntegrity (const TrackAnalysis& a, Collector& out)
    {
        if (a.nonFiniteSamples > 0)
            out.add (Severity::serious, "non-finite-samples", (double) a.firstNonFiniteSample / a.sampleRate,
                     format ("%.0f samples are NaN or infinite (first at ", (double) a.nonFiniteSamples)
                         + clockTime ((double) a.firstNonFiniteSample / a.sampleRate)
                         + "): the file is corrupt or came from a broken export; they were measured as silence.");
    }

    void checkPeaks (const TrackAnalysis& a, Collector& out)
    {
        if (a.clipRuns > 0)
        {
            const double t = (double) a.firstClipSample / a.sampleRate;
            out.add (Severity::serious, "clipping", t,
                     format ("The mix is clipped: %.0f samples sit at full scale in %.0f runs of 3 or more, first at ",
                             (double) a.clippedSamples, (double) a.clipRuns)
                         + clockTime (t) + "; ask for a mix exported without clipping.");
        }

        if (a.truePeakDbtp && *a.truePeakDbtp > 0.0)
        {
            std::optional<double> firstOver;
            for (size_t i = 0; i < a.truePeakSeries.size(); ++i)
                if (a.truePeakSeries[i] > 1.0f)
                {
                    firstOver = (double) i / 10.0;
                    break;
                }
            out.add (Severity::warning, "inter-sample-overs", firstOver,
                     format ("Inter-sample peaks reach %+.1f dBTP", *a.truePeakDbtp)
                         + (firstOver ? " (first over at " + clockTime (*firstOver) + ")" : std::string())
                         + ": they will clip in a DAC or a lossy encoder.");
        }
        else if (a.samplePeakDbfs && *a.samplePeakDbfs > -1.0 && a.clipRuns == 0)
        {
            out.add (Severity::warning, "little-headroom", std::nullopt,
                     format ("Peaks reach %.1f dBFS: there is little headroom left for mastering (around -3 to -6 dBFS is usual).",
                             *a.samplePeakDbfs));
        }

        if (a.plrDb && a.durationSeconds() >= 10.0)
        {
            const bool flat = a.loudnessRangeLu && *a.loudnessRangeLu < 3.0;
            const std::string lra = a.loudnessRangeLu ? format (", loudness range %.1f LU", *a.loudnessRangeLu) : "";
            if (*a.plrDb < 6.0)
                out.add (Severity::serious, "over-limited", std::nullopt,
                         format ("The mix is already heavily limited (peak-to-loudness ratio %.1f dB", *a.plrDb) + lra
                             + "): the transients are gone and cannot be restored; ask for a version without the bus limiter.");
            else if (*a.plrDb < 9.0 || (flat && *a.plrDb < 11.0))
                out.add (Severity::warning, "already-limited", std::nullopt,
                         format ("The mix looks limited already (peak-to-loudness ratio %.1f dB", *a.plrDb) + lra
                             + "); an unlimited version would leave more room for mastering.");
        }
    }

    void checkDc (const TrackAnalysis& a, Collector& out)
    {
        if (! a.dcOffsetDbfs || *a.dcOffsetDbfs < -50.0)
            return;

        size_t worst = 0;
        for (size_t c = 1; c < a.dcOffsetPerChannel.size(); ++c)
            if (std::fabs (a.dcOffsetPerChannel[c]) > std::fabs (a.dcOffsetPerChannel[worst]))
                worst = c;

        out.add (*a.dcOffsetDbfs > -30.0 ? Severity::serious : Severity::warning, "dc-offset", std::nullopt,
                 format ("Channel %.0f carries a DC offset of %.1f dBFS (%.3f %% of full scale): it wastes headroom and "
                         "clicks at edits; a high-pass below 10 Hz removes it.",
                         (double) worst + 1.0, *a.dcOffsetDbfs, 100.0 * std::fabs (a.dcOffsetPerChannel[worst])));
    }

    /** The lowest window correlation among windows loud enough to matter (momentary loudness
        within 15 LU of the integrated loudness): reverb tails and quiet intros are often wide
        and decorrelated without anyone hearing a mono problem. Returns (correlation, time). */
    std::optional<std::pair<double, double>> worstAudibleCorrelation (const TrackAnalysis& a)
    {
        if (! a.integratedLufs)
            return std::nullopt;
        std::optional<std::pair<double, double>> worst;
        const size_t n = std::min (a.correlationSeries.size(), a.momentarySeries.size());
        for (size_t k = 0; k < n; ++k)
        {
            const float c = a.correlationSeries[k], m = a.momentarySeries[k];
            if (std::isfinite (c) && std::isfinite (m) && m >= *a.integratedLufs - 15.0 && (! worst || c < worst->first))
                worst = std::make_pair ((double) c, std::max (0.0, (double) (k + 1) / 10.0 - 0.4));
        }
        return worst;
    }

    void checkStereo (const TrackAnalysis& a, Collector& out)
    {
        if (a.correlation && *a.correlation < -0.5)
        {
            out.add (Severity::serious, "phase-inverted", std::nullopt,
                     format ("The channels are out of phase (correlation %.2f): in mono the mix largely cancels; check the polarity "
                             "of one channel.",
                             *a.correlation));
        }
        else if (a.correlation && *a.correlation < 0.0)
        {
            out.add (Severity::warning, "negative-correlation", std::nullopt,
                     format ("The channels are more out of phase than in phase overall (correlation %.2f): the mix will lose "
                             "body in mono.",
                             *a.correlation));
        }
        else if (const auto worst = worstAudibleCorrelation (a); worst && worst->first < -0.5)
        {
            out.add (Severity::warning, "negative-correlation", worst->second,
                     format ("Phase correlation drops to %.2f at ", worst->first) + clockTime (worst->second)
                         + " in a loud passage: it will thin out in mono.");
        }

        if (a.lowBandMonoFoldDownDb && *a.lowBandMonoFoldDownDb < -3.0)
        {
            out.add (*a.lowBandMonoFoldDownDb < -6.0 ? Severity::serious : Severity::warning, "low-end-mono", std::nullopt,
                     format ("The low end (below 150 Hz) loses %.1f dB when folded to mono (correlation %.2f): bass and kick will "
                             "shrink on mono systems and vinyl; keep the low end centred.",
                             -*a.lowBandMonoFoldDownDb, a.lowBandCorrelation.value_or (0.0)));
        }
        else if (a.monoFoldDownDb && *a.monoFoldDownDb < -4.5 && (! a.correlation || *a.correlation >= 0.0))
        {
            out.add (Severity::warning, "mono-loss", std::nullopt,
                     format ("The mix loses %.1f dB when folded to mono: it relies on very wide or out-of-phase material.",
                             -*a.monoFoldDownDb));
        }
    }

    void checkSource (const TrackAnalysis& a, const DeliveryFormat& f, Collector& out)
    {
        if (! a.integratedLufs)
            return;

        if (f.isLossy)
        {
            out.add (Severity::warning, "lossy-delivery", std::nullopt,
                     "The mix was delivered as " + f.formatName + ": a lossy file is already missing detail; ask for WAV or FLAC.");
        }
        else if (const auto cut = findSpectralCutoff (a.spectrum, 15000.0, std::min (19500.0, a.sampleRate / 2.0 - 1200.0), 25.0))
        {
            out.add (Severity::serious, "lossy-source", std::nullopt,
                     format ("The spectrum stops dead at %.1f kHz (%.0f dB drop): this audio has been through a lossy encoder "
                             "(MP3/AAC) before it was saved as ",
                             cut->frequencyHz / 1000.0, cut->dropDb)
                         + f.formatName + "; ask for the original export.");
        }

        if (a.sampleRate >= 88200.0)
        {
            const auto cut = findSpectralCutoff (a.spectrum, 19500.0, 24500.0, 30.0);
            const double ultrasonic = a.spectrum.bandLevelDb (22500.0, std::min (40000.0, a.sampleRate / 2.0));
            const double audible = a.spectrum.bandLevelDb (20.0, 20000.0);
            if (cut || ultrasonic - audible < -120.0)
                out.add (Severity::warning, "fake-high-resolution", std::nullopt,
                         format ("This %.1f kHz file has no content above %.1f kHz: it was upsampled from 44.1 or 48 kHz and "
                                 "carries no more resolution than its source.",
                                 a.sampleRate / 1000.0, (cut ? cut->frequencyHz : 22050.0) / 1000.0));
        }

        if (! f.isLossy && ! f.isFloatingPoint && f.bitsPerSample <= 16)
            out.add (Severity::warning, "low-bit-depth", std::nullopt,
                     format ("The mix was delivered at %.0f bits: ask for a 24-bit or 32-bit float export so that quiet detail "
                             "and fades are not already dithered or truncated.",
                             (double) f.bitsPerSample));
        else if (! f.isLossy && ! f.isFloatingPoint && f.bitsPerSample > 16 && a.effectiveBits > 0 && a.effectiveBits <= 16)
            out.add (Severity::warning, "padded-bit-depth", std::nullopt,
                     format ("The file is %.0f-bit but only %.0f bits carry audio: it was made from a 16-bit (or lower) export.",
                             (double) f.bitsPerSample, (double) a.effectiveBits));
    }

    void checkEdges (const TrackAnalysis& a, Collector& out)
    {
        if (a.firstAudibleSample < 0)
        {
            out.add (Severity::serious, "silent", std::nullopt, "The file is silent.");
            return;
        }

        const double lead = (double) a.firstAudibleSample / a.sampleRate;
        const double trail = (double) (a.lengthInSamples - 1 - a.lastAudibleSample) / a.sampleRate;
        if (lead >= 2.0)
            out.add (Severity::info, "leading-silence", 0.0, format ("%.1f s of silence before the music starts.", lead));
        if (trail >= 3.0)
            out.add (Severity::info, "trailing-silence", (double) (a.lastAudibleSample + 1) / a.sampleRate,
                     format ("%.1f s of silence after the music ends.", trail));

        const auto db = [] (double x) { return 20.0 * std::log10 (std::max (x, 1.0e-10)); };
        if (a.headPeak > 0.0316)
            out.add (Severity::warning, "abrupt-start", 0.0,
                     format ("The audio starts abruptly at %.1f dBFS within the first 5 ms: it may click; check that the start "
                             "was not cut off.",
                             db (a.headPeak)));
        if (a.tailPeak > 0.0316)
            out.add (Severity::warning, "abrupt-end", a.durationSeconds(),
                     format ("The audio ends abruptly at %.1f dBFS within the last 5 ms: it may click; check that the ending "
                             "(reverb tail, fade) was not cut off.",
                             db (a.tailPeak)));
    }

    void checkTone (const TrackAnalysis& a, Collector& out)
    {
        if (! a.integratedLufs || a.durationSeconds() < 5.0 || a.sampleRate < 32000.0)
            return;

        const auto bands = a.spectrum.thirdOctaveBands();
        const double mid = deviationFromNeutral (bands, 500.0, 2000.0);
        const double low = deviationFromNeutral (bands, 40.0, 120.0) - mid;
        const double lowMid = deviationFromNeutral (bands, 200.0, 500.0) - mid;
        const double presence = deviationFromNeutral (bands, 2500.0, 6300.0) - mid;
        const double air = deviationFromNeutral (bands, 8000.0, 14000.0) - mid;

        // Thresholds are wide on purpose: genres differ (orchestral music is darker than pop);
        // only balances no arrangement explains are reported.
        if (low > 10.0)
            out.add (Severity::warning, "boomy", std::nullopt,
                     format ("Boomy: the low end (40-120 Hz) sits %.1f dB above a neutral balance.", low));
        else if (low < -18.0)
            out.add (Severity::warning, "thin", std::nullopt,
                     format ("Thin: the low end (40-120 Hz) sits %.1f dB below a neutral balance.", -low));
        if (lowMid > 8.0)
            out.add (Severity::warning, "muddy", std::nullopt,
                     format ("Muddy: the low mids (200-500 Hz) sit %.1f dB above a neutral balance.", lowMid));
        if (presence > 8.0)
            out.add (Severity::warning, "harsh", std::nullopt,
                     format ("Harsh: the presence range (2.5-6.3 kHz) sits %.1f dB above a neutral balance.", presence));
        if (air < -22.0)
            out.add (Severity::warning, "dull", std::nullopt,
                     format ("Dull: the top end (8-14 kHz) sits %.1f dB below a neutral balance.", -air));
    }
} // namespace

std::string clockTime (double seconds)
{
    const double minutes = std::floor (seconds / 60.0);
    return format ("%.0f:%04.1f", minutes, seconds - 60.0 * minutes);
}

const char* severityName (Severity s) noexcept
{
    switch (s)
    {
        case Severity::info: return "info";
        case Severity::warning: return "warning";
        case Severity::serious: return "serious";
    }
    return "info";
}

std::optional<SpectralCutoff> findSpectralCutoff (const SpectrumAnalyser& spectrum, double lowestHz, double highestHz,
                                                  double minimumDropDb)
{
    std::optional<SpectralCutoff> best;
    for (double f = lowestHz; f <= highestHz; f += 100.0)
    {
        const double below = spectrum.bandLevelDb (f - 1000.0, f - 200.0);
        const double above = spectrum.bandLevelDb (f + 200.0, f + 1000.0);
        const double drop = below - above;
        if (drop >= minimumDropDb && below > -200.0 && (! best || drop > best->dropDb))
            best = SpectralCutoff { f, drop };
    }
    return best;
}

std::vector<Finding> checkMix (const TrackAnalysis& analysis, const DeliveryFormat& format)
{
    Collector out;
    checkIntegrity (analysis, out);
    checkPeaks (analysis, out);
    checkDc (analysis, out);
    checkStereo (analysis, out);
    checkSource (analysis, format, out);
    checkEdges (analysis, out);
    checkTone (analysis, out);
    return out.sorted();
}

std::optional<Severity> worstSeverity (const std::vector<Finding>& findings) noexcept
{
    std::optional<Severity> worst;
    for (const auto& f : findings)
        if (! worst || (int) f.severity > (int) *worst)
            worst = f.severity;
    return worst;
}

} // namespace crest::analysis
