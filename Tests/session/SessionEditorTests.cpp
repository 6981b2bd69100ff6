#include "AllocationCounter.h"
#include "engine/ModuleIds.h"
#include "engine/ModuleRegistry.h"
#include "engine/ProcessingChain.h"
#include "session/SessionEditor.h"

#include <catch2/catch.hpp>
#include <juce_core/juce_core.h>

#include <atomic>
#include <thread>

using crest::session::EditKind;
using crest::session::SessionEditor;

namespace
{
std::vector<std::string> moduleIds (const SessionEditor& editor)
{
    std::vector<std::string> ids;
    for (const auto& m : editor.session().chain.modules)
        ids.push_back (m.id);
    return ids;
}
} // namespace

TEST_CASE ("Adding modules gives each a unique ID and a named undo step", "[session][editor]")
{
    SessionEditor editor;
    CHECK (editor.addModule ("limiter") == "limiter");
    CHECK (editor.addModule ("limiter") == "limiter-2");
    CHECK (editor.addModule ("equaliser", 0) == "equaliser");
    CHECK (moduleIds (editor) == std::vector<std::string> { "equaliser", "limiter", "limiter-2" });
    CHECK (editor.undoName() == "Add Equaliser");
    CHECK (editor.lastChangeKind() == EditKind::chainStructure);

    CHECK (editor.addModule ("no-such-module").empty());
    CHECK (editor.session().chain.modules.size() == 3);
}

TEST_CASE ("Undo and redo walk back and forth through chain edits exactly", "[session][editor]")
{
    SessionEditor editor;
    editor.addModule ("equaliser");
    editor.addModule ("compressor");
    editor.addModule ("limiter");
    const auto built = editor.session().chain;

    REQUIRE (editor.moveModule ("limiter", 0));
    CHECK (moduleIds (editor) == std::vector<std::string> { "limiter", "equaliser", "compressor" });
    REQUIRE (editor.setBypass ("compressor", true));
    REQUIRE (editor.removeModule ("equaliser"));
    CHECK (moduleIds (editor) == std::vector<std::string> { "limiter", "compressor" });
    CHECK (editor.session().chain.modules[1].bypass);

    CHECK (editor.undoName() == "Remove Equaliser");
    REQUIRE (editor.undo());
    CHECK (editor.undoName() == "Bypass Compressor");
    REQUIRE (editor.undo());
    CHECK (editor.undoName() == "Move Limiter");
    REQUIRE (editor.undo());
    CHECK (crest::session::sameChain (editor.session().chain, built));

    CHECK (editor.redoName() == "Move Limiter");
    REQUIRE (editor.redo());
    REQUIRE (editor.redo());
    REQUIRE (editor.redo());
    CHECK_FALSE (editor.redo());
    CHECK (moduleIds (editor) == std::vector<std::string> { "limiter", "compressor" });
}

TEST_CASE ("A drag of one parameter is one undo step, the next gesture is another", "[session][editor]")
{
    SessionEditor editor;
    editor.addModule ("limiter");
    const auto revisionBefore = editor.revision();

    for (float v = -1.0f; v >= -3.0f; v -= 0.1f)
        editor.setParameter ("limiter", "ceiling_dbtp", v);
    CHECK (editor.revision() > revisionBefore);
    CHECK (editor.parameterValue ("limiter", "ceiling_dbtp") == Approx (-3.0f).margin (0.11f));
    CHECK (editor.undoName() == "Set Limiter Ceiling");
    CHECK (editor.lastChangeKind() == EditKind::parameter);

    editor.endGesture();
    REQUIRE (editor.setParameter ("limiter", "ceiling_dbtp", -6.0f));
    REQUIRE (editor.undo());
    CHECK (editor.parameterValue ("limiter", "ceiling_dbtp") == Approx (-3.0f).margin (0.11f));
    REQUIRE (editor.undo());
    CHECK (editor.parameterValue ("limiter", "ceiling_dbtp") == -1.0f); // the default again
    CHECK (editor.undoName() == "Add Limiter");
}

TEST_CASE ("Parameter edits are clamped like the live parameter and refuse unknown names", "[session][editor]")
{
    SessionEditor editor;
    editor.addModule ("limiter");
    REQUIRE (editor.setParameter ("limiter", "ceiling_dbtp", 5.0f));
    CHECK (editor.parameterValue ("limiter", "ceiling_dbtp") == 0.0f);
    CHECK_FALSE (editor.setParameter ("limiter", "ceiling_dbtp", 0.0f)); // no change, no step
    CHECK_FALSE (editor.setParameter ("limiter", "no_such_parameter", 1.0f));
    CHECK_FALSE (editor.setParameter ("nobody", "ceiling_dbtp", 1.0f));

    // A look-ahead change alters the latency: the live chain must be rebuilt, not nudged.
    REQUIRE (editor.setParameter ("limiter", "lookahead_ms", 5.0f));
    CHECK (editor.lastChangeKind() == EditKind::chainStructure);
}

TEST_CASE ("An edit after undo discards the redo branch", "[session][editor]")
{
    SessionEditor editor;
    editor.addModule ("compressor");
    editor.addModule ("limiter");
    REQUIRE (editor.undo());
    CHECK (editor.canRedo());
    editor.addModule ("imager");
    CHECK_FALSE (editor.canRedo());
    CHECK (moduleIds (editor) == std::vector<std::string> { "compressor", "imager" });
}

TEST_CASE ("Album edits are undoable with names", "[session][editor]")
{
    SessionEditor editor;
    editor.addTrack ("a.wav", "Opening");
    editor.addTrack ("b.wav", "Second");
    editor.addTrack ("c.wav", "Closer");
    REQUIRE (editor.moveTrack (2, 0));
    CHECK (editor.session().tracks[0].title == "Closer");
    REQUIRE (editor.setTrackGap (1, 0.5));
    REQUIRE (editor.setTrackGap (1, 1.5)); // same control, same gesture
    CHECK_FALSE (editor.setTrackGap (1, -1.0));
    REQUIRE (editor.setTrackTitle (0, "Finale"));
    CHECK (editor.lastChangeKind() == EditKind::album);

    CHECK (editor.undoName() == "Rename Track 1");
    REQUIRE (editor.undo());
    CHECK (editor.undoName() == "Set Gap Before Track 2");
    REQUIRE (editor.undo());
    CHECK (editor.session().tracks[1].gapSeconds == 2.0);
    REQUIRE (editor.undo());
    CHECK (editor.session().tracks[0].title == "Opening");
}

TEST_CASE ("The history keeps a bounded number of steps", "[session][editor]")
{
    SessionEditor editor;
    editor.addModule ("utility");
    for (int i = 0; i < (int) SessionEditor::maximumSteps + 50; ++i)
    {
        editor.setParameter ("utility", "gain_db", (float) (i % 2 == 0 ? 1 : 2));
        editor.endGesture();
    }
    int undone = 0;
    while (editor.undo())
        ++undone;
    CHECK (undone == (int) SessionEditor::maximumSteps);
}

TEST_CASE ("Every chain the editor produces builds and runs with the edited values", "[session][editor]")
{
    SessionEditor editor;
    for (const auto* type : { "equaliser", "compressor", "multiband", "imager", "saturation", "limiter", "utility" })
        editor.addModule (type);
    REQUIRE (editor.session().chain.modules.size() >= 6);
    editor.setParameter ("limiter", "ceiling_dbtp", -2.5f);
    editor.moveModule ("limiter", 0);
    editor.setBypass ("compressor", true);

    std::string error;
    auto chain = crest::engine::ProcessingChain::build (editor.session().chain, 48000.0, 512, error);
    REQUIRE (chain != nullptr);
    INFO (error);
    CHECK (chain->indexOf ("limiter") == 0);
    CHECK (chain->module (0).findParameter ("ceiling_dbtp")->get() == Approx (-2.5f));
}

TEST_CASE ("Parameter and bypass edits reach a running chain as atomics, without allocating on the audio thread",
    "[session][editor][realtime]")
{
    SessionEditor editor;
    editor.addModule ("compressor");
    editor.addModule ("limiter");
    std::string error;
    auto chain = crest::engine::ProcessingChain::build (editor.session().chain, 48000.0, 256, error);
    REQUIRE (chain != nullptr);

    // The audio thread processes noise while the message thread edits and syncs.
    std::atomic<bool> stop { false };
    std::atomic<int64_t> audioAllocations { -1 };
    std::atomic<int> blocks { 0 };
    std::thread audio (
        [&]
        {
            std::vector<float> left (256), right (256);
            juce::Random random (7);
            crest::test::AllocationCounter counter;
            while (! stop)
            {
                for (size_t i = 0; i < left.size(); ++i)
                    left[i] = right[i] = random.nextFloat() * 0.5f - 0.25f;
                chain->process (left.data(), right.data(), 256);
                ++blocks;
            }
            audioAllocations = counter.count();
        });

    for (int i = 0; i < 200; ++i)
    {
        editor.setParameter ("limiter", "ceiling_dbtp", -1.0f - (float) (i % 10) * 0.3f);
        editor.setParameter ("compressor", "ratio", 1.0f + (float) (i % 7));
        editor.setBypass ("compressor", i % 3 == 0);
        REQUIRE (chain->follow (editor.session().chain));
        CHECK (chain->module (1).findParameter ("ceiling_dbtp")->get() == editor.parameterValue ("limiter", "ceiling_dbtp"));
        CHECK (chain->module (0).findParameter ("ratio")->get() == editor.parameterValue ("compressor", "ratio"));
        std::this_thread::sleep_for (std::chrono::microseconds (200));
    }
    stop = true;
    audio.join();
    CHECK (blocks > 0);
    CHECK (audioAllocations == 0);

    // Structure is not the sync's business: a reorder or a latency change asks for a rebuild,
    // and leaves the running chain untouched.
    const float ceilingBefore = chain->module (1).findParameter ("ceiling_dbtp")->get();
    REQUIRE (editor.setParameter ("limiter", "ceiling_dbtp", -9.0f));
    REQUIRE (editor.setParameter ("limiter", "lookahead_ms", 6.0f));
    CHECK_FALSE (chain->follow (editor.session().chain));
    CHECK (chain->module (1).findParameter ("ceiling_dbtp")->get() == ceilingBefore);
    REQUIRE (editor.undo());
    REQUIRE (editor.undo());
    REQUIRE (editor.moveModule ("limiter", 0));
    CHECK_FALSE (chain->follow (editor.session().chain));
}

TEST_CASE ("A drag reaches the running chain as one resolved change: no search, no rescan, no allocation",
    "[session][editor][parameter]")
{
    namespace ids = crest::engine::ids;
    SessionEditor editor;
    for (int i = 0; i < 8; ++i)
        editor.addModule (ids::types::equaliser); // 720 parameters the drag must not touch
    editor.addModule (ids::types::compressor);
    editor.addModule (ids::types::limiter);
    std::string error;
    auto chain = crest::engine::ProcessingChain::build (editor.session().chain, 48000.0, 256, error);
    REQUIRE (chain != nullptr);

    // Every other parameter of the running chain is moved away from the document: a sync or
    // rescan of the chain against the document would put them back.
    const float marker = 0.25f;
    for (size_t m = 0; m < chain->size(); ++m)
        for (const auto& p : chain->module (m).parameters())
            if (! p->spec().changesLatency && p->spec().kind == crest::engine::ParameterKind::continuous
                && p->spec().minimum <= marker && marker <= p->spec().maximum && p->spec().defaultValue != marker)
                p->set (marker);
    std::vector<float> before;
    for (size_t m = 0; m < chain->size(); ++m)
        for (const auto& p : chain->module (m).parameters())
            before.push_back (p->get());

    const auto& table = crest::engine::findModuleType (ids::types::compressor)->parameters;
    const auto ratio = (size_t) table.indexOf (ids::compressor::ratio); // resolved once, as a knob does
    int64_t allocations = 0;
    for (int i = 0; i < 500; ++i)
    {
        const float v = 1.0f + (float) (i % 190 + 1) * 0.1f;
        REQUIRE (editor.setParameter ("compressor", ratio, v));
        const auto& change = editor.lastParameterChange();
        REQUIRE (change.has_value());
        CHECK (change->modulePosition == 8);
        CHECK (change->parameterIndex == ratio);
        CHECK (change->value == editor.parameterValue ("compressor", ids::compressor::ratio));
        crest::test::AllocationCounter counter;
        REQUIRE (chain->apply (*change));
        allocations += counter.count();
    }
    editor.endGesture();
    CHECK (allocations == 0);
    CHECK (editor.undoName() == "Set Compressor Ratio"); // the drag is one step

    size_t flat = 0;
    int differing = 0;
    for (size_t m = 0; m < chain->size(); ++m)
        for (const auto& p : chain->module (m).parameters())
        {
            if (p->get() != before[flat])
            {
                ++differing;
                CHECK (m == 8);
                CHECK (p.get() == chain->module (8).parameters()[ratio].get());
            }
            ++flat;
        }
    CHECK (differing == 1);

    // By ID it is the same edit; a latency-changing parameter or an undo leaves no single change
    // (the chain then follows the whole document, or is rebuilt).
    REQUIRE (editor.setParameter ("compressor", ids::compressor::ratio, 2.0f));
    REQUIRE (editor.lastParameterChange().has_value());
    CHECK (editor.lastParameterChange()->parameterIndex == ratio);
    REQUIRE (editor.setParameter ("limiter", ids::limiter::lookahead, 5.0f));
    CHECK (editor.lastChangeKind() == EditKind::chainStructure);
    CHECK_FALSE (editor.lastParameterChange().has_value());
    REQUIRE (editor.undo());
    CHECK_FALSE (editor.lastParameterChange().has_value());
    REQUIRE (editor.undo());
    CHECK_FALSE (editor.lastParameterChange().has_value());
    REQUIRE (chain->follow (editor.session().chain)); // undo: the whole chain is brought in line
    CHECK (
        chain->module (0).parameters()[0]->get() == editor.parameterValue ("equaliser", ids::band (0, ids::equaliser::bandType)));
    CHECK (chain->module (8).parameters()[ratio]->get() == editor.parameterValue ("compressor", ids::compressor::ratio));
    CHECK_FALSE (editor.setParameter ("compressor", table.size(), 1.0f)); // no such index
}
