#include "session/Identifiers.h"

#include <cctype>

namespace crest::session
{
namespace
{
    bool allOf (const std::string& s, size_t from, size_t count, int (*test) (int))
    {
        for (size_t i = from; i < from + count; ++i)
            if (! test ((unsigned char) s[i]))
                return false;
        return true;
    }

    int isUpperLetter (int c) { return c >= 'A' && c <= 'Z'; }
    int isUpperAlnum (int c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
    int isDigit (int c) { return c >= '0' && c <= '9'; }

    std::string withoutSeparators (const std::string& typed, bool upper)
    {
        std::string out;
        for (const char c : typed)
            if (c != '-' && c != ' ')
                out += upper ? (char) std::toupper ((unsigned char) c) : c;
        return out;
    }
} // namespace

std::string normaliseIsrc (const std::string& typed) { return withoutSeparators (typed, true); }

std::string isrcProblem (const std::string& isrc)
{
    const std::string rule = std::string ("an ISRC is ") + isrcPattern + " (12 characters without dashes): ";
    const std::string named = "ISRC '" + isrc + "': ";
    if (isrc.size() != 12)
        return named + rule + "it has " + std::to_string (isrc.size()) + " characters";
    if (! allOf (isrc, 0, 2, isUpperLetter))
        return named + rule + "the country code (CC) must be two letters";
    if (! allOf (isrc, 2, 3, isUpperAlnum))
        return named + rule + "the registrant code (XXX) must be three letters or digits";
    if (! allOf (isrc, 5, 2, isDigit))
        return named + rule + "the year (YY) must be two digits";
    if (! allOf (isrc, 7, 5, isDigit))
        return named + rule + "the designation code (NNNNN) must be five digits";
    return {};
}

std::string formatIsrc (const std::string& isrc)
{
    if (isrc.size() != 12)
        return isrc;
    return isrc.substr (0, 2) + "-" + isrc.substr (2, 3) + "-" + isrc.substr (5, 2) + "-" + isrc.substr (7);
}

std::string normaliseUpc (const std::string& typed) { return withoutSeparators (typed, false); }

int upcCheckDigit (const std::string& digits)
{
    int sum = 0, weight = 3;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it)
    {
        sum += (*it - '0') * weight;
        weight = weight == 3 ? 1 : 3;
    }
    return (10 - sum % 10) % 10;
}

std::string upcProblem (const std::string& upc)
{
    const std::string named = "UPC/EAN '" + upc + "': ";
    if (upc.size() != 12 && upc.size() != 13)
        return named + "a UPC-A has 12 digits and an EAN-13 has 13; this has " + std::to_string (upc.size()) + " characters";
    if (! allOf (upc, 0, upc.size(), isDigit))
        return named + "a UPC/EAN is digits only";
    const int expected = upcCheckDigit (upc.substr (0, upc.size() - 1));
    if (upc.back() - '0' != expected)
        return named + "the check digit (the last) should be " + std::to_string (expected) + " for the digits before it (mod-10 rule)";
    return {};
}

std::string upcAsEan13 (const std::string& upc) { return upc.size() == 12 ? "0" + upc : upc; }

} // namespace crest::session
