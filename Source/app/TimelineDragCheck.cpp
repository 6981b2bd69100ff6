#include "app/TimelineDragCheck.h"

#include "session/SessionFile.h"

#include <cmath>

namespace crest::app
{
namespace
{
    /** A hand on the timeline: down at `from`, through `steps` positions to `to`, up. */
    void drag (AlbumTimeline& view, juce::Point<float> from, juce::Point<float> to, int steps = 20)
    {
        auto source = juce::Desktop::getInstance().getMainMouseSource();
        const auto now = juce::Time::getCurrentTime();
        auto event = [&] (juce::Point<float> at, bool dragging)
        {
            return juce::MouseEvent (source, at, juce::ModifierKeys (juce::ModifierKeys::leftButtonModifier), 1.0f, 0.0f, 0.0f,
                0.0f, 0.0f, &view, &view, now, from, now, 1, dragging);
        };
        view.mouseDown (event (from, false));
        for (int k = 1; k <= steps; ++k)
            view.mouseDrag (event (from + (to - from) * ((float) k / (float) steps), true));
        view.mouseUp (event (to, true));
    }

    struct Checker
    {
        AlbumView& view;
        juce::String& report;
        bool allOk = true;

        std::string json() const { return session::SessionFile::toJson (view.workstation.session(), {}); }

        /** Runs one drag; `fields` checks the dragged session against the one before and says what it found. */
        void run (const juce::String& name, const std::function<void()>& gesture,
            const std::function<bool (const session::Session& before, const session::Session& after, juce::String& found)>&
                fields)
        {
            auto& w = view.workstation;
            view.timeline.refresh();
            const auto before = w.session();
            const auto jsonBefore = json();
            const auto undoBefore = w.editor().undoName();
            const auto revisionBefore = w.editor().revision();
            gesture();
            const auto after = w.session();
            const auto jsonAfter = json();
            const auto stepName = w.editor().undoName();
            juce::String found;
            const bool fieldsOk = fields (before, after, found);
            const bool undone = w.undo() && json() == jsonBefore && w.editor().undoName() == undoBefore;
            const bool redone = w.redo() && json() == jsonAfter;
            const bool oneStep = jsonAfter != jsonBefore && undone && redone && w.editor().revision() > revisionBefore;
            const bool ok = fieldsOk && oneStep;
            allOk = allOk && ok;
            report << name << ": " << (ok ? "ok" : "FAILED") << ": undo step '" << juce::String (stepName) << "', "
                   << (oneStep ? "one step (undo restores the session before it, redo the dragged one)" : "NOT ONE STEP") << "; "
                   << found << "\n";
            view.timeline.refresh();
        }
    };

    bool near (double value, double expected, double tolerance)
    {
        return std::abs (value - expected) <= tolerance;
    }
} // namespace

bool checkTimelineDrags (AlbumView& view, juce::String& report)
{
    auto& timeline = view.timeline;
    auto& w = view.workstation;
    if (w.session().tracks.size() < 3)
    {
        report << "the timeline drags need a session of three tracks or more\n";
        return false;
    }
    timeline.refresh();
    timeline.zoomToFit();
    Checker check { view, report };
    const double pps = timeline.zoom();
    // Where the mouse lands is a pixel; the edit snaps to a CD frame when the session has a CD target.
    const double tolerance = 1.5 / pps + 1.0 / 75.0;
    report << "zoom " << juce::String (pps, 2) << " px/s, tolerance " << juce::String (tolerance, 3) << " s\n";
    const auto secondsText = [] (double s) { return juce::String (s, 3) + " s"; };

    // Reorder: track 1's title bar past the middle of track 2.
    check.run (
        "reorder (title bar of track 1 past track 2)",
        [&] { drag (timeline, timeline.titleBar (0), timeline.titleBar (1).translated (12.0f, 0.0f)); },
        [&] (const session::Session& b, const session::Session& a, juce::String& found)
        {
            found << "order " << b.tracks[0].id << "," << b.tracks[1].id << "," << b.tracks[2].id << " -> " << a.tracks[0].id
                  << "," << a.tracks[1].id << "," << a.tracks[2].id;
            return a.tracks[0].id == b.tracks[1].id && a.tracks[1].id == b.tracks[0].id && a.tracks[2].id == b.tracks[2].id
                && a.tracks[1].source == b.tracks[0].source && a.tracks[1].gainDb == b.tracks[0].gainDb
                && a.tracks[1].fadeOut.seconds == b.tracks[0].fadeOut.seconds;
        });

    // The gap before track 2: its body dragged 30 px right.
    check.run (
        "gap (body of track 2, 30 px right)",
        [&] { drag (timeline, timeline.bodyGrip (1), timeline.bodyGrip (1).translated (30.0f, 0.0f)); },
        [&] (const session::Session& b, const session::Session& a, juce::String& found)
        {
            const double expected = b.tracks[1].gapSeconds + 30.0 / pps;
            found << "gap " << secondsText (b.tracks[1].gapSeconds) << " -> " << secondsText (a.tracks[1].gapSeconds)
                  << " (expected " << secondsText (expected) << ")";
            return ! a.tracks[1].crossfade && near (a.tracks[1].gapSeconds, expected, tolerance);
        });

    // INDEX 00 of track 2 (its pregap) dragged 20 px left: a longer gap.
    check.run (
        "INDEX 00 (pregap marker of track 2, 20 px left)",
        [&] { drag (timeline, timeline.indexMarker (1, -1), timeline.indexMarker (1, -1).translated (-20.0f, 0.0f)); },
        [&] (const session::Session& b, const session::Session& a, juce::String& found)
        {
            const double expected = b.tracks[1].gapSeconds + 20.0 / pps;
            found << "gap " << secondsText (b.tracks[1].gapSeconds) << " -> " << secondsText (a.tracks[1].gapSeconds)
                  << " (expected " << secondsText (expected) << ")";
            return near (a.tracks[1].gapSeconds, expected, tolerance);
        });

    // Track 2's body dragged left past its gap: a crossfade of 1.5 s.
    check.run (
        "crossfade (body of track 2 left past its gap)",
        [&]
        {
            const float pull = (float) ((w.session().tracks[1].gapSeconds + 1.5) * pps);
            drag (timeline, timeline.bodyGrip (1), timeline.bodyGrip (1).translated (-pull, 0.0f));
        },
        [&] (const session::Session& b, const session::Session& a, juce::String& found)
        {
            found << "gap " << secondsText (b.tracks[1].gapSeconds) << " -> crossfade "
                  << (a.tracks[1].crossfade ? secondsText (a.tracks[1].crossfade->seconds) : juce::String ("none"))
                  << " (expected 1.500 s)";
            return a.tracks[1].crossfade && near (a.tracks[1].crossfade->seconds, 1.5, tolerance);
        });

    // Track 1's fade-in handle dragged 25 px right.
    check.run (
        "fade-in handle of track 1, 25 px right",
        [&]
        {
            drag (timeline, timeline.fadeHandle (0, album::FadeEnd::in),
                timeline.fadeHandle (0, album::FadeEnd::in).translated (25.0f, 0.0f));
        },
        [&] (const session::Session& b, const session::Session& a, juce::String& found)
        {
            const double expected = b.tracks[0].fadeIn.seconds + 25.0 / pps;
            found << "fade-in " << secondsText (b.tracks[0].fadeIn.seconds) << " -> " << secondsText (a.tracks[0].fadeIn.seconds)
                  << " (expected " << secondsText (expected) << "), curve kept";
            return near (a.tracks[0].fadeIn.seconds, expected, tolerance) && a.tracks[0].fadeIn.curve == b.tracks[0].fadeIn.curve;
        });

    // Track 3's fade-out handle dragged 15 px left: a longer fade-out.
    check.run (
        "fade-out handle of track 3, 15 px left",
        [&]
        {
            drag (timeline, timeline.fadeHandle (2, album::FadeEnd::out),
                timeline.fadeHandle (2, album::FadeEnd::out).translated (-15.0f, 0.0f));
        },
        [&] (const session::Session& b, const session::Session& a, juce::String& found)
        {
            const double expected = b.tracks[2].fadeOut.seconds + 15.0 / pps;
            found << "fade-out " << secondsText (b.tracks[2].fadeOut.seconds) << " -> "
                  << secondsText (a.tracks[2].fadeOut.seconds) << " (expected " << secondsText (expected) << ")";
            return near (a.tracks[2].fadeOut.seconds, expected, tolerance);
        });

    // An extra index of track 1 (INDEX 02, added at 8 s: an edit of its own) dragged 30 px right.
    view.edits.addIndex (0, 8.0);
    view.edits.endGesture();
    check.run (
        "INDEX 02 marker of track 1, 30 px right",
        [&] { drag (timeline, timeline.indexMarker (0, 0), timeline.indexMarker (0, 0).translated (30.0f, 0.0f)); },
        [&] (const session::Session& b, const session::Session& a, juce::String& found)
        {
            if (b.tracks[0].indexPoints.empty() || a.tracks[0].indexPoints.size() != b.tracks[0].indexPoints.size())
            {
                found << "the index point is not there";
                return false;
            }
            const double expected = b.tracks[0].indexPoints[0] + 30.0 / pps;
            found << "INDEX 02 at " << secondsText (b.tracks[0].indexPoints[0]) << " -> "
                  << secondsText (a.tracks[0].indexPoints[0]) << " (expected " << secondsText (expected) << ")";
            return near (a.tracks[0].indexPoints[0], expected, tolerance);
        });
    return check.allOk;
}

} // namespace crest::app
