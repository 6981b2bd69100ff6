#include "export/DeliveryFinding.h"

namespace crest::delivery
{

const char* toString (Severity s) noexcept
{
    switch (s)
    {
        case Severity::info:
            return "info";
        case Severity::warning:
            return "warning";
        case Severity::error:
            return "error";
    }
    return "warning";
}

} // namespace crest::delivery
