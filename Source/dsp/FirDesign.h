#pragma once

#include <vector>

namespace crest::dsp
{

/** The Kaiser window's beta for a wanted stop-band attenuation in dB (Kaiser's formula). */
double kaiserBetaForAttenuation (double attenuationDb);

/** The modified Bessel function I0 (the Kaiser window's kernel), safe to call from several
    threads at once: std::cyl_bessel_i goes through lgamma, which writes the global signgam,
    a data race ThreadSanitizer reports when two exports design filters at the same time. The
    calls are serialised, so the values are std::cyl_bessel_i's, bit for bit. Not for the
    audio thread (filters are designed in prepare). */
double besselI0 (double x);

/** A linear-phase low-pass prototype: a sinc windowed by a Kaiser window.

    @param numTaps         length of the filter
    @param cutoff          cut-off frequency as a fraction of the sample rate (0 .. 0.5)
    @param beta            Kaiser window beta (larger: lower side lobes, wider transition)
    @returns               the taps, with unity gain at DC
*/
std::vector<double> designKaiserLowPass (int numTaps, double cutoff, double beta);

} // namespace crest::dsp
