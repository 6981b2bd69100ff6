#include "session/DeliverableTarget.h"

namespace crest::session
{

namespace
{
    // Indexed by DeliverableTarget; the one place a target's name is spelt.
    constexpr std::array<const char*, allDeliverableTargets.size()> names { "cd", "ddp", "streaming", "adm", "hires", "mp3",
        "flac", "vinyl" };

    constexpr bool inEnumOrder()
    {
        for (size_t i = 0; i < allDeliverableTargets.size(); ++i)
            if ((size_t) allDeliverableTargets[i] != i)
                return false;
        return true;
    }
    static_assert (inEnumOrder(), "allDeliverableTargets lists the enum in order, so it indexes the name table");
} // namespace

const char* targetName (DeliverableTarget target) noexcept
{
    return names[(size_t) target];
}

std::optional<DeliverableTarget> targetFromName (const std::string& name)
{
    for (const auto target : allDeliverableTargets)
        if (name == targetName (target))
            return target;
    return std::nullopt;
}

std::string targetNameList (const char* separator)
{
    std::string list;
    for (const auto target : allDeliverableTargets)
        list += (list.empty() ? "" : separator) + std::string (targetName (target));
    return list;
}

} // namespace crest::session
