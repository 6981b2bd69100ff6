#pragma once

// Translation checks: how the master might sound on the systems it will be played on.
// Monitor path only: the player applies these after everything a render contains, and no
// render ever calls them.
//
// Design note: each simulation is a short, documented cascade of second-order sections (RBJ
// cookbook designs) plus an optional mono fold-down and width change. The choices are
// deliberately simple, broad and stated, so an engineer knows what they are hearing:
//
//   mono     (L+R)/2 on both sides. Nothing else.
//   phone    one small speaker: mono; 4th-order high-pass at 500 Hz (Butterworth, two
//            sections) because a phone's speaker delivers almost nothing below its 500-800 Hz
//            resonance; +4 dB bell at 2.5 kHz (Q 1) for its forward upper mids; 2nd-order
//            low-pass at 10 kHz (Q 0.707) where the speaker falls away.
//   earbuds  unsealed buds: stereo; 2nd-order high-pass at 90 Hz (Q 0.707) since an open fit
//            leaks the bass; +3 dB bell at 3 kHz (Q 1.4) for the ear-canal resonance that is not
//            compensated; -3 dB high shelf at 10 kHz.
//   laptop   two small drivers close together: stereo narrowed (side -6 dB); 4th-order
//            high-pass at 200 Hz; +3 dB bell at 1.2 kHz (Q 1.2, the drivers' boxy resonance);
//            2nd-order low-pass at 14 kHz.
//   car      a cabin: stereo; +6 dB low shelf at 90 Hz (cabin gain, the small closed space
//            lifting the lows); -3 dB bell at 400 Hz (Q 1, door-panel cancellation);
//            -4 dB high shelf at 6 kHz (seats and upholstery absorbing the highs).
//   club     a PA: mono (clubs sum to mono); 2nd-order high-pass at 30 Hz (subwoofers'
//            port tuning); +6 dB low shelf at 80 Hz (sub-heavy tuning); -2 dB high shelf at
//            8 kHz (air absorption over distance).
//
// Level matching: with matching on, the simulation's output is scaled by the difference of
// its input's and output's short-term loudness (BS.1770, 3 s, smoothed over 200 ms, limited to
// +-20 dB), so switching a simulation on changes the tone, not the level. Before 3 s of audio
// a fixed compensation (the filter's effect on pink noise, computed at prepare()) is used.
//
// Never: allocate, lock or do I/O in process().

#include "analysis/LoudnessMeter.h"
#include "dsp/Biquad.h"
#include "dsp/LinearSmoother.h"

#include <array>
#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace crest::live
{

/** A playback-system simulation. */
enum class Translation
{
    off,
    mono,
    phone,
    earbuds,
    laptop,
    car,
    club
};

/** All simulations (without `off`), in menu order. */
constexpr std::array<Translation, 6> allTranslations { Translation::mono, Translation::phone, Translation::earbuds,
    Translation::laptop, Translation::car, Translation::club };

/** The name shown to the user ("Phone speaker"). */
std::string translationName (Translation translation);

/** The key used on command lines ("phone"). */
std::string translationKey (Translation translation);

/** Applies the selected simulation to the monitor signal, level-matched. */
class MonitorTranslation
{
public:
    /** Most second-order sections a simulation uses. */
    static constexpr int maxSections = 4;

    /** A simulation's fixed design at a sample rate. */
    struct Design
    {
        bool mono = false; ///< fold down to mono first
        float sideGain = 1.0f; ///< width: 1 keeps stereo, 0.5 narrows by 6 dB
        int numSections = 0;
        std::array<dsp::BiquadCoefficients, maxSections> sections {};
    };

    /** Designs a simulation at a sample rate. */
    static Design design (Translation translation, double sampleRate);

    /** Magnitude of a simulation's filters in dB at a frequency (mono/width not included). */
    static double magnitudeDb (Translation translation, double sampleRate, double frequencyHz);

    /** Prepares every simulation for a rate and block size. Not realtime-safe. */
    void prepare (double sampleRate, int maxBlockSize);

    /** Selects a simulation (any thread; takes effect at the next block with a short crossfade). */
    void setTranslation (Translation translation) noexcept { requested.store (translation); }

    /** The simulation selected. */
    Translation translation() const noexcept { return requested.load(); }

    /** Level matching on or off (any thread). */
    void setLevelMatch (bool on) noexcept { levelMatch.store (on); }

    /** The matching gain applied right now, in dB. */
    float matchGainDb() const noexcept { return currentMatchDb.load (std::memory_order_relaxed); }

    /** Processes a stereo block in place. Audio thread. */
    void process (float* left, float* right, int numSamples) noexcept;

    /** Clears filter and meter memory. */
    void reset() noexcept;

private:
    void applyDesign (const Design& d, float* left, float* right, int numSamples) noexcept;

    double sampleRate = 48000.0;
    std::array<Design, allTranslations.size() + 1> designs {};
    std::array<float, allTranslations.size() + 1> fixedCompensationDb {};
    std::array<std::array<dsp::Biquad, maxSections>, 2> filters {};
    std::atomic<Translation> requested { Translation::off };
    Translation running = Translation::off;
    std::atomic<bool> levelMatch { true };
    std::atomic<float> currentMatchDb { 0.0f };
    analysis::LoudnessMeter before, after;
    dsp::LinearSmoother gain, mix;
    std::array<std::vector<float>, 2> dry;
};

} // namespace crest::live
