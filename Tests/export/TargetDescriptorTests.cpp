// The deliverable targets as data: the name table round-trips, and each row says what the
// export has always delivered for its target.

#include "export/TargetDescriptor.h"

#include <catch2/catch.hpp>

#include <set>

using namespace crest;
using session::DeliverableTarget;

TEST_CASE ("Every target's name round-trips through the table, and no other name parses", "[export][targets]")
{
    std::set<std::string> names;
    for (const auto target : session::allDeliverableTargets)
    {
        const std::string name = session::targetName (target);
        CHECK (session::targetFromName (name) == target);
        CHECK (delivery::describe (name) == &delivery::describe (target));
        CHECK (delivery::describe (target).target == target);
        names.insert (name);
    }
    CHECK (names.size() == session::allDeliverableTargets.size());
    CHECK (session::targetNameList() == "cd, ddp, streaming, adm, hires, mp3, flac, vinyl");
    CHECK_FALSE (session::targetFromName ("dvd"));
    CHECK_FALSE (session::targetFromName ("CD"));
    CHECK_FALSE (session::targetFromName (""));
    CHECK (delivery::describe ("cassette") == nullptr);
}

TEST_CASE ("Target rows: rates, depths, dither and folders as delivered", "[export][targets]")
{
    session::Deliverables settings;
    settings.hiresSampleRate = 88200.0;
    settings.cdDither = "shaped";
    using delivery::describe;

    const auto& cd = describe (DeliverableTarget::cd);
    CHECK (cd.bits == 16);
    CHECK (delivery::deliveredRate (cd, settings, 96000.0) == 44100.0);
    CHECK (delivery::ditherFor (cd, settings) == dsp::DitherCurve::shaped);
    CHECK ((cd.checks & delivery::redBookPreflight) != 0);
    CHECK_FALSE (delivery::resamplesBeforeGain (cd.rate)); // the album ceiling stage runs at the session rate

    const auto& hires = describe (DeliverableTarget::hires);
    CHECK (hires.bits == 24);
    CHECK (delivery::deliveredRate (hires, settings, 48000.0) == 88200.0);
    CHECK (delivery::resamplesBeforeGain (hires.rate));
    CHECK (delivery::ditherFor (hires, settings) == dsp::DitherCurve::none);

    const auto& mp3 = describe (DeliverableTarget::mp3);
    CHECK (delivery::deliveredRate (mp3, settings, 48000.0) == 48000.0);
    CHECK (delivery::deliveredRate (mp3, settings, 96000.0) == 44100.0);
    CHECK (delivery::mp3Folder (delivery::Mp3Mode::cbr320) == "mp3-320");
    CHECK (delivery::mp3Folder (delivery::Mp3Mode::v0) == "mp3-v0");
    CHECK (std::string (delivery::mp3ModeName (delivery::Mp3Mode::v0)) == "v0");

    for (const auto target :
        { DeliverableTarget::streaming, DeliverableTarget::adm, DeliverableTarget::flac, DeliverableTarget::vinyl })
    {
        const auto& row = describe (target);
        CHECK (row.bits == 24);
        CHECK (delivery::deliveredRate (row, settings, 48000.0) == 48000.0);
        CHECK (delivery::targetFolder (row) == session::targetName (target));
    }
    CHECK (describe (DeliverableTarget::streaming).gain == delivery::GainRule::streamingTarget);
    CHECK (describe (DeliverableTarget::vinyl).gain == delivery::GainRule::asMastered);
    CHECK ((describe (DeliverableTarget::adm).checks & delivery::codecClipping) != 0);

    settings.cdDither = "wobbly";
    CHECK_FALSE (delivery::ditherFor (cd, settings));
}
