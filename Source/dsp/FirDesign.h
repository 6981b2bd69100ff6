#pragma once

#include <vector>

namespace crest::dsp
{

/** The Kaiser window's beta for a wanted stop-band attenuation in dB (Kaiser's formula). */
double kaiserBetaForAttenuation (double attenuationDb);

/** A linear-phase low-pass prototype: a sinc windowed by a Kaiser window.

    @param numTaps         length of the filter
    @param cutoff          cut-off frequency as a fraction of the sample rate (0 .. 0.5)
    @param beta            Kaiser window beta (larger: lower side lobes, wider transition)
    @returns               the taps, with unity gain at DC
*/
std::vector<double> designKaiserLowPass (int numTaps, double cutoff, double beta);

} // namespace crest::dsp
