#include "app/Screenshots.h"

#include "app/AudioSettings.h"
#include "app/ExportDialog.h"
#include "app/KeyboardHelp.h"
#include "app/RecoveryPrompt.h"
#include "engine/ModuleRegistry.h"
#include "session/SessionRecovery.h"

namespace crest::app
{

namespace
{
    bool writePng (const juce::Image& image, const juce::File& file)
    {
        file.getParentDirectory().createDirectory();
        file.deleteFile();
        juce::FileOutputStream out (file);
        juce::PNGImageFormat png;
        const bool ok = out.openedOk() && png.writeImageToStream (image, out);
        if (! ok)
            std::fprintf (stderr, "Crest: %s: cannot write the screenshot\n", file.getFullPathName().toRawUTF8());
        return ok;
    }

    /** Plays `seconds` of the session offline, running the meter clock as the window would. */
    void play (MainComponent& main, Workstation& workstation, double seconds)
    {
        const int frames = juce::jmax (1, (int) (seconds * 60.0));
        for (int i = 0; i < frames; ++i)
        {
            workstation.runOffline (1.0 / 60.0);
            main.meterFrame();
        }
    }
} // namespace

bool writeScreenshots (MainWindow& window, Workstation& workstation, const juce::File& target)
{
    auto& main = window.main();
    auto& player = workstation.player();
    player.play();
    main.overview.waitUntilReady (20000);
    // Start a little into the album, where the demo is playing music, and meter a few seconds.
    play (main, workstation, 8.0);

    auto capture = [&] { return main.createComponentSnapshot (main.getLocalBounds()); };

    if (target.hasFileExtension (".png"))
        return writePng (capture(), target);

    target.createDirectory();
    juce::String listing;
    bool ok = true;
    auto shoot = [&] (const juce::String& view)
    {
        // Views follow the Workstation's change messages, which are asynchronous: deliver them.
        workstation.dispatchPendingMessages();
        main.meterFrame();
        ok = writePng (capture(), target.getChildFile (view + ".png")) && ok;
        listing << view << ": " << main.visibleComponentNames().joinIntoString (" ") << "\n";
    };

    main.showTab (MainComponent::Tab::module);
    if (! workstation.session().chain.modules.empty())
        workstation.selectModule (workstation.session().chain.modules.front().id);
    shoot ("main-window");

    // Each module type's editor: the chain's own module of that type, or one added for the
    // picture and taken back by undo afterwards.
    for (const auto& info : engine::moduleTypes())
    {
        std::string id;
        for (const auto& m : workstation.session().chain.modules)
            if (m.type == info.type && id.empty())
                id = m.id;
        const bool added = id.empty();
        if (added)
            id = workstation.addModule (info.type);
        workstation.selectModule (id);
        workstation.dispatchPendingMessages();
        play (main, workstation, 1.0);
        shoot ("chain-" + juce::String (info.type));
        if (added)
        {
            workstation.undo();
            workstation.dispatchPendingMessages();
        }
    }

    main.showTab (MainComponent::Tab::album);
    shoot ("album");
    main.showTab (MainComponent::Tab::references);
    // A session without references gets one for the picture (its last track, which is at the
    // session's rate), taken back by undo afterwards.
    const bool referenceAdded = player.numReferences() == 0 && ! workstation.session().tracks.empty();
    if (referenceAdded)
    {
        const auto& last = workstation.session().tracks.back();
        auto source = juce::File::isAbsolutePath (last.source)
            ? juce::File (last.source)
            : workstation.sessionFile().getParentDirectory().getChildFile (last.source);
        const auto at = player.position();
        workstation.addReference (source, "Reference: " + juce::String (last.title));
        workstation.dispatchPendingMessages();
        player.seek (at);
        player.waitUntilBuffered (2000);
        player.play();
        play (main, workstation, 4.0);
    }
    if (player.numReferences() > 0)
    {
        // Give the background measurement a moment, then listen to the first reference.
        for (int i = 0; i < 100 && ! player.referenceInfo (0).measured; ++i)
            juce::Thread::sleep (50);
        main.references.listen (0);
        play (main, workstation, 1.0);
    }
    shoot ("references");
    main.references.listen (-1);
    if (referenceAdded)
    {
        workstation.undo();
        workstation.dispatchPendingMessages();
    }
    main.showTab (MainComponent::Tab::translation);
    main.translation.choose (live::Translation::phone);
    play (main, workstation, 1.0);
    shoot ("translation");
    main.translation.choose (live::Translation::off);

    AudioSettings settings (workstation.devices());
    settings.setSize (640, 480);
    ok = writePng (settings.createComponentSnapshot (settings.getLocalBounds()), target.getChildFile ("settings.png")) && ok;
    listing << "settings: AudioSettings\n";

    // The window at the sizes the issue names: a laptop's 1280 x 720 (also with the meters
    // hidden, the editors' full width) and 1920 x 1080.
    const auto originalSize = main.getBounds();
    for (const auto& size : { juce::Point<int> (1280, 720), juce::Point<int> (1920, 1080) })
    {
        main.setSize (size.x, size.y);
        const auto suffix = "-" + juce::String (size.x) + "x" + juce::String (size.y);
        for (auto tab : { MainComponent::Tab::module, MainComponent::Tab::album })
        {
            main.showTab (tab);
            play (main, workstation, 0.5);
            shoot ((tab == MainComponent::Tab::module ? "main-window" : "album") + suffix);
        }
        main.setMetersShown (false);
        main.showTab (MainComponent::Tab::module);
        shoot ("main-window-meters-hidden" + suffix);
        main.setMetersShown (true);
    }
    main.setBounds (originalSize);

    // Help > Keyboard.
    KeyboardHelp help;
    ok = writePng (help.createComponentSnapshot (help.getLocalBounds()), target.getChildFile ("keyboard.png")) && ok;
    listing << "keyboard: KeyboardHelp\n";

    // The recovery prompt, as the next launch would show it after an edit and a kill -9: the
    // recovery file is written and read back by the real code, into a folder of its own.
    {
        const auto data = target.getChildFile ("recovery-data");
        data.deleteRecursively();
        auto edited = workstation.session();
        edited.album.title += " (remastered)";
        if (! edited.tracks.empty())
            edited.tracks.front().gainDb -= 0.5;
        if (! edited.chain.modules.empty())
            edited.chain.modules.back().bypass = true;
        std::string error;
        std::optional<session::Recovery> found;
        if (session::SessionRecovery::write (edited, {}, data.getFullPathName().toStdString(),
                juce::Time::currentTimeMillis(), error))
            found = session::SessionRecovery::find ({}, data.getFullPathName().toStdString(), error);
        if (found)
        {
            found->sessionPath = workstation.sessionFile().getFullPathName().toStdString();
            RecoveryPrompt prompt (*found, session::SessionRecovery::differences (workstation.session(), found->session));
            ok = writePng (prompt.createComponentSnapshot (prompt.getLocalBounds()), target.getChildFile ("recovery.png")) && ok;
            listing << "recovery: RecoveryPrompt\n";
        }
        else
        {
            std::fprintf (stderr, "Crest: the recovery picture: %s\n", error.c_str());
            ok = false;
        }
        data.deleteRecursively();
    }

    // The export dialog before, during and after an export of the session's targets, while
    // the player keeps playing (the export runs on its own thread).
    {
        const auto folder = target.getChildFile ("export");
        folder.deleteRecursively();
        ExportDialog dialog (workstation);
        dialog.setDestination (folder);
        dialog.resized();
        auto shootDialog = [&] (const juce::String& name)
        {
            dialog.poll();
            ok = writePng (dialog.createComponentSnapshot (dialog.getLocalBounds()), target.getChildFile (name + ".png")) && ok;
            listing << name << ": ExportDialog\n";
        };
        shootDialog ("export-before");
        // The same dialog when the preflight has something to say: an ISRC cut short (a Red
        // Book error: Export stays disabled) and a streaming ceiling above the platforms' -1
        // dBTP (a warning); the edit is taken back by undo.
        if (workstation.session().tracks.size() > 1)
        {
            workstation.editor().apply ("Break the preflight for the picture", session::EditKind::album,
                [] (session::Session& s)
                {
                    s.tracks[1].isrc = "ZZCRS25";
                    s.deliverables.ceilingDbtp = -0.2;
                });
            dialog.refreshPreflight();
            shootDialog ("export-preflight");
            workstation.undo();
            workstation.dispatchPendingMessages();
            dialog.refreshPreflight();
        }
        if (! dialog.blocked())
        {
            dialog.exportButton.onClick(); // the button's own handler (a click would wait for the message loop)
            // A moment into the targets: meters keep running meanwhile, as playback goes on.
            for (int i = 0; i < 6000 && dialog.job() != nullptr && ! dialog.job()->finished(); ++i)
            {
                if (dialog.job()->status().overall >= 0.6)
                    break;
                play (main, workstation, 0.05);
                juce::Thread::sleep (10);
            }
            shootDialog ("export-during");
            if (dialog.job() != nullptr)
                dialog.job()->waitUntilFinished (240000);
            shootDialog ("export-after");
            ok = dialog.job() != nullptr && dialog.job()->result().succeeded && ok;
        }
        folder.deleteRecursively();
    }

    ok = target.getChildFile ("components.txt").replaceWithText (listing) && ok;
    return ok;
}

} // namespace crest::app
