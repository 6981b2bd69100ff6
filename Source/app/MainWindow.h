#pragma once

// The window a mastering engineer sits in front of: transport and album overview across the
// top, the chain strip under them, the module editor (or the album, references or translation
// view) in the middle with the spectrum below it, and the meter bridge on the right. A banner
// under the transport says when there is no usable audio device; everything else keeps working.
//
// The meter bridge and the spectrum can be hidden (View > Meter bridge, Ctrl+M) to give the
// editors the whole width. Session files (New, Open, Open Recent, Save, Save As, Close) ask
// before unsaved edits are dropped; the Workstation keeps a recovery file meanwhile.
//
// One meter clock (60 Hz) copies the newest snapshots out of the player (wait-free) and hands
// them to every instrument; nothing here ever waits on the audio thread.

#include "app/AlbumView.h"
#include "app/ChainStrip.h"
#include "app/ClientView.h"
#include "app/ExportDialog.h"
#include "app/MeterBridge.h"
#include "app/MeterViews.h"
#include "app/ModuleEditor.h"
#include "app/ReferencePanel.h"
#include "app/TranslationPanel.h"
#include "app/TransportBar.h"
#include "app/WaveformOverview.h"
#include "app/Workstation.h"

#include <juce_gui_basics/juce_gui_basics.h>
#include <juce_gui_extra/juce_gui_extra.h> // RecentlyOpenedFilesList

namespace crest::app
{

/** Holds the editor of the module selected in the chain strip. */
class ModuleEditorHost : public juce::Component, private juce::ChangeListener
{
public:
    explicit ModuleEditorHost (Workstation&);
    ~ModuleEditorHost() override;

    void refreshLive();
    void resized() override;
    void paint (juce::Graphics&) override;

    ModuleEditor* editor() const noexcept { return current.get(); }

private:
    void changeListenerCallback (juce::ChangeBroadcaster*) override;

    Workstation& workstation;
    std::unique_ptr<ModuleEditor> current;
    std::string shownId;
    uint64_t shownRevision = 0;
};

/** Everything inside the main window. */
class MainComponent : public juce::Component,
                      public juce::MenuBarModel,
                      public juce::FileDragAndDropTarget,
                      private juce::ChangeListener,
                      private juce::Timer
{
public:
    explicit MainComponent (Workstation&);
    ~MainComponent() override;

    /** The tabs of the central area. */
    enum class Tab
    {
        module = 0,
        album,
        references,
        translation
    };
    void showTab (Tab);

    // ---- session files ---------------------------------------------------------------------

    /** Runs `then` once the open session's unsaved edits are saved or deliberately dropped:
        at once when there are none, else after asking (Save / Don't save / Cancel; Cancel
        never runs it). */
    void confirmDiscard (std::function<void()> then);

    /** Saves to the session's file, or asks for one (Save As) when it has none; `then` gets
        whether it was saved. */
    void save (std::function<void (bool)> then = {});
    void saveAs (std::function<void (bool)> then = {});
    void newSession();
    void openDialog();
    void openFile (const juce::File&);
    void closeSession();

    /** Chooses audio files and adds them as tracks. */
    void addTracksDialog();

    /** The title bar's text: "NAME.crest * - Crest" (the star: unsaved edits). */
    juce::String windowTitle() const;

    /** Opens the export dialog in a window of its own (or brings it to the front). */
    ExportDialog& showExportDialog();

    /** Opens Window > Client view (or brings it to the front). */
    ClientWindow& showClientView();

    /** Imports a notes.json (dropped or chosen) onto the Notes page; false with the error shown there. */
    bool importNotes (const juce::File&);

    /** Opens Help > Keyboard. */
    void showKeyboardHelp();

    /** Shows or hides the meter bridge and the spectrum. */
    void setMetersShown (bool);
    bool metersShown() const noexcept { return showMeters; }

    /** The meter bridge's width beside the editors (the divider's drag; -1: automatic). */
    void setMeterWidth (int width);

    /** Moves the meter bridge into a window of its own, or back beside the editors. */
    void setMetersDetached (bool);
    bool metersDetached() const noexcept { return meterWindow != nullptr; }

    /** The recently opened sessions (File > Open Recent), kept in the data folder. */
    juce::RecentlyOpenedFilesList recentFiles;

    /** Runs the meter clock once (the timer does this 60 times a second). */
    void meterFrame();

    /** Names of the visible components, for tests that check what a view shows. */
    juce::StringArray visibleComponentNames();

    void paint (juce::Graphics&) override;
    void resized() override;
    bool keyPressed (const juce::KeyPress&) override;

    bool isInterestedInFileDrag (const juce::StringArray&) override { return true; }
    void filesDropped (const juce::StringArray& files, int x, int y) override;

    juce::StringArray getMenuBarNames() override;
    juce::PopupMenu getMenuForIndex (int menuIndex, const juce::String& menuName) override;
    void menuItemSelected (int menuItemID, int topLevelMenuIndex) override;

    Workstation& workstation;
    TransportBar transport;
    WaveformOverview overview;
    ChainStrip chainStrip;
    ModuleEditorHost editorHost;
    AlbumView album;
    ReferencePanel references;
    TranslationPanel translation;
    juce::TabbedComponent tabs { juce::TabbedButtonBar::TabsAtTop };
    SpectrumView spectrum;
    MeterBridge meters;
    MeterDivider meterDivider;
    juce::Label banner;
    juce::TextButton spectrumModeButton { "1/3 octave" }, peakHoldButton { "Peak hold" };
    juce::ComboBox slopeBox, averagingBox;

private:
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void timerCallback() override;
    void updateBanner();
    void applySpectrumOptions();
    void rememberRecent (const juce::File&);
    void showDialog (juce::Component* content, const juce::String& title, std::unique_ptr<juce::DialogWindow>&);

    std::unique_ptr<juce::FileChooser> chooser;
    // Not modal: the window stays usable (and playing) while they are open.
    std::unique_ptr<juce::DialogWindow> exportWindow, helpWindow;
    ExportDialog* exportDialog = nullptr;
    std::unique_ptr<ClientWindow> clientWindow;
    std::unique_ptr<MeterWindow> meterWindow;
    int meterWidth = -1;
    juce::TextButton addTracksButton { "Add tracks..." }, exportButton { "Export..." }, metersButton { "Hide meters" };
    bool showMeters = true;
    juce::String shownTitle;
    size_t shownTracks = 0;
    int64_t shownLength = -1;
};

/** The main document window. Closing it quits the application. */
class MainWindow : public juce::DocumentWindow, private juce::ChangeListener
{
public:
    MainWindow (const juce::String& name, Workstation&);
    ~MainWindow() override;

    void closeButtonPressed() override;

    MainComponent& main() { return *content; }

private:
    void changeListenerCallback (juce::ChangeBroadcaster*) override;

    Workstation& workstation;
    MainComponent* content;
};

} // namespace crest::app
