#include "session/SessionEditor.h"
#include "session/Versions.h"

#include "engine/ModuleIds.h"
#include "engine/ModuleRegistry.h"
#include "engine/PluginSlots.h"

#include <algorithm>
#include <cmath>

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
        const auto* info = engine::findModuleType (type);
        return info != nullptr ? info->name : type;
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
    parameterChange.reset();
    ++changes;
}

void SessionEditor::apply (
    const std::string& stepName, EditKind kind, const std::function<void (Session&)>& edit, const std::string& mergeKey)
{
    parameterChange.reset();
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
    if (engine::findModuleType (type) == nullptr)
        return {};
    engine::ModuleDescription module;
    module.type = type;
    return addModule (std::move (module), insertAt);
}

std::string SessionEditor::addPlugin (const engine::PluginReference& plugin, int insertAt)
{
    engine::ModuleDescription module;
    module.type = engine::ids::types::plugin;
    module.plugin = plugin;
    if (engine::parameterTableOf (module) == nullptr)
        return {};
    return addModule (std::move (module), insertAt);
}

std::string SessionEditor::addModule (engine::ModuleDescription module, int insertAt)
{
    const auto base = module.type == engine::ids::types::plugin ? std::string ("plugin") : module.type;
    std::string id = base;
    for (int n = 2; moduleIndex (current, id) >= 0; ++n)
        id = base + "-" + std::to_string (n);
    module.id = id;

    apply ("Add " + engine::displayNameOf (module), EditKind::chainStructure,
        [&] (Session& s)
        {
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
    const auto* module = findModule (current, moduleId);
    const auto* table = module != nullptr ? engine::parameterTableOf (*module) : nullptr;
    const int index = table != nullptr ? table->indexOf (parameterId) : -1;
    return index >= 0 && setParameter (moduleId, (size_t) index, value);
}

bool SessionEditor::setParameter (const std::string& moduleId, size_t parameterIndex, float value)
{
    const int moduleAt = moduleIndex (current, moduleId);
    if (moduleAt < 0)
        return false;
    const auto& described = current.chain.modules[(size_t) moduleAt];
    const auto* table = engine::parameterTableOf (described);
    if (table == nullptr || parameterIndex >= table->size())
        return false;
    const auto& spec = (*table)[parameterIndex];
    const auto moduleName = engine::displayNameOf (described);

    // Constrained by the spec, as the live Parameter constrains it, so the document and the
    // engine agree (a value that is not finite leaves a fresh Parameter at its default).
    const float v = std::isfinite (value) ? spec.constrain (value) : spec.defaultValue;
    if (v == parameterValue (moduleId, spec.id))
        return false;

    const auto kind = spec.changesLatency ? EditKind::chainStructure : EditKind::parameter;
    apply (
        "Set " + moduleName + " " + spec.name, kind,
        [&] (Session& s)
        {
            auto& params = s.chain.modules[(size_t) moduleAt].params;
            auto found = std::find_if (params.begin(), params.end(), [&] (const auto& p) { return p.first == spec.id; });
            if (found != params.end())
                found->second = v;
            else
                params.emplace_back (spec.id, v);
        },
        moduleId + "." + spec.id);
    if (kind == EditKind::parameter)
        parameterChange = engine::ParameterChange { moduleId, (size_t) moduleAt, parameterIndex, v };
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
    const auto* table = engine::parameterTableOf (module);
    const auto* spec = table != nullptr ? table->find (parameterId) : nullptr;
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
            assignTrackIds (s); // versions, notes and approvals name it by its ID
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
    parameterChange.reset();
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
    parameterChange.reset();
    ++changes;
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
        if (x.id != y.id || x.type != y.type || x.bypass != y.bypass || x.params != y.params || x.plugin != y.plugin)
            return false;
    }
    return true;
}

} // namespace crest::session
