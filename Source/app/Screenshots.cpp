#include "app/Screenshots.h"

#include "app/AudioSettings.h"
#include "engine/ModuleRegistry.h"

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

    ok = target.getChildFile ("components.txt").replaceWithText (listing) && ok;
    return ok;
}

} // namespace crest::app
