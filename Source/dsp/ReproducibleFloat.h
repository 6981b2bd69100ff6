// Include this FIRST in a kernel's .cpp (before any other include, deliberately without
// #pragma once), so that every inline function that file uses (std::max, std::fabs, ...) is
// compiled with the same options and can be inlined into its vector kernels.
//
// No fused multiply-adds: the compiler would fuse some products and not others depending on
// how it vectorised each loop, and a result would then depend on which path computed it
// (unfused, every clone gives the same bits on every machine). Floating-point exception flags
// are never read, so conditional arithmetic may be computed unconditionally and selected,
// which lets those loops vectorise.
#if defined(__GNUC__) && ! defined(__clang__)
#pragma GCC optimize("fp-contract=off", "no-trapping-math")
#elif defined(__clang__)
#pragma clang fp contract(off)
#endif
