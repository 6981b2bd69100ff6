// Filter design from several threads at once (exports render tracks on two threads, each
// designing its true-peak and oversampling filters): found by ThreadSanitizer, which reported
// the global signgam written by lgamma inside std::cyl_bessel_i from two export jobs.

#include "dsp/FirDesign.h"

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

using namespace crest;

TEST_CASE ("Kaiser filters designed on two threads at once are the ones one thread designs", "[dsp][threads]")
{
    const auto alone = dsp::designKaiserLowPass (255, 0.22, dsp::kaiserBetaForAttenuation (120.0));
    std::vector<double> first, second;
    // Repeated so the two threads overlap inside the Bessel function (the race TSan found).
    std::thread other ([&] {
        for (int i = 0; i < 20; ++i)
            second = dsp::designKaiserLowPass (255, 0.22, dsp::kaiserBetaForAttenuation (120.0));
    });
    for (int i = 0; i < 20; ++i)
        first = dsp::designKaiserLowPass (255, 0.22, dsp::kaiserBetaForAttenuation (120.0));
    other.join();
    CHECK (first == alone);
    CHECK (second == alone);
    CHECK (dsp::besselI0 (0.0) == 1.0);
}
