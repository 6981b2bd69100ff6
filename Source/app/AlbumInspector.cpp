#include "app/AlbumInspector.h"

#include "app/CrestLookAndFeel.h"
#include "export/CdText.h"
#include "session/Identifiers.h"

#include <cctype>

namespace crest::app
{

namespace
{
    constexpr int rowHeight = 26;
    constexpr int labelWidth = 92;
    constexpr int problemHeight = 50; // three lines: the code, the rule, what breaks it

    void setUp (juce::Component& parent, InspectorField& field, const juce::String& name, const juce::String& tip = {})
    {
        field.label.setText (name, juce::dontSendNotification);
        field.label.setColour (juce::Label::textColourId, palette::textDim);
        field.label.setFont (fonts::label (13.5f));
        field.label.setMinimumHorizontalScale (1.0f);
        field.editor.setFont (fonts::label (14.0f));
        field.editor.setTooltip (tip);
        field.editor.setSelectAllWhenFocused (true);
        field.problem.setColour (juce::Label::textColourId, palette::clip);
        field.problem.setFont (fonts::label (12.5f));
        field.problem.setMinimumHorizontalScale (1.0f);
        parent.addAndMakeVisible (field.label);
        parent.addAndMakeVisible (field.editor);
        parent.addChildComponent (field.problem);
    }

    /** Lays out one field row (and its problem line when it shows); returns the rest. */
    void place (InspectorField& field, juce::Rectangle<int>& area)
    {
        auto row = area.removeFromTop (rowHeight);
        field.label.setBounds (row.removeFromLeft (labelWidth));
        field.editor.setBounds (row.reduced (0, 2));
        if (field.problem.isVisible())
            field.problem.setBounds (area.removeFromTop (problemHeight).withTrimmedLeft (labelWidth));
        field.problem.setJustificationType (juce::Justification::topLeft);
        area.removeFromTop (2);
    }

    const char* curveWord (session::FadeCurve curve)
    {
        switch (curve)
        {
            case session::FadeCurve::linear:
                return "linear";
            case session::FadeCurve::equalPower:
                return "equal-power";
            case session::FadeCurve::logarithmic:
                return "logarithmic";
            case session::FadeCurve::sCurve:
                return "S-curve";
        }
        return "";
    }

    const album::TextField textFields[] = { album::TextField::title, album::TextField::performer, album::TextField::songwriter,
        album::TextField::composer, album::TextField::arranger, album::TextField::message };
} // namespace

// ---- track --------------------------------------------------------------------------------------

TrackInspector::TrackInspector (Workstation& w, album::TimelineEdits& e) : workstation (w), edits (e)
{
    setName ("TrackInspector");
    const char* names[] = { "Title", "Performer", "Songwriter", "Composer", "Arranger", "Message", "ISRC" };
    for (int i = 0; i < 7; ++i)
    {
        auto* field = fields.add (new InspectorField());
        setUp (*this, *field, names[i],
            i == 6 ? juce::String ("CC-XXX-YY-NNNNN: country, registrant, year, designation") : juce::String());
        field->editor.onReturnKey = field->editor.onFocusLost = [this, i] { commitText (i); };
        field->editor.onEscapeKey = [this] { reload(); };
    }
    fields[6]->editor.onTextChange = [this] { checkIsrc(); };
    fields[6]->editor.setInputRestrictions (20, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ- ");

    gainLabel.setText ("Gain", juce::dontSendNotification);
    chainLabel.setText ("Chain", juce::dontSendNotification);
    for (auto* l : { &gainLabel, &chainLabel })
    {
        l->setColour (juce::Label::textColourId, palette::textDim);
        l->setFont (fonts::label (13.5f));
        addAndMakeVisible (l);
    }
    gainSlider.setSliderStyle (juce::Slider::LinearHorizontal);
    gainSlider.setTextBoxStyle (juce::Slider::TextBoxRight, false, 76, 22);
    gainSlider.setRange (-24.0, 12.0, 0.1);
    gainSlider.setTextValueSuffix (" dB");
    gainSlider.setDoubleClickReturnValue (true, 0.0);
    gainSlider.onValueChange = [this]
    {
        if (track >= 0 && edits.setGain (track, gainSlider.getValue()))
            workstation.sendChangeMessage();
    };
    gainSlider.onDragEnd = [this] { edits.endGesture(); };
    addAndMakeVisible (gainSlider);
    chainBox.addItem ("The album chain", 1);
    chainBox.addItem ("Its own chain (starts as a copy)", 2);
    chainBox.onChange = [this]
    {
        if (track >= 0 && edits.useOwnChain (track, chainBox.getSelectedId() == 2))
            workstation.sendChangeMessage();
    };
    addAndMakeVisible (chainBox);
    summary.setColour (juce::Label::textColourId, palette::textDim);
    summary.setFont (fonts::label (13.0f));
    summary.setJustificationType (juce::Justification::topLeft);
    addAndMakeVisible (summary);
    workstation.addChangeListener (this);
    reload();
}

TrackInspector::~TrackInspector()
{
    workstation.removeChangeListener (this);
}

void TrackInspector::showTrack (int t)
{
    track = t;
    reload();
}

void TrackInspector::changeListenerCallback (juce::ChangeBroadcaster*)
{
    reload();
}

void TrackInspector::reload()
{
    const auto& tracks = workstation.session().tracks;
    if (track >= (int) tracks.size())
        track = (int) tracks.size() - 1;
    const bool valid = track >= 0;
    for (auto* c : getChildren())
        c->setEnabled (valid);
    if (! valid)
        return;
    const auto& t = tracks[(size_t) track];
    const std::string* texts[] = { &t.title, &t.performer, &t.songwriter, &t.composer, &t.arranger, &t.message };
    for (int i = 0; i < 6; ++i)
        if (! fields[i]->editor.hasKeyboardFocus (true))
            fields[i]->editor.setText (*texts[i], juce::dontSendNotification);
    if (! fields[6]->editor.hasKeyboardFocus (true))
    {
        fields[6]->editor.setText (session::formatIsrc (t.isrc), juce::dontSendNotification);
        checkIsrc();
    }
    gainSlider.setValue (t.gainDb, juce::dontSendNotification);
    chainBox.setSelectedId (t.chain ? 2 : 1, juce::dontSendNotification);

    juce::StringArray lines;
    lines.add (t.crossfade ? "Crossfade " + juce::String (t.crossfade->seconds, 2) + " s (" + curveWord (t.crossfade->curve)
                + ") from track " + juce::String (track)
                           : "Gap before (INDEX 00 pregap) " + juce::String (t.gapSeconds, 2) + " s");
    lines.add ("Fade in "
        + (t.fadeIn.seconds > 0 ? juce::String (t.fadeIn.seconds, 2) + " s " + curveWord (t.fadeIn.curve) : juce::String ("none"))
        + ",  fade out "
        + (t.fadeOut.seconds > 0 ? juce::String (t.fadeOut.seconds, 2) + " s " + curveWord (t.fadeOut.curve)
                                 : juce::String ("none")));
    lines.add ("Trim start " + juce::String (t.trimInSeconds, 2) + " s,  end "
        + (t.trimOutSeconds ? juce::String (*t.trimOutSeconds, 2) + " s" : juce::String ("at the source's end")));
    juce::String indices;
    for (size_t k = 0; k < t.indexPoints.size(); ++k)
        indices << (k ? ", " : "") << juce::String ((int) k + 2).paddedLeft ('0', 2) << " at "
                << juce::String (t.indexPoints[k], 2) << " s";
    lines.add ("Index points: " + (indices.isEmpty() ? juce::String ("none (double-click the marker strip to add)") : indices));
    summary.setText (lines.joinIntoString ("\n"), juce::dontSendNotification);
    repaint();
}

void TrackInspector::typeIsrcForPicture (const juce::String& typed)
{
    if (typed.isEmpty())
    {
        reload();
        checkIsrc();
        return;
    }
    fields[6]->editor.setText (typed, juce::dontSendNotification);
    checkIsrc();
    if (auto* viewport = findParentComponentOfClass<juce::Viewport>())
        viewport->setViewPosition (0, fields[6]->label.getY() - 3 * rowHeight);
}

void TrackInspector::commitText (int i)
{
    if (track < 0)
        return;
    const auto text = fields[i]->editor.getText().trim().toStdString();
    bool ok = false;
    if (i < 6)
        ok = edits.setTrackText (track, textFields[i], text);
    else
    {
        ok = edits.setIsrc (track, text);
        checkIsrc();
    }
    if (ok)
        workstation.sendChangeMessage();
}

void TrackInspector::checkIsrc()
{
    auto& field = *fields[6];
    const auto typed = session::normaliseIsrc (field.editor.getText().toStdString());
    std::string why;
    if (! typed.empty())
    {
        why = session::isrcProblem (typed);
        // The field shows the code: say the broken rule first, then the pattern.
        if (const auto at = why.rfind (": "); ! why.empty() && at != std::string::npos)
        {
            auto rule = why.substr (at + 2);
            rule[0] = (char) std::toupper ((unsigned char) rule[0]);
            why = rule + " (" + session::isrcPattern + ")";
        }
    }
    field.problem.setText (why, juce::dontSendNotification);
    field.editor.setColour (juce::TextEditor::outlineColourId, why.empty() ? palette::outline : palette::clip);
    if (field.problem.isVisible() != ! why.empty())
    {
        field.problem.setVisible (! why.empty());
        setSize (getWidth(), preferredHeight()); // the viewport scrolls what no longer fits
    }
}

int TrackInspector::preferredHeight() const
{
    return 8 + 7 * (rowHeight + 2) + (fields[6]->problem.isVisible() ? problemHeight : 0) + 2 * (rowHeight + 4) + 4 * 17 + 16;
}

void TrackInspector::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    if (track < 0)
    {
        g.setColour (palette::textDim);
        g.drawText ("No track selected", getLocalBounds(), juce::Justification::centred);
    }
}

void TrackInspector::resized()
{
    auto area = getLocalBounds().reduced (8, 4);
    for (auto* field : fields)
        place (*field, area);
    auto row = area.removeFromTop (rowHeight + 4);
    gainLabel.setBounds (row.removeFromLeft (labelWidth));
    gainSlider.setBounds (row.reduced (0, 2));
    row = area.removeFromTop (rowHeight + 4);
    chainLabel.setBounds (row.removeFromLeft (labelWidth));
    chainBox.setBounds (row.reduced (0, 2));
    area.removeFromTop (4);
    summary.setBounds (area);
}

// ---- album --------------------------------------------------------------------------------------

AlbumInspector::AlbumInspector (Workstation& w, album::TimelineEdits& e, std::function<const std::optional<album::Timeline>&()> l)
    : workstation (w), edits (e), layout (std::move (l))
{
    setName ("AlbumInspector");
    const char* names[] = { "Title", "Performer", "UPC/EAN", "Catalogue no.", "Genre", "Language", "Year" };
    const char* tips[] = { "", "", "12-digit UPC-A or 13-digit EAN-13; the last digit is the check digit", "", "",
        "ISO 639-1 code, e.g. en, de, fr", "" };
    for (int i = 0; i < 7; ++i)
    {
        auto* field = fields.add (new InspectorField());
        setUp (*this, *field, names[i], tips[i]);
        field->editor.onReturnKey = field->editor.onFocusLost = [this, i] { commit (i); };
        field->editor.onEscapeKey = [this] { reload(); };
    }
    fields[2]->editor.onTextChange = [this] { checkUpc(); };
    fields[2]->editor.setInputRestrictions (17, "0123456789 -");
    fields[5]->editor.setInputRestrictions (2, "abcdefghijklmnopqrstuvwxyz");
    fields[6]->editor.setInputRestrictions (4, "0123456789");
    workstation.addChangeListener (this);
    reload();
}

AlbumInspector::~AlbumInspector()
{
    workstation.removeChangeListener (this);
}

void AlbumInspector::changeListenerCallback (juce::ChangeBroadcaster*)
{
    reload();
}

void AlbumInspector::reload()
{
    const auto& a = workstation.session().album;
    const std::string texts[]
        = { a.title, a.performer, a.upc, a.catalogueNumber, a.genre, a.language, a.year > 0 ? std::to_string (a.year) : "" };
    for (int i = 0; i < 7; ++i)
        if (! fields[i]->editor.hasKeyboardFocus (true))
            fields[i]->editor.setText (texts[i], juce::dontSendNotification);
    checkUpc();
    updatePreview();
}

void AlbumInspector::commit (int i)
{
    const auto text = fields[i]->editor.getText().trim().toStdString();
    bool ok = false;
    switch (i)
    {
        case 0:
            ok = edits.setAlbumText (album::TextField::title, text);
            break;
        case 1:
            ok = edits.setAlbumText (album::TextField::performer, text);
            break;
        case 2:
            ok = edits.setUpc (text);
            break;
        case 3:
            ok = edits.setCatalogueNumber (text);
            break;
        case 4:
            ok = edits.setGenre (text);
            break;
        case 5:
            ok = edits.setLanguage (text);
            break;
        default:
            ok = edits.setYear (text.empty() ? 0 : std::atoi (text.c_str()));
            break;
    }
    auto& problem = fields[i]->problem;
    if (i != 2)
    {
        // Only the UPC is checked as it is typed; the others say why when they are refused.
        const bool refused = ! ok && ! edits.problem().empty() && (i == 5 || i == 6);
        problem.setText (refused ? juce::String (edits.problem()) : juce::String(), juce::dontSendNotification);
        if (problem.isVisible() != refused)
        {
            problem.setVisible (refused);
            setSize (getWidth(), preferredHeight());
        }
    }
    if (ok)
        workstation.sendChangeMessage();
}

void AlbumInspector::checkUpc()
{
    auto& field = *fields[2];
    const auto typed = session::normaliseUpc (field.editor.getText().toStdString());
    std::string why;
    if (! typed.empty())
    {
        why = session::upcProblem (typed);
        if (const auto at = why.find (": "); ! why.empty() && at != std::string::npos)
            why = why.substr (at + 2); // the field shows the code itself
        // Eleven or twelve digits typed so far: say which check digit would complete them.
        if (! why.empty() && (typed.size() == 11 || typed.size() == 12)
            && typed.find_first_not_of ("0123456789") == std::string::npos)
            why += "  (" + typed + " needs check digit " + std::to_string (session::upcCheckDigit (typed)) + " to make a "
                + (typed.size() == 11 ? "UPC-A" : "EAN-13") + ")";
    }
    field.problem.setText (why, juce::dontSendNotification);
    field.editor.setColour (juce::TextEditor::outlineColourId, why.empty() ? palette::outline : palette::clip);
    if (field.problem.isVisible() != ! why.empty())
    {
        field.problem.setVisible (! why.empty());
        setSize (getWidth(), preferredHeight()); // the viewport scrolls what no longer fits
    }
}

void AlbumInspector::updatePreview()
{
    previewLines.clear();
    previewProblem.clear();
    previewSize.clear();
    previewFill = 0.0f;
    const auto& session = workstation.session();
    const auto& timeline = layout();
    if (! timeline || timeline->alignment() != album::Alignment::cdFrames)
    {
        previewProblem = session.deliverables.targets.empty() || ! album::snapsToCdFrames (session)
            ? "No CD or DDP target: no CD-Text is written."
            : "The album cannot be laid out on CD frames yet.";
        repaint();
        return;
    }
    const auto disc = timeline->cdLayout (session);
    auto both = [] (const std::string& title, const std::string& performer)
    {
        juce::String s = title.empty() ? juce::String ("(no title)") : juce::String (title);
        if (! performer.empty())
            s << "  /  " << juce::String (performer);
        return s;
    };
    // Columns, tab-separated: number, title / performer, code.
    previewLines.add ("Album\t" + both (disc.text.title, disc.text.performer) + "\t"
        + (disc.upc.empty() ? juce::String ("no UPC") : juce::String (disc.upc)));
    for (const auto& t : disc.tracks)
        previewLines.add (juce::String (t.number).paddedLeft ('0', 2) + "\t" + both (t.text.title, t.text.performer) + "\t"
            + (t.isrc.empty() ? juce::String ("no ISRC") : juce::String (session::formatIsrc (t.isrc))));
    std::string error;
    const auto packs = delivery::packCdText (disc, error);
    if (! packs)
    {
        previewProblem = error;
        previewFill = 1.0f;
    }
    else
    {
        const auto count = (int) (packs->size() / delivery::cdTextPackBytes);
        previewFill = (float) count / (float) delivery::cdTextMaxPacksPerBlock;
        previewSize = "CD-Text: " + juce::String (count) + " of " + juce::String (delivery::cdTextMaxPacksPerBlock) + " packs ("
            + juce::String ((int) packs->size()) + " of "
            + juce::String (delivery::cdTextMaxPacksPerBlock * delivery::cdTextPackBytes) + " bytes), one block, language "
            + juce::String (disc.language);
    }
    if (getWidth() > 0)
        setSize (getWidth(), preferredHeight());
    repaint();
}

int AlbumInspector::preferredHeight() const
{
    int problems = 0;
    for (auto* f : fields)
        problems += f->problem.isVisible() ? problemHeight : 0;
    return 8 + 7 * (rowHeight + 2) + problems + 40 + 18 * (previewLines.size() + 1) + 30;
}

void AlbumInspector::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    auto area = previewArea;
    g.setColour (palette::textDim);
    g.setFont (fonts::label (12.5f).withExtraKerningFactor (0.06f));
    g.drawText ("CD-TEXT PREVIEW", area.removeFromTop (18), juce::Justification::centredLeft);
    if (previewSize.isNotEmpty())
    {
        auto bar = area.removeFromTop (18).reduced (0, 4).toFloat();
        g.setColour (palette::grid);
        g.fillRoundedRectangle (bar, 3.0f);
        g.setColour (previewFill > 0.9f ? palette::warning : palette::loudness);
        g.fillRoundedRectangle (bar.withWidth (bar.getWidth() * juce::jlimit (0.01f, 1.0f, previewFill)), 3.0f);
        g.setColour (palette::text);
        g.setFont (fonts::label (13.0f));
        g.drawText (previewSize, area.removeFromTop (18), juce::Justification::centredLeft, true);
    }
    if (previewProblem.isNotEmpty())
    {
        g.setColour (previewFill >= 1.0f ? palette::clip : palette::textDim);
        g.setFont (fonts::label (13.0f));
        g.drawFittedText (previewProblem, area.removeFromTop (36), juce::Justification::topLeft, 2);
    }
    g.setFont (fonts::label (13.0f));
    for (const auto& line : previewLines)
    {
        const auto parts = juce::StringArray::fromTokens (line, "\t", "");
        auto row = area.removeFromTop (18);
        g.setColour (palette::textDim);
        g.drawText (parts[0], row.removeFromLeft (44), juce::Justification::centredLeft, true);
        g.drawText (
            parts[2], row.removeFromRight (juce::jmin (124, row.getWidth() / 3)), juce::Justification::centredRight, true);
        g.setColour (palette::text);
        g.drawText (parts[1], row.withTrimmedRight (6), juce::Justification::centredLeft, true);
    }
}

void AlbumInspector::resized()
{
    auto area = getLocalBounds().reduced (8, 4);
    for (auto* field : fields)
        place (*field, area);
    area.removeFromTop (8);
    previewArea = area;
    repaint();
}

} // namespace crest::app
