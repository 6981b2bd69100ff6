#include "app/ChainStrip.h"

#include "app/ChainPresets.h"
#include "app/PluginChooser.h"

#include "app/CrestLookAndFeel.h"
#include "engine/ModuleIds.h"
#include "engine/ModuleRegistry.h"
#include "engine/PluginSlots.h"

namespace crest::app
{

namespace
{
    constexpr int slotWidth = 204, slotGap = 8;
    constexpr int pluginMenuBase = 1000; // the Add menu's plugin items (PluginMenu) start here

    juce::String typeName (const std::string& type)
    {
        for (const auto& info : engine::moduleTypes())
            if (info.type == type)
                return info.name;
        return type;
    }
} // namespace

ModuleSlot::ModuleSlot (ChainStrip& owner, Workstation& w, const engine::ModuleDescription& module)
    : moduleId (module.id), strip (owner), workstation (w), title (typeName (module.type)), bypassed (module.bypass)
{
    if (module.type == engine::ids::types::plugin)
    {
        // A plugin slot: the plugin's own name, its format beside the ID; a plugin this machine
        // lacks says so (its slot passes audio through and keeps its state).
        title = engine::displayNameOf (module);
        badge = juce::String (module.plugin.format).toUpperCase();
        missing = engine::parameterTableOf (module) == nullptr;
        if (missing)
            badge = "missing";
        setTooltip (juce::String (module.plugin.id)
            + (missing ? "\nNot installed on this machine: audio passes through, its saved state is kept" : ""));
    }
    setName ("ModuleSlot:" + module.id);
    bypassButton.setClickingTogglesState (true);
    bypassButton.setToggleState (bypassed, juce::dontSendNotification);
    bypassButton.setColour (juce::TextButton::buttonOnColourId, palette::warning);
    bypassButton.onClick = [this] { workstation.setBypass (moduleId, bypassButton.getToggleState()); };
    soloButton.setClickingTogglesState (true);
    soloButton.setToggleState (workstation.soloedModule == moduleId, juce::dontSendNotification);
    soloButton.setColour (juce::TextButton::buttonOnColourId, palette::accent);
    soloButton.setTooltip ("Solo the change: hear only what this module adds or removes, level-matched");
    soloButton.onClick = [this] { workstation.setSoloChange (soloButton.getToggleState() ? moduleId : std::string()); };
    addAndMakeVisible (soloButton);
    removeButton.setTooltip ("Remove this module from the chain");
    removeButton.onClick = [this]
    {
        const auto id = moduleId;
        juce::MessageManager::callAsync ([&ws = workstation, id] { ws.removeModule (id); });
    };
    addAndMakeVisible (bypassButton);
    addAndMakeVisible (removeButton);
}

void ModuleSlot::showSolo (bool soloed)
{
    soloButton.setToggleState (soloed, juce::dontSendNotification);
}

void ModuleSlot::setReduction (float decibels)
{
    if (std::abs (decibels - reduction) > 0.05f)
    {
        reduction = decibels;
        repaint();
    }
}

void ModuleSlot::paint (juce::Graphics& g)
{
    const bool selected = workstation.selectedModule == moduleId;
    auto bounds = getLocalBounds().toFloat().reduced (1.0f);
    g.setColour (selected ? palette::panelRaised.brighter (0.08f) : palette::panelRaised);
    g.fillRoundedRectangle (bounds, 5.0f);
    g.setColour (selected ? palette::accent : palette::outline);
    g.drawRoundedRectangle (bounds, 5.0f, selected ? 2.0f : 1.0f);

    // The type's name and the module's ID share the top row, so that the ID is never cut to
    // "mast..." by the switches below (they take the second row's width).
    auto area = getLocalBounds().reduced (8, 5).removeFromTop (18);
    const auto titleFont = fonts::label (15.0f).boldened();
    g.setColour (bypassed || missing ? palette::textDim : palette::text);
    g.setFont (titleFont);
    if (badge.isNotEmpty())
    {
        // A plugin's name is long ("x42-dpl Digital Peak Limiter Stereo"): it has the whole top
        // row; the format and the ID go left of the switches.
        g.drawFittedText (title, area, juce::Justification::centredLeft, 1, 0.8f);
        auto lower = getLocalBounds().reduced (8, 0).withTrimmedTop (24).withHeight (20).withTrimmedRight (116);
        g.setFont (fonts::label (11.0f));
        g.setColour (missing ? palette::warning : palette::accent);
        auto shown = badge;
        if (fonts::label (11.0f).getStringWidthFloat (shown) + 8.0f > (float) lower.getWidth())
            shown = missing ? "!" : ""; // a narrow slot (a long chain): the tooltip and the panel say the rest
        const int badgeWidth = juce::roundToInt (fonts::label (11.0f).getStringWidthFloat (shown)) + 8;
        auto badgeArea = lower.removeFromLeft (badgeWidth).toFloat().reduced (0.0f, 3.0f);
        if (shown.isNotEmpty())
        {
            g.drawRoundedRectangle (badgeArea, 3.0f, 1.0f);
            g.drawText (shown, badgeArea, juce::Justification::centred, false);
        }
        g.setColour (palette::textDim);
        g.setFont (fonts::label (11.0f));
        if (fonts::label (11.0f).getStringWidthFloat (moduleId) * 0.8f
            < (float) lower.getWidth() - 4.0f) // else only the tooltip and the panel name it
            g.drawFittedText (juce::String (moduleId), lower.withTrimmedLeft (4), juce::Justification::centredLeft, 1, 0.8f);
    }
    else
    {
        g.drawText (title, area.removeFromLeft (juce::roundToInt (titleFont.getStringWidthFloat (title)) + 2),
            juce::Justification::centredLeft, false);
        g.setColour (palette::textDim);
        g.setFont (fonts::label (12.0f));
        g.drawFittedText (juce::String (moduleId), area.withTrimmedLeft (8), juce::Justification::centredRight, 1, 0.75f);
    }

    // Gain reduction, 0..12 dB, along the slot's bottom edge.
    auto bar = getLocalBounds().reduced (6, 0).removeFromBottom (5).toFloat().translated (0.0f, -3.0f);
    g.setColour (palette::background);
    g.fillRect (bar);
    g.setColour (palette::warning);
    g.fillRect (bar.withWidth (bar.getWidth() * juce::jlimit (0.0f, 1.0f, reduction / 12.0f)));
}

void ModuleSlot::resized()
{
    // Title across the top; the switches under it on the right, beside the ID.
    auto row = getLocalBounds().reduced (6, 0).withTrimmedTop (24).withHeight (20);
    removeButton.setBounds (row.removeFromRight (22));
    row.removeFromRight (4);
    bypassButton.setBounds (row.removeFromRight (58));
    row.removeFromRight (4);
    soloButton.setBounds (row.removeFromRight (22));
}

void ModuleSlot::mouseDown (const juce::MouseEvent&)
{
    workstation.selectModule (moduleId);
}

void ModuleSlot::mouseDrag (const juce::MouseEvent& e)
{
    if (e.getDistanceFromDragStart() > 6)
        strip.slotDragged (*this, e.getEventRelativeTo (&strip).x, false);
}

void ModuleSlot::mouseUp (const juce::MouseEvent& e)
{
    if (e.getDistanceFromDragStart() > 6)
        strip.slotDragged (*this, e.getEventRelativeTo (&strip).x, true);
}

ChainStrip::ChainStrip (Workstation& w) : workstation (w)
{
    setName ("ChainStrip");
    addButton.onClick = [this]
    {
        juce::PopupMenu menu;
        int item = 1;
        menu.addSectionHeader ("Crest modules");
        for (const auto& info : engine::moduleTypes())
            menu.addItem (item++, info.name);
        auto plugins = std::make_shared<PluginMenu>();
        plugins->addTo (menu, pluginMenuBase);
        menu.showMenuAsync (juce::PopupMenu::Options().withTargetComponent (addButton),
            [this, plugins] (int chosen)
            {
                if (plugins->handleChoice (workstation, chosen))
                    return;
                if (chosen > 0 && chosen <= (int) engine::moduleTypes().size())
                    workstation.addModule (engine::moduleTypes()[(size_t) chosen - 1].type);
            });
    };
    presetButton.setTooltip ("Load a chain preset into the album chain or a track's own chain, or save this chain as a preset");
    presetButton.onClick = [this] { showPresetMenu(); };
    compareButton.setClickingTogglesState (true);
    compareButton.setTooltip ("Hear the unprocessed mix, time-aligned and loudness-matched to the master (key B)");
    compareButton.onClick = [this] { workstation.setCompareUnprocessed (compareButton.getToggleState()); };
    soloNote.setText ("S: solo the change (what a module adds or removes, level-matched)", juce::dontSendNotification);
    soloNote.setColour (juce::Label::textColourId, palette::textDim);
    soloNote.setFont (fonts::label (11.5f));
    soloNote.setJustificationType (juce::Justification::centredRight);
    addAndMakeVisible (addButton);
    addAndMakeVisible (presetButton);
    addAndMakeVisible (compareButton);
    addAndMakeVisible (soloNote);
    workstation.addChangeListener (this);
    rebuild();
}

ChainStrip::~ChainStrip()
{
    workstation.removeChangeListener (this);
}

void ChainStrip::changeListenerCallback (juce::ChangeBroadcaster*)
{
    if (shownRevision != workstation.editor().revision())
        rebuild();
    else
        for (auto& slot : slots)
        {
            slot->showSolo (workstation.soloedModule == slot->moduleId);
            slot->repaint(); // the selection or the solo moved
        }
}

void ChainStrip::showPresetMenu()
{
    const auto presets = chainPresets();
    auto presetItems = [&presets] (int base)
    {
        juce::PopupMenu m;
        bool user = false;
        for (size_t i = 0; i < presets.size(); ++i)
        {
            if (presets[i].user && ! user)
            {
                user = true;
                m.addSectionHeader ("Your presets");
            }
            m.addItem (base + (int) i, presets[i].name);
        }
        return m;
    };
    // Item numbers: 1000 * (track + 2) + preset; 1000 + preset for the album chain.
    juce::PopupMenu menu;
    menu.addSubMenu ("Load into the album chain", presetItems (1000), ! presets.empty());
    const auto& tracks = workstation.session().tracks;
    for (size_t t = 0; t < tracks.size() && t < 99; ++t)
    {
        auto sub = presetItems (1000 * ((int) t + 2));
        if (tracks[t].chain)
        {
            sub.addSeparator();
            sub.addItem (1000 * ((int) t + 2) + 999, "Use the album chain again");
        }
        menu.addSubMenu ("Load into track " + juce::String (t + 1) + " (" + juce::String (tracks[t].title) + ")"
                             + (tracks[t].chain ? "  [own chain]" : ""),
            sub, ! presets.empty());
    }
    menu.addSeparator();
    menu.addItem (1, "Save the album chain as a preset...");
    menu.showMenuAsync (juce::PopupMenu::Options().withTargetComponent (presetButton),
        [this, presets] (int chosen)
        {
            juce::String error;
            if (chosen == 1)
            {
                userPresetFolder().createDirectory();
                chooser = std::make_unique<juce::FileChooser> ("Save the chain as a preset", userPresetFolder(), "*.json");
                chooser->launchAsync (juce::FileBrowserComponent::saveMode | juce::FileBrowserComponent::warnAboutOverwriting,
                    [this] (const juce::FileChooser& fc)
                    {
                        juce::String why;
                        if (fc.getResult() != juce::File() && ! workstation.saveChainPreset (fc.getResult().withFileExtension ("json"), why))
                            workstation.problem = why;
                        workstation.sendChangeMessage();
                    });
                return;
            }
            if (chosen < 1000)
                return;
            const int track = chosen / 1000 - 2; // -1: the album chain
            const int preset = chosen % 1000;
            if (preset == 999)
                workstation.useAlbumChain (track);
            else if (preset < (int) presets.size() && ! workstation.loadChainPreset (presets[(size_t) preset].file, track, error))
            {
                workstation.problem = error;
                workstation.sendChangeMessage();
            }
        });
}

void ChainStrip::rebuild()
{
    shownRevision = workstation.editor().revision();
    slots.clear();
    for (const auto& module : workstation.session().chain.modules)
    {
        slots.push_back (std::make_unique<ModuleSlot> (*this, workstation, module));
        addAndMakeVisible (*slots.back());
    }
    resized();
    repaint();
}

void ChainStrip::refreshLive()
{
    for (auto& slot : slots)
        slot->setReduction (workstation.gainReductionDb (slot->moduleId));
}

void ChainStrip::toggleCompare()
{
    compareButton.setToggleState (! compareButton.getToggleState(), juce::sendNotification);
}

int ChainStrip::positionForX (int x) const
{
    const int first = 12;
    return juce::jlimit (0, (int) slots.size() - 1, (x - first) / (shownSlotWidth + slotGap));
}

void ChainStrip::slotDragged (ModuleSlot& slot, int x, bool finished)
{
    const int target = positionForX (x);
    if (finished)
    {
        dropIndicatorX = -1;
        repaint();
        const auto id = slot.moduleId;
        juce::MessageManager::callAsync ([&ws = workstation, id, target] { ws.moveModule (id, target); });
        return;
    }
    dropIndicatorX = 12 + target * (shownSlotWidth + slotGap) - slotGap / 2;
    repaint();
}

void ChainStrip::paint (juce::Graphics& g)
{
    g.fillAll (palette::background);
    // Arrows between slots: the order audio flows in.
    g.setColour (palette::textDim);
    for (size_t i = 1; i < slots.size(); ++i)
    {
        const int x = slots[i]->getX() - slotGap / 2;
        const int y = slots[i]->getBounds().getCentreY();
        g.drawArrow ({ (float) x - 4.0f, (float) y, (float) x + 3.0f, (float) y }, 1.2f, 6.0f, 6.0f);
    }
    if (dropIndicatorX >= 0)
    {
        g.setColour (palette::accent);
        g.fillRect (dropIndicatorX - 1, 4, 3, getHeight() - 8);
    }
    if (slots.empty())
    {
        g.setColour (palette::textDim);
        g.setFont (fonts::label (13.0f));
        g.drawText ("The chain is empty: the master is the mix. Add a module.", getLocalBounds().withTrimmedLeft (14),
            juce::Justification::centredLeft);
    }
}

void ChainStrip::resized()
{
    auto area = getLocalBounds().reduced (12, 6);
    auto right = area.removeFromRight (400);
    auto buttons = right.removeFromTop (area.getHeight() * 2 / 3);
    addButton.setBounds (buttons.removeFromLeft (136).reduced (2));
    presetButton.setBounds (buttons.removeFromLeft (118).reduced (2));
    compareButton.setBounds (buttons.reduced (2));
    soloNote.setBounds (right);
    // Narrower slots when the chain is long (plugins add up) rather than slots past the buttons.
    area.removeFromRight (slotGap);
    const int count = juce::jmax (1, (int) slots.size());
    shownSlotWidth = juce::jlimit (150, slotWidth, (area.getWidth() + slotGap) / count - slotGap);
    for (auto& slot : slots)
    {
        slot->setBounds (area.removeFromLeft (shownSlotWidth));
        area.removeFromLeft (slotGap);
    }
}

} // namespace crest::app
