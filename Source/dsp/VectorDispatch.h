#pragma once

// Shared by the vectorised DSP kernels: how their CPU-specific clones are chosen, the
// vectors they compute in (four doubles, four or eight floats), and float bit patterns for branch-free tests.

#include <cstdint>
#include <cstring>

// Clones chosen at load time by CPU feature level. "arch=x86-64-v3" (AVX2/FMA) rather than
// "arch=haswell": GCC dispatches the latter on the CPU model being a Haswell, so every AMD part
// and every later Intel part would run the baseline clone.
// Not in a ThreadSanitizer build: GCC instruments the clones' ifunc resolver, which the dynamic
// loader runs while relocating, before TSan's runtime is up, so every TSan program died at load
// (SIGSEGV in the resolver of TruePeakLimiter's stereoNeeds, before main).
#if defined(__x86_64__) && defined(__GNUC__) && ! defined(__clang__) && ! defined(__SANITIZE_THREAD__)
 #define CREST_VECTOR_CLONES __attribute__ ((target_clones ("arch=x86-64-v3", "default")))
 /** The same with an AVX-512 clone as well, for kernels wide enough to use it, and for
     four-double kernels whose state outgrows AVX2's sixteen vector registers (AVX-512 has
     thirty-two, for 32-byte vectors too, so the state stays in registers instead of spilling). */
 #define CREST_WIDE_VECTOR_CLONES __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
 #define CREST_VECTOR_CLONES
 #define CREST_WIDE_VECTOR_CLONES
#endif

// The helpers taking and returning 32-byte vectors are inlined into the kernels, so the ABI
// for passing them (which GCC warns differs with and without AVX) never applies.
#if defined(__GNUC__) && ! defined(__clang__)
 #pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace crest::dsp::vec
{

/** Four doubles as one vector (GCC/Clang vector extensions: two SSE or one AVX register). */
using V4 = double __attribute__ ((vector_size (32)));

/** The lane masks comparisons of V4 values give. */
using M4 = long long __attribute__ ((vector_size (32)));

/** Four floats (one SSE register), e.g. to widen to a V4. */
using F4 = float __attribute__ ((vector_size (16)));

/** Four 32-bit integers: F4 bit patterns and comparison masks. */
using I4 = std::int32_t __attribute__ ((vector_size (16)));

/** Eight floats (one AVX register, or two SSE ones in the baseline clone). */
using F8 = float __attribute__ ((vector_size (32)));

/** Eight 32-bit integers: F8 bit patterns, conversions and comparison masks. */
using I8 = std::int32_t __attribute__ ((vector_size (32)));

/** Sixteen floats: one AVX-512 register, two AVX or four SSE ones in the other clones (the
    same lane-by-lane arithmetic at every width, so a kernel's results do not depend on it). */
using F16 = float __attribute__ ((vector_size (64)));

/** Sixteen 32-bit integers: F16 shuffle masks. */
using I16 = std::int32_t __attribute__ ((vector_size (64)));

/** The lanes of `a` that `mask` picks (0-3). GCC's __builtin_shuffle; Clang has no such
    builtin, so there the same selection is made lane by lane (only the fuzz and sanitizer
    builds use Clang, where speed does not matter). */
inline V4 shuffle (V4 a, M4 mask) noexcept
{
#if defined(__clang__)
    V4 r;
    for (int i = 0; i < 4; ++i)
        r[i] = a[mask[i] & 3];
    return r;
#else
    return __builtin_shuffle (a, mask);
#endif
}

/** The lanes of `a` (0-3) and `b` (4-7) that `mask` picks; see the one-vector shuffle. */
inline V4 shuffle (V4 a, V4 b, M4 mask) noexcept
{
#if defined(__clang__)
    V4 r;
    for (int i = 0; i < 4; ++i)
    {
        const auto k = (int) (mask[i] & 7);
        r[i] = k < 4 ? a[k] : b[k - 4];
    }
    return r;
#else
    return __builtin_shuffle (a, b, mask);
#endif
}

/** Four consecutive doubles from any alignment. */
inline V4 load (const double* p) noexcept
{
    V4 v;
    std::memcpy (&v, p, sizeof (v));
    return v;
}

/** Four consecutive floats from any alignment. */
inline F4 loadFloats4 (const float* p) noexcept
{
    F4 v;
    std::memcpy (&v, p, sizeof (v));
    return v;
}

/** Eight consecutive floats from any alignment. */
inline F8 loadFloats8 (const float* p) noexcept
{
    F8 v;
    std::memcpy (&v, p, sizeof (v));
    return v;
}

/** Sixteen consecutive floats from any alignment. */
inline F16 loadFloats16 (const float* p) noexcept
{
    F16 v;
    std::memcpy (&v, p, sizeof (v));
    return v;
}

/** Stores four doubles to any alignment. */
inline void store (double* p, const V4& v) noexcept
{
    std::memcpy (p, &v, sizeof (v));
}

/** |v| lane by lane (clears the sign bits). */
inline F8 magnitudeOf (const F8& v) noexcept
{
    return (F8) ((I8) v & 0x7fffffff);
}

/** std::max (a, b) lane by lane, as a bit select. (Only inside CREST_VECTOR_CLONES kernels:
    without AVX, GCC compares eight-float vectors one lane at a time through memory.) */
inline F8 largerOf (const F8& a, const F8& b) noexcept
{
    const I8 takeB = (I8) (a < b);
    return (F8) (((I8) b & takeB) | ((I8) a & ~takeB));
}

/** |v| lane by lane, four lanes (native SSE2: for kernels that are not cloned). */
inline F4 magnitudeOf (const F4& v) noexcept
{
    return (F4) ((I4) v & 0x7fffffff);
}

/** std::max (a, b) lane by lane, four lanes. (Eight-lane comparisons are done one lane at a
    time without AVX, so kernels outside the clones keep to four.) */
inline F4 largerOf (const F4& a, const F4& b) noexcept
{
    const I4 takeB = (I4) (a < b);
    return (F4) (((I4) b & takeB) | ((I4) a & ~takeB));
}

/** A float's bit pattern (the defined way to pun: memcpy, compiled to a register move). */
inline std::uint32_t toBits (float f) noexcept
{
    std::uint32_t bits;
    std::memcpy (&bits, &f, sizeof bits);
    return bits;
}

/** The float with a bit pattern. */
inline float fromBits (std::uint32_t bits) noexcept
{
    float f;
    std::memcpy (&f, &bits, sizeof f);
    return f;
}

} // namespace crest::dsp::vec
