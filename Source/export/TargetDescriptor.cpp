#include "export/TargetDescriptor.h"

#include <array>

namespace crest::delivery
{

namespace
{
    using T = DeliverableTarget;

    // One row per target, in the enum's order (checked below).
    // clang-format off
    constexpr std::array<TargetDescriptor, session::allDeliverableTargets.size()> table { {
        // target       unit               rate                    bits  gain                       dither                    writer                     checks            colour
        { T::cd,        TargetUnit::album, RateRule::cd,           16,   GainRule::albumCeiling,    DitherRule::sessionCurve, TargetWriter::cdImage,     redBookPreflight, "#4e79a7" },
        { T::ddp,       TargetUnit::album, RateRule::cd,           16,   GainRule::albumCeiling,    DitherRule::sessionCurve, TargetWriter::ddp,         redBookPreflight, "#888888" },
        { T::streaming, TargetUnit::track, RateRule::session,      24,   GainRule::streamingTarget, DitherRule::none,         TargetWriter::wav,         noChecks,         "#59a14f" },
        { T::adm,       TargetUnit::track, RateRule::session,      24,   GainRule::ceiling,         DitherRule::none,         TargetWriter::wav,         codecClipping,    "#e15759" },
        { T::hires,     TargetUnit::track, RateRule::hires,        24,   GainRule::ceiling,         DitherRule::none,         TargetWriter::hiresFormat, upsampledRate,    "#b07aa1" },
        { T::mp3,       TargetUnit::track, RateRule::encoderLegal, 0,    GainRule::ceiling,         DitherRule::none,         TargetWriter::mp3,         noChecks,         "#f28e2b" },
        { T::flac,      TargetUnit::track, RateRule::session,      24,   GainRule::ceiling,         DitherRule::none,         TargetWriter::flac,        noChecks,         "#76b7b2" },
        { T::vinyl,     TargetUnit::side,  RateRule::session,      24,   GainRule::asMastered,      DitherRule::none,         TargetWriter::vinylSide,   vinylCut,         "#9c755f" },
    } };
    // clang-format on

    constexpr bool inEnumOrder()
    {
        for (size_t i = 0; i < table.size(); ++i)
            if ((size_t) table[i].target != i)
                return false;
        return true;
    }
    static_assert (inEnumOrder(), "one row per target, in DeliverableTarget's order");
} // namespace

const TargetDescriptor& describe (DeliverableTarget target) noexcept
{
    return table[(size_t) target];
}

const TargetDescriptor* describe (const std::string& name)
{
    const auto target = session::targetFromName (name);
    return target ? &describe (*target) : nullptr;
}

double deliveredRate (const TargetDescriptor& target, const session::Deliverables& settings, double sessionRate)
{
    switch (target.rate)
    {
        case RateRule::cd:
            return 44100.0;
        case RateRule::hires:
            return settings.hiresSampleRate;
        case RateRule::encoderLegal:
            return isMp3SampleRate (sessionRate) ? sessionRate : 44100.0;
        case RateRule::session:
        default:
            return sessionRate;
    }
}

bool resamplesBeforeGain (RateRule rule) noexcept
{
    return rule == RateRule::hires;
}

std::optional<dsp::DitherCurve> ditherFor (const TargetDescriptor& target, const session::Deliverables& settings)
{
    if (target.dither == DitherRule::none)
        return dsp::DitherCurve::none;
    return dsp::ditherCurveFromName (settings.cdDither);
}

const char* mp3ModeName (Mp3Mode mode) noexcept
{
    return mode == Mp3Mode::cbr320 ? "320" : "v0";
}

std::string targetFolder (const TargetDescriptor& target)
{
    return session::targetName (target.target);
}

std::string mp3Folder (Mp3Mode mode)
{
    return targetFolder (describe (DeliverableTarget::mp3)) + "-" + mp3ModeName (mode);
}

} // namespace crest::delivery
