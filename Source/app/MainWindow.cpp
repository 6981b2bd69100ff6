#include "app/MainWindow.h"

#include "app/AudioSettings.h"
#include "app/CrestLookAndFeel.h"
#include "app/KeyboardHelp.h"
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
    // A plugin slot's editor also depends on which plugin it holds (another session may reuse the ID).
    const std::string wanted = module != nullptr ? module->id + "/" + module->type + "/" + module->plugin.id : std::string();
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
    addTracksButton.setTooltip ("Add audio files as tracks at the end of the album (Ctrl+I); or drop them on the window");
    addTracksButton.onClick = [this] { addTracksDialog(); };
    exportButton.setTooltip ("Export the deliverables: preflight, progress and report (Ctrl+E)");
    exportButton.onClick = [this] { showExportDialog(); };
    metersButton.setTooltip ("Hide or show the meter bridge and the spectrum, giving the editors the room (Ctrl+M)");
    metersButton.onClick = [this] { setMetersShown (! showMeters); };
    recentFiles.setMaxNumberOfItems (10);
    recentFiles.restoreFromString (Workstation::dataFolder().getChildFile ("recent-sessions.txt").loadFileAsString());

    for (auto* c : std::initializer_list<juce::Component*> { &transport, &overview, &chainStrip, &tabs, &spectrum, &meters,
             &banner, &spectrumModeButton, &peakHoldButton, &slopeBox, &averagingBox, &addTracksButton, &exportButton,
             &metersButton })
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
    exportWindow.reset(); // an export running in the dialog is cancelled: nothing is left behind
    helpWindow.reset();
    clientWindow.reset();
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
    if (const auto title = windowTitle(); title != shownTitle)
    {
        shownTitle = title;
        if (auto* window = findParentComponentOfClass<juce::DocumentWindow>())
            window->setName (title);
    }
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
    // The overview and the chain strip take less height in a short window (720 px).
    const bool compact = getHeight() < 860;
    overview.setBounds (area.removeFromTop (compact ? 78 : 96).reduced (8, 4));
    chainStrip.setBounds (area.removeFromTop (compact ? 62 : 68).reduced (0, 2));
    area.reduce (8, 4);
    spectrum.setVisible (showMeters);
    meters.setVisible (showMeters);
    for (auto* c : std::initializer_list<juce::Component*> { &spectrumModeButton, &peakHoldButton, &slopeBox, &averagingBox })
        c->setVisible (showMeters);
    if (showMeters)
    {
        // The meter bridge: about 30 % of the width, never below what its figures need (420 px:
        // narrower, the loudness row cuts "PLR 15.4 dB").
        meters.setBounds (area.removeFromRight (juce::jlimit (420, 620, area.getWidth() * 30 / 100)));
        area.removeFromRight (8);
        auto spectrumArea = area.removeFromBottom (juce::jmax (150, area.getHeight() * 30 / 100));
        spectrum.setBounds (spectrumArea.withTrimmedTop (6));
        auto spectrumControls = juce::Rectangle<int> (spectrum.getRight() - 560, spectrum.getY() + 4, 552, 22);
        spectrumModeButton.setBounds (spectrumControls.removeFromRight (96));
        spectrumControls.removeFromRight (6);
        peakHoldButton.setBounds (spectrumControls.removeFromRight (86));
        spectrumControls.removeFromRight (6);
        averagingBox.setBounds (spectrumControls.removeFromRight (150));
        spectrumControls.removeFromRight (6);
        slopeBox.setBounds (spectrumControls.removeFromRight (150));
    }
    tabs.setBounds (area);
    // Buttons in the free end of the tab bar: they act on the whole session, whatever the tab.
    auto bar = area.removeFromTop (tabs.getTabBarDepth()).reduced (0, 3);
    metersButton.setBounds (bar.removeFromRight (104));
    bar.removeFromRight (6);
    exportButton.setBounds (bar.removeFromRight (90));
    bar.removeFromRight (6);
    addTracksButton.setBounds (bar.removeFromRight (110));
    for (auto* b : { &addTracksButton, &exportButton, &metersButton })
        b->toFront (false);
}

void MainComponent::setMetersShown (bool shown)
{
    showMeters = shown;
    metersButton.setButtonText (shown ? "Hide meters" : "Show meters");
    resized();
    menuItemsChanged();
}

bool MainComponent::keyPressed (const juce::KeyPress& key)
{
    const auto mods = key.getModifiers();
    const int code = key.getKeyCode();
    if (mods.isCommandDown())
    {
        if (code == 'Z' && mods.isShiftDown())
            return workstation.redo() || true;
        if (code == 'S' && mods.isShiftDown())
            return saveAs(), true;
        if (code >= '1' && code <= '4')
            return showTab ((Tab) (code - '1')), true;
        switch (code)
        {
            case 'Z': return workstation.undo() || true;
            case 'Y': return workstation.redo() || true;
            case 'S': return save(), true;
            case 'O': return openDialog(), true;
            case 'N': return newSession(), true;
            case 'W': return closeSession(), true;
            case 'I': return addTracksDialog(), true;
            case 'E': return showExportDialog(), true;
            case 'M': return setMetersShown (! showMeters), true;
            case 'Q': return juce::JUCEApplication::getInstance()->systemRequestedQuit(), true;
            default: return false;
        }
    }
    if (code == juce::KeyPress::F1Key)
        return showKeyboardHelp(), true;
    if (code == 'B' || code == 'b')
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
            openFile (file);
            return;
        }
        if (file.hasFileExtension (".json"))
        {
            importNotes (file); // a client's notes.json from the review page
            continue;
        }
        audio.add (path);
    }
    if (! audio.isEmpty())
        workstation.addAudioFiles (audio);
}

ClientWindow& MainComponent::showClientView()
{
    // The client gets the read-only feed, never the Workstation itself.
    if (clientWindow == nullptr)
        clientWindow = std::make_unique<ClientWindow> (workstation.clientFeed());
    if (! clientWindow->isVisible())
        clientWindow->placeOnDisplays();
    clientWindow->toFront (false);
    return *clientWindow;
}

bool MainComponent::importNotes (const juce::File& notesJson)
{
    showTab (Tab::album);
    album.showPage (AlbumView::Page::notes);
    return album.notes.importFile (notesJson);
}

juce::String MainComponent::windowTitle() const
{
    const auto file = workstation.sessionFile();
    const auto name = file == juce::File() ? juce::String ("Untitled") : file.getFileName();
    return name + (workstation.hasUnsavedEdits() ? " *" : "") + " - Crest";
}

void MainComponent::confirmDiscard (std::function<void()> then)
{
    if (! workstation.hasUnsavedEdits())
    {
        then();
        return;
    }
    const auto file = workstation.sessionFile();
    const auto name = file == juce::File() ? juce::String ("the untitled session") : file.getFileName();
    juce::AlertWindow::showYesNoCancelBox (juce::MessageBoxIconType::QuestionIcon, "Unsaved edits",
        "Save the edits to " + name + " first?\n\n" + juce::String (workstation.editor().undoName()).quoted()
            + " is the last of them.",
        "Save", "Don't save", "Cancel", this,
        juce::ModalCallbackFunction::create (
            [this, then] (int choice)
            {
                if (choice == 1)
                    save ([then] (bool saved)
                        {
                            if (saved)
                                then();
                        });
                else if (choice == 2)
                {
                    workstation.discardRecovery();
                    then();
                }
            }));
}

void MainComponent::save (std::function<void (bool)> then)
{
    const auto target = workstation.sessionFile();
    if (target == juce::File())
    {
        saveAs (then);
        return;
    }
    juce::String error;
    const bool ok = workstation.saveAs (target, error);
    if (! ok)
    {
        workstation.problem = target.getFileName() + ": " + error;
        updateBanner();
    }
    if (then)
        then (ok);
}

void MainComponent::saveAs (std::function<void (bool)> then)
{
    const auto current = workstation.sessionFile();
    chooser = std::make_unique<juce::FileChooser> ("Save the session as",
        current == juce::File() ? juce::File::getSpecialLocation (juce::File::userDocumentsDirectory).getChildFile ("Untitled.crest")
                                : current,
        "*.crest");
    chooser->launchAsync (juce::FileBrowserComponent::saveMode | juce::FileBrowserComponent::warnAboutOverwriting,
        [this, then] (const juce::FileChooser& fc)
        {
            bool ok = false;
            if (fc.getResult() != juce::File())
            {
                const auto target = fc.getResult().withFileExtension ("crest");
                juce::String error;
                ok = workstation.saveAs (target, error);
                if (ok)
                    rememberRecent (target);
                else
                {
                    workstation.problem = target.getFileName() + ": " + error;
                    updateBanner();
                }
            }
            if (then)
                then (ok);
        });
}

void MainComponent::rememberRecent (const juce::File& file)
{
    if (file != juce::File())
        recentFiles.addFile (file);
    Workstation::dataFolder().createDirectory();
    Workstation::dataFolder().getChildFile ("recent-sessions.txt").replaceWithText (recentFiles.toString());
    menuItemsChanged();
}

void MainComponent::newSession()
{
    confirmDiscard ([this] { workstation.newSession(); });
}

void MainComponent::closeSession()
{
    // One window, one session: closing leaves an empty, untitled one.
    confirmDiscard (
        [this]
        {
            workstation.discardRecovery();
            workstation.newSession();
        });
}

void MainComponent::openFile (const juce::File& file)
{
    confirmDiscard (
        [this, file]
        {
            juce::String error;
            if (workstation.openSession (file, error))
                rememberRecent (file);
            else
                workstation.problem = file.getFileName() + ": " + error;
            updateBanner();
        });
}

void MainComponent::openDialog()
{
    confirmDiscard (
        [this]
        {
            chooser = std::make_unique<juce::FileChooser> ("Open a session", workstation.sessionFile().getParentDirectory(), "*.crest");
            chooser->launchAsync (juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectFiles,
                [this] (const juce::FileChooser& fc)
                {
                    if (! fc.getResult().existsAsFile())
                        return;
                    juce::String error;
                    if (workstation.openSession (fc.getResult(), error))
                        rememberRecent (fc.getResult());
                    else
                        workstation.problem = fc.getResult().getFileName() + ": " + error;
                    updateBanner();
                });
        });
}

void MainComponent::addTracksDialog()
{
    chooser = std::make_unique<juce::FileChooser> ("Add tracks", workstation.sessionFile().getParentDirectory(),
        "*.wav;*.flac;*.aif;*.aiff;*.ogg;*.mp3");
    chooser->launchAsync (juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectFiles
                              | juce::FileBrowserComponent::canSelectMultipleItems,
        [this] (const juce::FileChooser& fc)
        {
            juce::StringArray paths;
            for (const auto& f : fc.getResults())
                if (f.existsAsFile())
                    paths.add (f.getFullPathName());
            if (! paths.isEmpty())
                workstation.addAudioFiles (paths);
        });
}

void MainComponent::showDialog (juce::Component* content, const juce::String& title, std::unique_ptr<juce::DialogWindow>& window)
{
    juce::DialogWindow::LaunchOptions options;
    options.content.setOwned (content);
    options.dialogTitle = title;
    options.dialogBackgroundColour = palette::panel;
    options.componentToCentreAround = this;
    options.useNativeTitleBar = true;
    options.resizable = true;
    window.reset (options.create()); // closing it hides it (DialogWindow's close button)
    window->setVisible (true);
}

ExportDialog& MainComponent::showExportDialog()
{
    if (exportWindow == nullptr || exportDialog == nullptr)
    {
        exportDialog = new ExportDialog (workstation);
        showDialog (exportDialog, "Export", exportWindow);
    }
    exportWindow->setVisible (true);
    exportWindow->toFront (true);
    return *exportDialog;
}

void MainComponent::showKeyboardHelp()
{
    if (helpWindow == nullptr)
        showDialog (new KeyboardHelp(), "Keyboard shortcuts", helpWindow);
    helpWindow->setVisible (true);
    helpWindow->toFront (true);
}

juce::StringArray MainComponent::getMenuBarNames()
{
    return { "File", "Edit", "View", "Audio", "Window", "Help" };
}

namespace menu
{
    enum Items
    {
        open = 1,
        save,
        saveAs,
        newSession,
        closeSession,
        addTracks,
        exportRelease,
        quit,
        undo,
        redo,
        viewModule,
        viewAlbum,
        viewReferences,
        viewTranslation,
        viewMeters,
        audioSettings,
        resetMeters,
        keyboard,
        clearRecent,
        clientView,
        recentBase = 100
    };
}

juce::PopupMenu MainComponent::getMenuForIndex (int menuIndex, const juce::String&)
{
    juce::PopupMenu m;
    if (menuIndex == 0)
    {
        m.addItem (menu::newSession, "New session   Ctrl+N");
        m.addItem (menu::open, "Open session...   Ctrl+O");
        juce::PopupMenu recent;
        recentFiles.createPopupMenuItems (recent, menu::recentBase, true, true);
        if (recentFiles.getNumFiles() > 0)
        {
            recent.addSeparator();
            recent.addItem (menu::clearRecent, "Clear the list");
        }
        m.addSubMenu ("Open recent", recent, recentFiles.getNumFiles() > 0);
        m.addItem (menu::save, "Save   Ctrl+S");
        m.addItem (menu::saveAs, "Save as...   Ctrl+Shift+S");
        m.addItem (menu::closeSession, "Close session   Ctrl+W");
        m.addSeparator();
        m.addItem (menu::addTracks, "Add tracks...   Ctrl+I");
        m.addItem (menu::exportRelease, "Export...   Ctrl+E");
        m.addSeparator();
        m.addItem (menu::quit, "Quit   Ctrl+Q");
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
        m.addItem (menu::viewModule, "Module editor   Ctrl+1");
        m.addItem (menu::viewAlbum, "Album   Ctrl+2");
        m.addItem (menu::viewReferences, "References / A-B   Ctrl+3");
        m.addItem (menu::viewTranslation, "Translation / platforms   Ctrl+4");
        m.addSeparator();
        m.addItem (menu::viewMeters, "Meter bridge and spectrum   Ctrl+M", true, showMeters);
        m.addItem (menu::resetMeters, "Reset meters");
    }
    else if (menuIndex == 3)
        m.addItem (menu::audioSettings, "Audio settings...");
    else if (menuIndex == 4)
        m.addItem (menu::clientView, "Client view", true, clientWindow != nullptr && clientWindow->isVisible());
    else
        m.addItem (menu::keyboard, "Keyboard shortcuts   F1");
    return m;
}

void MainComponent::menuItemSelected (int id, int)
{
    if (id >= menu::recentBase)
    {
        openFile (recentFiles.getFile (id - menu::recentBase));
        return;
    }
    switch (id)
    {
        case menu::open: openDialog(); break;
        case menu::save: save(); break;
        case menu::saveAs: saveAs(); break;
        case menu::newSession: newSession(); break;
        case menu::closeSession: closeSession(); break;
        case menu::addTracks: addTracksDialog(); break;
        case menu::exportRelease: showExportDialog(); break;
        case menu::quit: juce::JUCEApplication::getInstance()->systemRequestedQuit(); break;
        case menu::undo: workstation.undo(); break;
        case menu::redo: workstation.redo(); break;
        case menu::viewModule: showTab (Tab::module); break;
        case menu::viewAlbum: showTab (Tab::album); break;
        case menu::viewReferences: showTab (Tab::references); break;
        case menu::viewTranslation: showTab (Tab::translation); break;
        case menu::viewMeters: setMetersShown (! showMeters); break;
        case menu::resetMeters: workstation.player().resetMeters(); break;
        case menu::clientView:
            if (clientWindow != nullptr && clientWindow->isVisible())
                clientWindow->setVisible (false);
            else
                showClientView();
            break;
        case menu::audioSettings: AudioSettings::showDialog (workstation.devices(), this); break;
        case menu::keyboard: showKeyboardHelp(); break;
        case menu::clearRecent:
            recentFiles.clear();
            rememberRecent (juce::File());
            break;
        default: break;
    }
}

// ---- window ------------------------------------------------------------------------------------

MainWindow::MainWindow (const juce::String& name, Workstation& w)
    : DocumentWindow (name, palette::background, DocumentWindow::allButtons), workstation (w)
{
    setUsingNativeTitleBar (true);
    content = new MainComponent (workstation);
    setContentOwned (content, true);
    setMenuBar (content);
    // Down to 1280 x 720 (a laptop), up to 4K; JUCE scales for the display's DPI by itself.
    setResizable (true, true);
    setResizeLimits (1280, 720, 3840, 2160);
    const auto display = juce::Desktop::getInstance().getDisplays().getPrimaryDisplay();
    const auto room = display != nullptr ? display->userArea : juce::Rectangle<int> (0, 0, 1920, 1080);
    centreWithSize (juce::jlimit (1280, 3840, juce::jmin (getWidth(), room.getWidth())),
        juce::jlimit (720, 2160, juce::jmin (getHeight(), room.getHeight())));
    workstation.addChangeListener (this);
    changeListenerCallback (nullptr);
    setVisible (true);
    content->grabKeyboardFocus();
}

MainWindow::~MainWindow()
{
    workstation.removeChangeListener (this);
    setMenuBar (nullptr);
}

void MainWindow::changeListenerCallback (juce::ChangeBroadcaster*)
{
    setName (content->windowTitle());
}

void MainWindow::closeButtonPressed()
{
    juce::JUCEApplication::getInstance()->systemRequestedQuit();
}

} // namespace crest::app
