#pragma once

// The inspectors beside the album timeline: the selected track's fields and the album's.
//
// Design note: both are views of the session. A field is written to the document (through
// album::TimelineEdits: one named undo step each) when the engineer presses Return or leaves
// it; codes (ISRC, UPC/EAN) are checked as they are typed with the same rules the session loader
// and the Red Book preflight use (session/Identifiers), and a code that breaks a rule is shown
// with the rule and never stored. The fields reload from the document after every change
// (undo included) unless the engineer is typing in them.

#include "album/Timeline.h"
#include "album/TimelineEdits.h"
#include "app/Workstation.h"

#include <functional>
#include <optional>

namespace crest::app
{

/** One labelled text field of an inspector. */
struct InspectorField
{
    juce::Label label;
    juce::TextEditor editor;
    juce::Label problem; ///< the rule a typed code breaks (empty: none)
};

/** The selected track: its texts, ISRC, gain, chain, and a summary of its place on the album. */
class TrackInspector : public juce::Component, private juce::ChangeListener
{
public:
    TrackInspector (Workstation&, album::TimelineEdits&);
    ~TrackInspector() override;

    /** Shows a track (0-based; -1: none). */
    void showTrack (int track);

    /** The height it needs at its width. */
    int preferredHeight() const;

    /** Puts text in the ISRC field as if typed: checked and shown, not stored (screenshots).
        Empty text reloads the field from the session. */
    void typeIsrcForPicture (const juce::String& typed);

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void reload();
    void commitText (int field);
    void checkIsrc();

    Workstation& workstation;
    album::TimelineEdits& edits;
    int track = -1;
    juce::OwnedArray<InspectorField> fields; // 6 texts, then the ISRC
    juce::Label gainLabel, chainLabel, summary;
    juce::Slider gainSlider;
    juce::ComboBox chainBox;
};

/** The album: its texts and codes, and a preview of the CD-Text a disc would carry with its
    size against the one-block limit. */
class AlbumInspector : public juce::Component, private juce::ChangeListener
{
public:
    /** `layout` gives the album as laid out now (the timeline's). */
    AlbumInspector (Workstation&, album::TimelineEdits&, std::function<const std::optional<album::Timeline>&()> layout);
    ~AlbumInspector() override;

    int preferredHeight() const;

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void reload();
    void commit (int field);
    void checkUpc();
    void updatePreview();

    Workstation& workstation;
    album::TimelineEdits& edits;
    std::function<const std::optional<album::Timeline>&()> layout;
    juce::OwnedArray<InspectorField> fields; // title, performer, UPC, catalogue, genre, language, year
    juce::StringArray previewLines;
    juce::String previewSize, previewProblem;
    float previewFill = 0.0f;
    juce::Rectangle<int> previewArea;
};

} // namespace crest::app
