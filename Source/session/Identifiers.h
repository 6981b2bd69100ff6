#pragma once

// The codes a release carries: ISRC per recording, UPC/EAN for the product.
//
// Design note: one place that knows their syntax, used by the session loader, `crest session
// set`, and the Red Book preflight, so all three refuse the same codes with the same words.
// Each check returns an empty string when the code is good, or a sentence naming the rule it
// breaks; it never throws.

#include <string>

namespace crest::session
{

/** The rule an ISRC follows, as people write it. */
inline constexpr const char* isrcPattern = "CC-XXX-YY-NNNNN";

/** An ISRC as stored: dashes and spaces removed, letters upper-cased ("gb-abc-24-00012" ->
    "GBABC2400012"). Does not validate. */
std::string normaliseIsrc (const std::string& typed);

/** Checks a stored ISRC (12 characters, no dashes): 2 letters (country), 3 letters or digits
    (registrant), 2 digits (year), 5 digits (designation). Empty when valid, otherwise the
    rule broken, naming the code. */
std::string isrcProblem (const std::string& isrc);

/** A stored ISRC written with dashes, CC-XXX-YY-NNNNN, for display (unchanged if not 12 long). */
std::string formatIsrc (const std::string& isrc);

/** A UPC/EAN as stored: spaces and dashes removed. Does not validate. */
std::string normaliseUpc (const std::string& typed);

/** Checks a UPC-A (12 digits) or EAN-13 (13 digits): digits only, and the last digit is the
    mod-10 check digit of the others (weights 3, 1, 3, ... from the right). Empty when valid,
    otherwise the rule broken, naming the code and the expected check digit. */
std::string upcProblem (const std::string& upc);

/** The mod-10 check digit for the digits before it (weights 3, 1, 3, ... from the right). */
int upcCheckDigit (const std::string& digitsWithoutCheck);

/** A UPC-A as the 13-digit EAN that a CD's Media Catalogue Number carries (a leading 0);
    an EAN-13 unchanged. */
std::string upcAsEan13 (const std::string& upc);

} // namespace crest::session
