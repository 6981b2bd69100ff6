#include "app/Screenshots.h"

#include "app/AudioSettings.h"
#include "app/ClientView.h"
#include "app/ExportDialog.h"
#include "app/KeyboardHelp.h"
#include "app/RecoveryPrompt.h"
#include "engine/ModuleRegistry.h"
#include "session/SessionRecovery.h"
#include "session/Versions.h"

#include <functional>

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

namespace
{
    /** The album timeline set up as an engineer would have it before a CD master (fades of every
        shape, the demo's crossfade, index points, a gain change, a trim, with the CD ruler),
        with its inspectors, at 1280x720 and 1920x1080; the edits are undone afterwards. */
    bool shootAlbumTimeline (MainComponent& main, Workstation& workstation, juce::String& listing,
        const std::function<void (const juce::String&)>& shoot)
    {
        auto& view = main.album;
        auto& edits = view.edits;
        int made = 0;
        auto edit = [&] (bool done) { made += done ? 1 : 0; };
        if (workstation.session().tracks.size() >= 3)
        {
            edit (edits.setFade (0, album::FadeEnd::in, 0.5));
            edit (edits.setFadeCurve (0, album::FadeEnd::in, session::FadeCurve::logarithmic));
            edit (edits.setFade (0, album::FadeEnd::out, 4.0));
            edit (edits.setFadeCurve (0, album::FadeEnd::out, session::FadeCurve::equalPower));
            edit (edits.setFade (1, album::FadeEnd::out, 2.5));
            edit (edits.setFadeCurve (1, album::FadeEnd::out, session::FadeCurve::linear));
            edit (edits.addIndex (0, 12.0) >= 0);
            edit (edits.addIndex (1, 18.0) >= 0);
            edit (edits.setGain (1, -1.5));
            edit (edits.setTrimIn (1, 0.2));
            edits.endGesture();
        }
        workstation.sendChangeMessage();
        // Tracks 1 and 2 played (their masters after the chain rendered and checked in the
        // background); track 3 not yet, so its clip still shows its source.
        view.masters.follow (0);
        view.masters.follow (1);
        view.masters.waitUntilCurrent (120000);
        for (int t = 0; t < (int) workstation.session().tracks.size(); ++t)
            listing << "timeline: track " << (t + 1) << " waveform shows " << view.timeline.waveformShown (t) << "\n";
        const auto originalSize = main.getBounds();
        bool ok = true;
        for (auto [w, h] : { std::pair { 1280, 720 }, std::pair { 1920, 1080 } })
        {
            const juce::String size = juce::String (w) + "x" + juce::String (h);
            main.setSize (w, h);
            view.showPage (AlbumView::Page::track);
            view.timeline.select (1);
            workstation.dispatchPendingMessages();
            view.timeline.zoomToFit();
            view.timeline.waitForWaveforms (20000);
            shoot ("album-timeline-" + size);

            // The track inspector checking an ISRC as it is typed (not committed: it breaks a rule).
            view.trackInspector.typeIsrcForPicture ("GB-A1C-2X-00012");
            shoot ("track-inspector-" + size);
            view.trackInspector.typeIsrcForPicture ({});

            view.showPage (AlbumView::Page::album);
            shoot ("album-inspector-" + size);
            view.findings.refresh(); // queues every track's analysis
            view.checks.waitUntilIdle (60000);
            view.findings.refresh();
            listing << "findings: masters: " << view.findings.masterFindingCodes().joinIntoString (", ") << "\n";
            view.showPage (AlbumView::Page::loudness);
            shoot ("album-loudness-" + size);
            view.showPage (AlbumView::Page::findings);
            shoot ("album-findings-" + size);
            view.showPage (AlbumView::Page::track);

            // The crossfade between tracks 2 and 3, zoomed in: both curves and the CD frames.
            if (const auto& layout = view.timeline.layout(); layout && layout->tracks().size() >= 3)
            {
                const auto& p = layout->tracks()[2];
                view.timeline.showRange ((double) p.audioStart / layout->sampleRate() - 6.0, (double) p.audioStart / layout->sampleRate() + 16.0);
                shoot ("album-crossfade-" + size);
            }
        }
        // A drag through the view itself, as a hand makes it: the fade-out handle of track 1 pulled
        // 40 steps to the left is one undo step, and one undo restores the fade exactly.
        {
            auto& timeline = view.timeline;
            timeline.zoomToFit();
            const auto start = timeline.fadeHandle (0, album::FadeEnd::out);
            const double before = workstation.session().tracks[0].fadeOut.seconds;
            const auto nameBefore = workstation.editor().undoName();
            auto source = juce::Desktop::getInstance().getMainMouseSource();
            const auto now = juce::Time::getCurrentTime();
            auto event = [&] (juce::Point<float> at, bool dragging)
            {
                return juce::MouseEvent (source, at, juce::ModifierKeys (juce::ModifierKeys::leftButtonModifier), 1.0f, 0.0f, 0.0f, 0.0f,
                    0.0f, &timeline, &timeline, now, start, now, 1, dragging);
            };
            timeline.mouseDown (event (start, false));
            for (int k = 1; k <= 40; ++k)
                timeline.mouseDrag (event (start.translated (-1.5f * (float) k, 0.0f), true));
            timeline.mouseUp (event (start.translated (-60.0f, 0.0f), true));
            const double after = workstation.session().tracks[0].fadeOut.seconds;
            const auto stepName = workstation.editor().undoName();
            const bool undone = workstation.undo();
            const bool oneStep = after > before && stepName == "Set Fade-Out of Track 1" && undone
                                 && workstation.session().tracks[0].fadeOut.seconds == before
                                 && workstation.editor().undoName() == nameBefore;
            listing << "drag: fade-out handle of track 1 dragged through 40 positions, " << juce::String (before, 3) << " s -> "
                    << juce::String (after, 3) << " s, undo step '" << stepName << "', "
                    << (oneStep ? "one step" : "NOT ONE STEP") << "\n";
            ok = ok && oneStep;
        }

        main.setBounds (originalSize);
        for (int i = 0; i < made; ++i)
            workstation.undo();
        workstation.dispatchPendingMessages();
        return ok;
    }
} // namespace

namespace
{
    /** Working with the client on the demo: two versions (the second after a limiter and a
        track gain change), a proof of both rendered by the Versions page's own code (which
        measures them), approvals at different versions, notes from both authors (one a range,
        one done), a live comparison flipped with the C key; then the Versions and Notes pages
        and the client view at 1280x720 and 1920x1080. Every edit is undone afterwards. */
    bool shootClientWork (MainComponent& main, Workstation& workstation, juce::String& listing, const juce::File& target,
        const std::function<void (const juce::String&)>& shoot)
    {
        auto& view = main.album;
        auto& editor = workstation.editor();
        const auto& s = workstation.session();
        if (s.tracks.size() < 3)
            return true;
        bool ok = true;
        const auto versionsBefore = s.versions.size(), notesBefore = s.notes.size();
        int steps = 0;
        auto step = [&] (bool done) { steps += done ? 1 : 0; };
        main.showTab (MainComponent::Tab::album);
        view.showPage (AlbumView::Page::versions);

        view.versions.nameField.setText ("v1 proof");
        view.versions.noteField.setText ("first master, for the band's ears");
        step (view.versions.createFromFields());
        std::string limiter;
        for (const auto& m : s.chain.modules)
            if (m.type == "limiter" && limiter.empty())
                limiter = m.id;
        if (! limiter.empty())
        {
            const float ceiling = editor.parameterValue (limiter, "ceiling_dbtp");
            workstation.setParameter (limiter, "ceiling_dbtp", ceiling + 0.2f);
            workstation.endGesture();
            ++steps;
        }
        step (editor.setTrackGain (1, s.tracks[1].gainDb + 0.8));
        editor.endGesture();
        view.versions.nameField.setText ("v2 after notes: more low end");
        view.versions.noteField.setText ("track 2 up, a little more headroom");
        step (view.versions.createFromFields());
        workstation.dispatchPendingMessages();

        // The proof, as the button runs it (off the message thread), into the screenshot folder.
        const auto proofFolder = target.getChildFile ("proof");
        proofFolder.deleteRecursively();
        view.versions.selectedVersion = 1;
        if (view.versions.startProof (proofFolder))
        {
            for (int i = 0; i < 6000 && view.versions.proofRunning(); ++i)
            {
                juce::Thread::sleep (50);
                view.versions.pollProof();
            }
            const bool measured = s.versions.size() == 2 && s.versions[1].tracks[0].figures.integratedLufs.has_value();
            listing << "proof: " << view.versions.status << (measured ? ", versions measured" : ", NOT MEASURED") << "\n";
            ok = ok && measured && proofFolder.getChildFile ("index.html").existsAsFile();
            if (measured)
                ++steps; // "Keep Proof Figures"
        }
        else
        {
            listing << "proof: did not start\n";
            ok = false;
        }

        // Approvals: track 1 at v1, track 2 at v2 (track 3 stays the working state).
        session::approveTrack (editor, 0, "v1 proof");
        session::approveTrack (editor, 1, "v2 after notes: more low end");
        steps += 2;

        // Notes: the client's (a range, heard on v1), the engineer's (done), one at the play head.
        auto note = [&] (int track, const std::string& version, double at, std::optional<double> to, session::NoteAuthor who,
                        const std::string& text, bool done)
        {
            session::Note n;
            n.trackId = s.tracks[(size_t) track].id;
            n.version = version;
            n.timeSeconds = at;
            n.endSeconds = to;
            n.author = who;
            n.text = text;
            session::addNote (editor, n);
            ++steps;
            if (done)
            {
                session::setNoteDone (editor, (int) s.notes.size() - 1, true);
                ++steps;
            }
        };
        note (0, "v1 proof", 14.0, 21.0, session::NoteAuthor::client, "The snare is too loud in the intro", false);
        note (1, "v1 proof", 10.0, std::nullopt, session::NoteAuthor::client, "Could the bass come up a touch here?", true);
        note (2, "v2 after notes: more low end", 4.0, std::nullopt, session::NoteAuthor::engineer, "Check the fade against the next track", false);
        workstation.dispatchPendingMessages();
        view.timeline.seekToNote (2); // track 3, 4 s in
        workstation.player().waitUntilBuffered (2000);
        workstation.runOffline (8.0); // plays on to 12 s, where the next note is taken
        view.notes.authorBox.setSelectedId (1, juce::dontSendNotification);
        step (view.notes.addAtPlayhead ("Vocal sibilance at the chorus"));

        // The comparison: v1 against v2, flipped with the C key as the engineer would.
        view.versions.compareAgainst = "v1 proof"; // "Set as A" on v1, then Compare on v2
        workstation.compareVersions (view.versions.compareAgainst, "v2 after notes: more low end");
        const auto heardBefore = workstation.comparison().heard();
        main.keyPressed (juce::KeyPress ('c', {}, 'c'));
        workstation.runOffline (0.1);
        workstation.updateComparisonGain();
        const auto heardAfter = workstation.comparison().heard();
        listing << "compare: C flips '" << heardBefore << "' -> '" << heardAfter << "', match gain "
                << juce::String (workstation.comparisonGainNow.gainDb, 2) << " dB"
                << (workstation.comparisonGainNow.matched ? ""
                                                          : " (" + juce::String (workstation.comparisonGainNow.problem) + ")")
                << (workstation.comparisonTiming.empty() ? juce::String() : "; " + juce::String (workstation.comparisonTiming))
                << "\n";
        ok = ok && heardBefore != heardAfter;
        main.keyPressed (juce::KeyPress ('c', {}, 'c')); // back to v2
        view.timeline.seekToNote (0);
        workstation.player().waitUntilBuffered (2000);
        play (main, workstation, 3.5); // short-term loudness needs 3 s

        // The client view, with the change log filled by edits made while it watches.
        ClientView client (workstation.clientFeed());
        client.refresh ("14:02:10");
        if (! limiter.empty())
        {
            workstation.setParameter (limiter, "ceiling_dbtp", editor.parameterValue (limiter, "ceiling_dbtp") - 0.1f);
            workstation.endGesture();
            ++steps;
        }
        client.refresh ("14:02:31");
        step (editor.setTrackGap (1, s.tracks[1].gapSeconds + 0.5));
        editor.endGesture();
        client.refresh ("14:03:05");
        // The gap moved the tracks (the album reloaded, the meters started again): play on so
        // the short-term reading (3 s) is back; an approval then must not disturb it.
        play (main, workstation, 3.5);
        session::approveTrack (editor, 2, "v2 after notes: more low end");
        ++steps;
        workstation.dispatchPendingMessages();
        play (main, workstation, 0.2);
        client.refresh ("14:03:40");
        listing << "client view while playing: short-term " << client.model().shortTermText << ", integrated "
                << client.model().integratedText << "\n";
        ok = ok && client.model().shortTermText != "-";
        const auto editable = client.editableChildren();
        listing << "client view: " << client.getNumChildComponents() << " children, editable: "
                << (editable.isEmpty() ? juce::String ("none") : editable.joinIntoString (", ")) << ", log "
                << (int) client.model().log().size() << " lines\n";
        ok = ok && editable.isEmpty() && client.model().log().size() >= 3;

        const auto originalSize = main.getBounds();
        for (auto [w, h] : { std::pair { 1280, 720 }, std::pair { 1920, 1080 } })
        {
            const juce::String size = juce::String (w) + "x" + juce::String (h);
            main.setSize (w, h);
            view.timeline.zoomToFit();
            view.showPage (AlbumView::Page::versions);
            shoot ("album-versions-" + size);
            view.notes.selectedNote = 1;
            view.showPage (AlbumView::Page::notes);
            shoot ("album-notes-" + size);
            play (main, workstation, 0.2);
            client.setSize (w, h);
            client.refresh ("14:03:41");
            ok = writePng (client.createComponentSnapshot (client.getLocalBounds()), target.getChildFile ("client-view-" + size + ".png"))
                 && ok;
            listing << "client-view-" << size << ": ClientView\n";
        }
        main.setBounds (originalSize);

        workstation.stopComparison();
        view.versions.compareAgainst.clear();
        for (int i = 0; i < steps; ++i)
            workstation.undo();
        listing << "client work: " << steps << " steps undone, " << (int) s.versions.size() << " versions and " << (int) s.notes.size()
                << " notes left\n";
        ok = ok && s.versions.size() == versionsBefore && s.notes.size() == notesBefore;
        proofFolder.deleteRecursively();
        workstation.dispatchPendingMessages();
        return ok;
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
    main.album.timeline.waitForWaveforms (20000);
    shoot ("album");
    ok = shootAlbumTimeline (main, workstation, listing, shoot) && ok;
    ok = shootClientWork (main, workstation, listing, target, shoot) && ok;
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

        // The meter bridge narrowed by dragging its divider, as a hand does, to one column: the
        // timeline gets the room.
        main.showTab (MainComponent::Tab::album);
        {
            auto& divider = main.meterDivider;
            const auto start = divider.getLocalBounds().getCentre().toFloat();
            const int from = main.meters.getWidth();
            auto source = juce::Desktop::getInstance().getMainMouseSource();
            const auto now = juce::Time::getCurrentTime();
            auto event = [&] (juce::Point<float> at, bool dragging)
            {
                return juce::MouseEvent (source, at, juce::ModifierKeys (juce::ModifierKeys::leftButtonModifier), 1.0f, 0.0f,
                    0.0f, 0.0f, 0.0f, &divider, &divider, now, start, now, 1, dragging);
            };
            const float pull = (float) (from - 280);
            divider.mouseDown (event (start, false));
            for (int k = 1; k <= 10; ++k)
                divider.mouseDrag (event (start.translated (pull * (float) k / 10.0f, 0.0f), true));
            divider.mouseUp (event (start.translated (pull, 0.0f), true));
            listing << "meter divider dragged: bridge " << from << " px -> " << main.meters.getWidth() << " px wide" << suffix
                    << "\n";
            ok = ok && main.meters.getWidth() == 280;
        }
        play (main, workstation, 0.3);
        shoot ("album-meters-narrow" + suffix);
        main.setMeterWidth (-1);

        // Detached into a window of its own (for a second screen), then back.
        main.setMetersDetached (true);
        shoot ("album-meters-detached" + suffix);
        main.meters.setSize (size.x >= 1920 ? 480 : 400, size.y - 120);
        main.meterFrame();
        ok = writePng (main.meters.createComponentSnapshot (main.meters.getLocalBounds()),
                 target.getChildFile ("meter-window" + suffix + ".png"))
            && ok;
        listing << "meter-window" << suffix << ": MeterBridge in MeterWindow, detached " << (main.metersDetached() ? "yes" : "NO")
                << "\n";
        main.setMetersDetached (false);
        listing << "meters re-attached: " << (main.meters.getParentComponent() == &main ? "yes" : "NO") << "\n";
    }

    // HiDPI: the window drawn at twice its size in pixels, as on a 2x display (JUCE lays out in
    // logical pixels and draws text and paths at the display's scale).
    main.setSize (1280, 720);
    for (auto tab : { MainComponent::Tab::module, MainComponent::Tab::album })
    {
        main.showTab (tab);
        play (main, workstation, 0.3);
        workstation.dispatchPendingMessages();
        main.meterFrame();
        const auto name = juce::String (tab == MainComponent::Tab::module ? "main-window" : "album") + "-1280x720@2x";
        ok = writePng (main.createComponentSnapshot (main.getLocalBounds(), true, 2.0f), target.getChildFile (name + ".png"))
            && ok;
        listing << name << ": " << main.visibleComponentNames().joinIntoString (" ") << "\n";
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
