#include "session/SessionEditor.h"

#include "engine/ModuleRegistry.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace crest::session
{

namespace
{
    engine::ModuleDescription* findModule (Session& s, const std::string& id)
    {
        return s.chain.find (id);
    }

    int moduleIndex (const Session& s, const std::string& id)
    {
        for (size_t i = 0; i < s.chain.modules.size(); ++i)
            if (s.chain.modules[i].id == id)
                return (int) i;
        return -1;
    }

    std::string displayName (const std::string& type)
    {
        for (const auto& info : engine::moduleTypes())
            if (info.type == type)
                return info.name;
        return type;
    }
} // namespace

SessionEditor::SessionEditor (Session initial) : current (std::move (initial)) { }

void SessionEditor::reset (Session replacement)
{
    current = std::move (replacement);
    steps.clear();
    position = 0;
    lastMergeKey.clear();
    lastKind = EditKind::album;
    ++changes;
}

void SessionEditor::apply (
    const std::string& stepName, EditKind kind, const std::function<void (Session&)>& edit, const std::string& mergeKey)
{
    const bool merge = ! mergeKey.empty() && mergeKey == lastMergeKey && position == steps.size() && position > 0;
    if (merge)
    {
        edit (current);
        steps[position - 1].after = current;
    }
    else
    {
        Step step { stepName, kind, current, current };
        edit (current);
        step.after = current;
        steps.resize (position); // an edit after undo discards what could have been redone
        steps.push_back (std::move (step));
        if (steps.size() > maximumSteps)
            steps.erase (steps.begin());
        position = steps.size();
    }
    lastMergeKey = mergeKey;
    lastKind = kind;
    ++changes;
}

std::string SessionEditor::addModule (const std::string& type, int insertAt)
{
    if (engine::createModule (type) == nullptr)
        return {};

    std::string id = type;
    for (int n = 2; moduleIndex (current, id) >= 0; ++n)
        id = type + "-" + std::to_string (n);

    apply ("Add " + displayName (type), EditKind::chainStructure,
        [&] (Session& s)
        {
            engine::ModuleDescription module;
            module.id = id;
            module.type = type;
            auto& modules = s.chain.modules;
            const auto at = insertAt < 0 || insertAt > (int) modules.size() ? modules.size() : (size_t) insertAt;
            modules.insert (modules.begin() + (std::ptrdiff_t) at, std::move (module));
        });
    endGesture();
    return id;
}

bool SessionEditor::removeModule (const std::string& id)
{
    const int index = moduleIndex (current, id);
    if (index < 0)
        return false;
    const auto type = current.chain.modules[(size_t) index].type;
    apply ("Remove " + displayName (type), EditKind::chainStructure,
        [index] (Session& s) { s.chain.modules.erase (s.chain.modules.begin() + index); });
    endGesture();
    return true;
}

bool SessionEditor::moveModule (const std::string& id, int newPosition)
{
    const int index = moduleIndex (current, id);
    const int count = (int) current.chain.modules.size();
    if (index < 0 || newPosition < 0 || newPosition >= count || newPosition == index)
        return false;
    const auto type = current.chain.modules[(size_t) index].type;
    apply ("Move " + displayName (type), EditKind::chainStructure,
        [index, newPosition] (Session& s)
        {
            auto module = std::move (s.chain.modules[(size_t) index]);
            s.chain.modules.erase (s.chain.modules.begin() + index);
            s.chain.modules.insert (s.chain.modules.begin() + newPosition, std::move (module));
        });
    endGesture();
    return true;
}

bool SessionEditor::setBypass (const std::string& id, bool bypassed)
{
    auto* module = findModule (current, id);
    if (module == nullptr || module->bypass == bypassed)
        return false;
    apply ((bypassed ? "Bypass " : "Enable ") + displayName (module->type), EditKind::chainStructure,
        [&id, bypassed] (Session& s) { s.chain.find (id)->bypass = bypassed; });
    endGesture();
    return true;
}

bool SessionEditor::setParameter (const std::string& moduleId, const std::string& parameterId, float value)
{
    auto* module = findModule (current, moduleId);
    if (module == nullptr)
        return false;
    const auto* spec = findSpec (module->type, parameterId);
    if (spec == nullptr)
        return false;

    // Clamp and round exactly as the live Parameter does, so the document and the engine agree.
    engine::Parameter probe (*spec);
    probe.set (value);
    const float v = probe.get();
    if (v == parameterValue (moduleId, parameterId))
        return false;

    const auto kind = spec->changesLatency ? EditKind::chainStructure : EditKind::parameter;
    apply (
        "Set " + displayName (module->type) + " " + spec->name, kind,
        [&] (Session& s)
        {
            auto& params = s.chain.find (moduleId)->params;
            auto found = std::find_if (params.begin(), params.end(), [&] (const auto& p) { return p.first == parameterId; });
            if (found != params.end())
                found->second = v;
            else
                params.emplace_back (parameterId, v);
        },
        moduleId + "." + parameterId);
    return true;
}

float SessionEditor::parameterValue (const std::string& moduleId, const std::string& parameterId) const
{
    const auto index = moduleIndex (current, moduleId);
    if (index < 0)
        return 0.0f;
    const auto& module = current.chain.modules[(size_t) index];
    for (const auto& [id, value] : module.params)
        if (id == parameterId)
            return value;
    const auto* spec = findSpec (module.type, parameterId);
    return spec != nullptr ? spec->defaultValue : 0.0f;
}

void SessionEditor::addTrack (const std::string& source, const std::string& title)
{
    apply ("Add Track", EditKind::album,
        [&] (Session& s)
        {
            Track track;
            track.source = source;
            track.title = title;
            s.tracks.push_back (std::move (track));
        });
    endGesture();
}

bool SessionEditor::removeTrack (int index)
{
    if (index < 0 || index >= (int) current.tracks.size())
        return false;
    apply ("Remove Track " + std::to_string (index + 1), EditKind::album,
        [index] (Session& s) { s.tracks.erase (s.tracks.begin() + index); });
    endGesture();
    return true;
}

bool SessionEditor::moveTrack (int from, int to)
{
    const int count = (int) current.tracks.size();
    if (from < 0 || from >= count || to < 0 || to >= count || from == to)
        return false;
    apply ("Move Track " + std::to_string (from + 1), EditKind::album,
        [from, to] (Session& s)
        {
            auto track = std::move (s.tracks[(size_t) from]);
            s.tracks.erase (s.tracks.begin() + from);
            s.tracks.insert (s.tracks.begin() + to, std::move (track));
        });
    endGesture();
    return true;
}

bool SessionEditor::setTrackTitle (int index, const std::string& title)
{
    if (index < 0 || index >= (int) current.tracks.size() || current.tracks[(size_t) index].title == title)
        return false;
    apply ("Rename Track " + std::to_string (index + 1), EditKind::album,
        [&] (Session& s) { s.tracks[(size_t) index].title = title; });
    endGesture();
    return true;
}

bool SessionEditor::setTrackGap (int index, double seconds)
{
    if (index < 0 || index >= (int) current.tracks.size() || ! (seconds >= 0.0)
        || current.tracks[(size_t) index].gapSeconds == seconds)
        return false;
    apply (
        "Set Gap Before Track " + std::to_string (index + 1), EditKind::album,
        [&] (Session& s) { s.tracks[(size_t) index].gapSeconds = seconds; }, "gap." + std::to_string (index));
    return true;
}

bool SessionEditor::setTrackGain (int index, double decibels)
{
    if (index < 0 || index >= (int) current.tracks.size() || ! std::isfinite (decibels)
        || current.tracks[(size_t) index].gainDb == decibels)
        return false;
    apply (
        "Set Gain of Track " + std::to_string (index + 1), EditKind::album,
        [&] (Session& s) { s.tracks[(size_t) index].gainDb = decibels; }, "gain." + std::to_string (index));
    return true;
}

void SessionEditor::addReference (const std::string& source, const std::string& name)
{
    apply ("Add Reference", EditKind::album,
        [&] (Session& s)
        {
            Reference reference;
            reference.source = source;
            reference.name = name;
            s.references.push_back (std::move (reference));
        });
    endGesture();
}

std::string SessionEditor::undoName() const
{
    return canUndo() ? steps[position - 1].name : std::string();
}

std::string SessionEditor::redoName() const
{
    return canRedo() ? steps[position].name : std::string();
}

bool SessionEditor::undo()
{
    if (! canUndo())
        return false;
    --position;
    current = steps[position].before;
    lastKind = steps[position].kind;
    lastMergeKey.clear();
    ++changes;
    return true;
}

bool SessionEditor::redo()
{
    if (! canRedo())
        return false;
    current = steps[position].after;
    lastKind = steps[position].kind;
    ++position;
    lastMergeKey.clear();
    ++changes;
    return true;
}

const std::vector<engine::ParameterSpec>& SessionEditor::parameterSpecs (const std::string& type)
{
    static std::map<std::string, std::vector<engine::ParameterSpec>> cache;
    auto found = cache.find (type);
    if (found == cache.end())
    {
        std::vector<engine::ParameterSpec> list;
        if (auto module = engine::createModule (type))
            for (const auto& p : module->parameters())
                list.push_back (p->spec());
        found = cache.emplace (type, std::move (list)).first;
    }
    return found->second;
}

const engine::ParameterSpec* SessionEditor::findSpec (const std::string& type, const std::string& parameterId)
{
    for (const auto& spec : parameterSpecs (type))
        if (spec.id == parameterId)
            return &spec;
    return nullptr;
}

bool syncRunningChain (const engine::ChainDescription& wanted, engine::ProcessingChain& running)
{
    if (wanted.modules.size() != running.size())
        return false;
    auto valueIn = [] (const engine::ModuleDescription& m, const engine::ParameterSpec& spec)
    {
        for (const auto& [id, value] : m.params)
            if (id == spec.id)
                return value;
        return spec.defaultValue;
    };
    // First check everything, so that a structural difference changes nothing.
    for (size_t i = 0; i < wanted.modules.size(); ++i)
    {
        const auto& m = wanted.modules[i];
        if (running.indexOf (m.id) != (int) i || running.module (i).type() != m.type)
            return false;
        for (const auto& p : running.module (i).parameters())
            if (p->spec().changesLatency)
            {
                engine::Parameter probe (p->spec());
                probe.set (valueIn (m, p->spec()));
                if (probe.get() != p->get())
                    return false;
            }
    }
    for (size_t i = 0; i < wanted.modules.size(); ++i)
    {
        const auto& m = wanted.modules[i];
        for (const auto& p : running.module (i).parameters())
        {
            const float v = valueIn (m, p->spec());
            if (p->get() != v)
                p->set (v);
        }
        running.setBypass (i, m.bypass);
    }
    return true;
}

bool sameChain (const engine::ChainDescription& a, const engine::ChainDescription& b)
{
    if (a.modules.size() != b.modules.size())
        return false;
    for (size_t i = 0; i < a.modules.size(); ++i)
    {
        const auto& x = a.modules[i];
        const auto& y = b.modules[i];
        if (x.id != y.id || x.type != y.type || x.bypass != y.bypass || x.params != y.params)
            return false;
    }
    return true;
}

} // namespace crest::session
