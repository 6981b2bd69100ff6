#pragma once

#include "app/CrossoverDisplay.h"

namespace crest::app
{

/** The multiband compressor: crossovers on a frequency axis (drag to move) with each band's
    live gain reduction, the selected band's controls and the shared ones. */
class MultibandEditor : public ModuleEditor
{
public:
    MultibandEditor (Workstation&, std::string moduleId);

    void refresh() override;
    void refreshLive() override;
    void resized() override;

private:
    void selectBand (int band);

    CrossoverDisplay display;
    std::array<std::unique_ptr<KnobGroup>, 4> bandKnobs;
    int selectedBand = 0;
};

} // namespace crest::app
