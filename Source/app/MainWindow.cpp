#include "app/MainWindow.h"

#include "app/AudioSettings.h"
#include "app/CrestLookAndFeel.h"
#include "session/SessionFile.h"

namespace crest::app
{

// ---- module editor host ------------------------------------------------------------------------

ModuleEditorHost::ModuleEditorHost (Workstation& w) : workstation (w)
{
    setName ("ModuleEditorHost");
    workstation.addChangeListener (this);
    changeListenerCallback (nullptr);
}

ModuleEditorHost::~ModuleEditorHost()
{
    workstation.removeChangeListener (this);
}

void ModuleEditorHost::changeListenerCallback (juce::ChangeBroadcaster*)
{
    auto& chain = workstation.session().chain.modules;
    if (workstation.selectedModule.empty() && ! chain.empty())
        workstation.selectedModule = chain.front().id;
    const auto* module = const_cast<engine::ChainDescription&> (workstation.session().chain).find (workstation.selectedModule);
    const std::string wanted = module != nullptr ? module->id + "/" + module->type : std::string();
    if (wanted != shownId)
    {
        shownId = wanted;
        current.reset();
        if (module != nullptr)
        {
            current = createModuleEditor (workstation, module->id, module->type);
            addAndMakeVisible (*current);
            resized();
        }
        repaint();
    }
    else if (current != nullptr && shownRevision != workstation.editor().revision())
        current->refresh();
    shownRevision = workstation.editor().revision();
}

void ModuleEditorHost::refreshLive()
{
    if (current != nullptr)
        current->refreshLive();
}

void ModuleEditorHost::resized()
{
    if (current != nullptr)
        current->setBounds (getLocalBounds());
}

void ModuleEditorHost::paint (juce::Graphics& g)
{
    if (current == nullptr)
    {
        g.fillAll (palette::panel);
        g.setColour (palette::textDim);
        g.setFont (fonts::label (15.0f));
        g.drawText ("Select a module in the chain to edit it, or add one.", getLocalBounds(), juce::Justification::centred);
    }
}

// ---- main component ----------------------------------------------------------------------------

MainComponent::MainComponent (Workstation& w)
    : workstation (w), transport (w), overview (w), chainStrip (w), editorHost (w), album (w), references (w),
      translation (w), meters (w)
{
    setName ("MainComponent");
    tabs.setName ("Tabs");
    tabs.setTabBarDepth (30);
    tabs.setOutline (0);
    const auto tabColour = palette::panel;
    tabs.addTab ("Module editor", tabColour, &editorHost, false);
    tabs.addTab ("Album", tabColour, &album, false);
    tabs.addTab ("References / A-B", tabColour, &references, false);
    tabs.addTab ("Translation / platforms", tabColour, &translation, false);

    banner.setName ("NoAudioBanner");
    banner.setColour (juce::Label::backgroundColourId, palette::warning.withAlpha (0.9f));
    banner.setColour (juce::Label::textColourId, palette::background);
    banner.setFont (fonts::label (15.0f).boldened());
    banner.setJustificationType (juce::Justification::centredLeft);

    spectrumModeButton.setClickingTogglesState (true);
    spectrumModeButton.onClick = [this]
    {
        spectrum.thirdOctave = spectrumModeButton.getToggleState();
        spectrum.repaint();
    };
    peakHoldButton.setClickingTogglesState (true);
    peakHoldButton.setToggleState (true, juce::dontSendNotification);
    peakHoldButton.onClick = [this] { applySpectrumOptions(); };
    slopeBox.addItemList ({ "Flat (0 dB/oct)", "Slope 3 dB/oct", "Slope 4.5 dB/oct", "Slope 6 dB/oct" }, 1);
    slopeBox.setSelectedItemIndex (2, juce::dontSendNotification);
    slopeBox.setTooltip ("Tilts the display about 1 kHz so that a balanced master reads flat (pink noise at 3 dB/oct)");
    slopeBox.onChange = [this] { applySpectrumOptions(); };
    averagingBox.addItemList ({ "Fast (0.1 s)", "Medium (0.3 s)", "Slow (1 s)", "Long-term (5 s)" }, 1);
    averagingBox.setSelectedItemIndex (1, juce::dontSendNotification);
    averagingBox.onChange = [this] { applySpectrumOptions(); };
    transport.onSettings = [this] { AudioSettings::showDialog (workstation.devices(), this); };

    for (auto* c : std::initializer_list<juce::Component*> { &transport, &overview, &chainStrip, &tabs, &spectrum, &meters,
             &banner, &spectrumModeButton, &peakHoldButton, &slopeBox, &averagingBox })
        addAndMakeVisible (c);
    setWantsKeyboardFocus (true);
    workstation.addChangeListener (this);
    applySpectrumOptions();
    updateBanner();
    setSize (1440, 900);
    startTimerHz (60);
}

MainComponent::~MainComponent()
{
    stopTimer();
    workstation.removeChangeListener (this);
}

void MainComponent::applySpectrumOptions()
{
    const float slopes[] = { 0.0f, 3.0f, 4.5f, 6.0f };
    const float averaging[] = { 0.1f, 0.3f, 1.0f, 5.0f };
    spectrum.slopeDbPerOctave = slopes[juce::jlimit (0, 3, slopeBox.getSelectedItemIndex())];
    spectrum.showPeakHold = peakHoldButton.getToggleState();
    workstation.player().setSpectrumOptions (
        averaging[juce::jlimit (0, 3, averagingBox.getSelectedItemIndex())], spectrum.slopeDbPerOctave, 12.0f);
    spectrum.repaint();
}

void MainComponent::showTab (Tab tab)
{
    tabs.setCurrentTabIndex ((int) tab);
}

void MainComponent::updateBanner()
{
    juce::String text;
    if (const auto device = workstation.deviceProblem(); device.isNotEmpty())
        text = "No audio device: " + device + ".  Editing, metering and export keep working; choose a device in Audio...";
    if (workstation.problem.isNotEmpty())
        text = (text.isEmpty() ? juce::String() : text + "   |   ") + workstation.problem;
    banner.setText (text, juce::dontSendNotification);
    if (banner.isVisible() != text.isNotEmpty())
    {
        banner.setVisible (text.isNotEmpty());
        resized();
    }
}

void MainComponent::changeListenerCallback (juce::ChangeBroadcaster*)
{
    updateBanner();
    menuItemsChanged(); // the Edit menu's undo/redo names
    auto& player = workstation.player();
    if (player.tracks().size() != shownTracks || player.lengthSamples() != shownLength)
    {
        shownTracks = player.tracks().size();
        shownLength = player.lengthSamples();
        overview.rebuild();
    }
}

void MainComponent::timerCallback()
{
    meterFrame();
}

void MainComponent::meterFrame()
{
    workstation.refreshMeters();
    meters.update();
    std::vector<float> referenceSpectrum;
    auto& player = workstation.player();
    if (player.numReferences() > 0)
        referenceSpectrum = player.referenceInfo (juce::jmax (0, player.listeningTo())).thirdOctaveDb;
    spectrum.update (workstation.inputMeters(), workstation.outputMeters(), referenceSpectrum);
    chainStrip.refreshLive();
    editorHost.refreshLive();
    transport.update();
    // The player may have finished loading since the last change message.
    if (player.tracks().size() != shownTracks || player.lengthSamples() != shownLength)
        changeListenerCallback (nullptr);
}

juce::StringArray MainComponent::visibleComponentNames()
{
    juce::StringArray names;
    std::function<void (juce::Component&)> visit = [&] (juce::Component& c)
    {
        if (! c.isVisible() || c.getWidth() <= 0 || c.getHeight() <= 0)
            return;
        if (c.getName().isNotEmpty())
            names.addIfNotAlreadyThere (c.getName().replaceCharacter (' ', '_'));
        for (auto* child : c.getChildren())
            visit (*child);
    };
    // A tabbed component keeps hidden pages as children; only the current page counts.
    visit (*this);
    return names;
}

void MainComponent::paint (juce::Graphics& g)
{
    g.fillAll (palette::background);
}

void MainComponent::resized()
{
    auto area = getLocalBounds();
    transport.setBounds (area.removeFromTop (56));
    if (banner.isVisible())
        banner.setBounds (area.removeFromTop (30).reduced (8, 2));
    overview.setBounds (area.removeFromTop (96).reduced (8, 4));
    chainStrip.setBounds (area.removeFromTop (68).reduced (0, 2));
    area.reduce (8, 4);
    meters.setBounds (area.removeFromRight (juce::jmax (420, area.getWidth() * 34 / 100)));
    area.removeFromRight (8);
    auto spectrumArea = area.removeFromBottom (area.getHeight() * 34 / 100);
    spectrum.setBounds (spectrumArea.withTrimmedTop (6));
    auto spectrumControls = juce::Rectangle<int> (spectrum.getRight() - 560, spectrum.getY() + 4, 552, 22);
    spectrumModeButton.setBounds (spectrumControls.removeFromRight (96));
    spectrumControls.removeFromRight (6);
    peakHoldButton.setBounds (spectrumControls.removeFromRight (86));
    spectrumControls.removeFromRight (6);
    averagingBox.setBounds (spectrumControls.removeFromRight (150));
    spectrumControls.removeFromRight (6);
    slopeBox.setBounds (spectrumControls.removeFromRight (150));
    tabs.setBounds (area);
}

bool MainComponent::keyPressed (const juce::KeyPress& key)
{
    const auto mods = key.getModifiers();
    if (mods.isCommandDown())
    {
        const int code = key.getKeyCode();
        if (code == 'Z' && mods.isShiftDown())
            return workstation.redo() || true;
        if (code == 'Z')
            return workstation.undo() || true;
        if (code == 'Y')
            return workstation.redo() || true;
        if (code == 'S')
        {
            save();
            return true;
        }
        if (code == 'O')
        {
            openDialog();
            return true;
        }
        return false;
    }
    if (key.getKeyCode() == 'B' || key.getKeyCode() == 'b')
    {
        chainStrip.toggleCompare();
        return true;
    }
    return transport.handleKey (key) || references.handleKey (key) || album.handleKey (key);
}

void MainComponent::filesDropped (const juce::StringArray& files, int, int)
{
    juce::StringArray audio;
    for (const auto& path : files)
    {
        const juce::File file (path);
        if (file.hasFileExtension (".crest"))
        {
            juce::String error;
            if (! workstation.openSession (file, error))
                workstation.problem = file.getFileName() + ": " + error;
            updateBanner();
            return;
        }
        audio.add (path);
    }
    if (! audio.isEmpty())
        workstation.addAudioFiles (audio);
}

void MainComponent::save()
{
    auto target = workstation.sessionFile();
    if (target == juce::File())
    {
        chooser = std::make_unique<juce::FileChooser> ("Save the session", juce::File(), "*.crest");
        chooser->launchAsync (juce::FileBrowserComponent::saveMode | juce::FileBrowserComponent::warnAboutOverwriting,
            [this] (const juce::FileChooser& fc)
            {
                if (fc.getResult() != juce::File())
                {
                    try
                    {
                        session::SessionFile::save (
                            workstation.session(), fc.getResult().withFileExtension ("crest").getFullPathName().toStdString());
                    }
                    catch (const std::exception& e)
                    {
                        workstation.problem = e.what();
                        updateBanner();
                    }
                }
            });
        return;
    }
    try
    {
        session::SessionFile::save (workstation.session(), target.getFullPathName().toStdString());
    }
    catch (const std::exception& e)
    {
        workstation.problem = e.what();
        updateBanner();
    }
}

void MainComponent::openDialog()
{
    chooser = std::make_unique<juce::FileChooser> ("Open a session", juce::File(), "*.crest");
    chooser->launchAsync (juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectFiles,
        [this] (const juce::FileChooser& fc)
        {
            if (fc.getResult().existsAsFile())
                filesDropped ({ fc.getResult().getFullPathName() }, 0, 0);
        });
}

juce::StringArray MainComponent::getMenuBarNames()
{
    return { "File", "Edit", "View", "Audio" };
}

namespace menu
{
    enum Items
    {
        open = 1,
        save,
        quit,
        undo,
        redo,
        viewModule,
        viewAlbum,
        viewReferences,
        viewTranslation,
        audioSettings,
        resetMeters
    };
}

juce::PopupMenu MainComponent::getMenuForIndex (int menuIndex, const juce::String&)
{
    juce::PopupMenu m;
    if (menuIndex == 0)
    {
        m.addItem (menu::open, "Open session...   Ctrl+O");
        m.addItem (menu::save, "Save session   Ctrl+S");
        m.addSeparator();
        m.addItem (menu::quit, "Quit");
    }
    else if (menuIndex == 1)
    {
        auto& e = workstation.editor();
        m.addItem (
            menu::undo, e.canUndo() ? "Undo " + juce::String (e.undoName()) + "   Ctrl+Z" : juce::String ("Undo"), e.canUndo());
        m.addItem (menu::redo, e.canRedo() ? "Redo " + juce::String (e.redoName()) + "   Ctrl+Shift+Z" : juce::String ("Redo"),
            e.canRedo());
    }
    else if (menuIndex == 2)
    {
        m.addItem (menu::viewModule, "Module editor");
        m.addItem (menu::viewAlbum, "Album");
        m.addItem (menu::viewReferences, "References / A-B");
        m.addItem (menu::viewTranslation, "Translation / platforms");
        m.addSeparator();
        m.addItem (menu::resetMeters, "Reset meters");
    }
    else
        m.addItem (menu::audioSettings, "Audio settings...");
    return m;
}

void MainComponent::menuItemSelected (int id, int)
{
    switch (id)
    {
        case menu::open:
            openDialog();
            break;
        case menu::save:
            save();
            break;
        case menu::quit:
            juce::JUCEApplication::getInstance()->systemRequestedQuit();
            break;
        case menu::undo:
            workstation.undo();
            break;
        case menu::redo:
            workstation.redo();
            break;
        case menu::viewModule:
            showTab (Tab::module);
            break;
        case menu::viewAlbum:
            showTab (Tab::album);
            break;
        case menu::viewReferences:
            showTab (Tab::references);
            break;
        case menu::viewTranslation:
            showTab (Tab::translation);
            break;
        case menu::resetMeters:
            workstation.player().resetMeters();
            break;
        case menu::audioSettings:
            AudioSettings::showDialog (workstation.devices(), this);
            break;
        default:
            break;
    }
}

// ---- window ------------------------------------------------------------------------------------

MainWindow::MainWindow (const juce::String& name, Workstation& workstation)
    : DocumentWindow (name, palette::background, DocumentWindow::allButtons)
{
    setUsingNativeTitleBar (true);
    content = new MainComponent (workstation);
    setContentOwned (content, true);
    setMenuBar (content);
    setResizable (true, true);
    setResizeLimits (1100, 720, 4000, 3000);
    centreWithSize (getWidth(), getHeight());
    setVisible (true);
    content->grabKeyboardFocus();
}

MainWindow::~MainWindow()
{
    setMenuBar (nullptr);
}

void MainWindow::closeButtonPressed()
{
    juce::JUCEApplication::getInstance()->systemRequestedQuit();
}

} // namespace crest::app
