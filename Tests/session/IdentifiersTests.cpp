#include "session/Identifiers.h"

#include <catch2/catch.hpp>

using namespace crest::session;

TEST_CASE ("ISRC syntax: CC-XXX-YY-NNNNN, stored without dashes", "[session][identifiers]")
{
    CHECK (normaliseIsrc ("us-rc1-76-07839") == "USRC17607839");
    CHECK (isrcProblem ("USRC17607839").empty());
    CHECK (formatIsrc ("USRC17607839") == "US-RC1-76-07839");
    CHECK_THAT (isrcProblem ("USRC1760783"), Catch::Contains ("11 characters"));
    CHECK_THAT (isrcProblem ("U1RC17607839"), Catch::Contains ("country code"));
    CHECK_THAT (isrcProblem ("USR_17607839"), Catch::Contains ("registrant"));
    CHECK_THAT (isrcProblem ("USRC1A607839"), Catch::Contains ("year"));
    CHECK_THAT (isrcProblem ("USRC176078X9"), Catch::Contains ("designation"));
}

TEST_CASE ("UPC/EAN check digits", "[session][identifiers]")
{
    // Published examples: a UPC-A and an EAN-13.
    CHECK (upcProblem ("036000291452").empty());
    CHECK (upcProblem ("4006381333931").empty());
    CHECK (upcCheckDigit ("03600029145") == 2);
    CHECK (upcCheckDigit ("400638133393") == 1);
    CHECK_THAT (upcProblem ("036000291453"), Catch::Contains ("should be 2"));
    CHECK_THAT (upcProblem ("4006381333932"), Catch::Contains ("should be 1"));
    CHECK_THAT (upcProblem ("12345"), Catch::Contains ("12 digits"));
    CHECK_THAT (upcProblem ("03600029145A"), Catch::Contains ("digits only"));
    CHECK (upcAsEan13 ("036000291452") == "0036000291452");
    CHECK (normaliseUpc ("4 006381 333931") == "4006381333931");
}
