#pragma once

#include "app/CrossoverDisplay.h"
#include "app/Goniometer.h"

namespace crest::app
{

/** The stereo imager: each band's width on a frequency axis (drag the crossovers), the output
    goniometer beside it, and every control. */
class ImagerEditor : public ModuleEditor
{
public:
    ImagerEditor (Workstation&, std::string moduleId);

    void refresh() override;
    void refreshLive() override;
    void resized() override;

private:
    CrossoverDisplay display;
    Goniometer goniometer;
};

} // namespace crest::app
