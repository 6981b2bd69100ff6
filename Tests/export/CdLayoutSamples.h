#pragma once

// Small hand-made disc layouts shared by the CD delivery tests.

#include "album/CdLayout.h"

namespace crest::test
{

/** The disc of Tests/export/golden/make_ddp_golden.py: two tracks, 20 s, text, codes. */
inline album::CdLayout smallDisc()
{
    album::CdLayout d;
    d.upc = "5012345678900";
    d.catalogueNumber = "CREST-001";
    d.language = "en";
    d.text.title = "Golden";
    d.text.performer = "Crest";
    album::CdTrack one;
    one.number = 1;
    one.pregapFrame = 0;
    one.startFrame = 150;
    one.indexFrames = { 450 };
    one.endFrame = 900;
    one.isrc = "GBABC2400012";
    one.text.title = "One";
    one.text.performer = "Crest";
    album::CdTrack two;
    two.number = 2;
    two.pregapFrame = 900;
    two.startFrame = 975;
    two.endFrame = 1500;
    two.copyPermitted = true;
    two.text.title = "Two";
    d.tracks = { one, two };
    d.totalFrames = 1500;
    return d;
}

} // namespace crest::test
