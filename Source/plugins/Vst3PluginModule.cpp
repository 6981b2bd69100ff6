#include "plugins/Vst3PluginModule.h"

#include "engine/ModuleIds.h"
#include "plugins/Vst3Editor.h"
#include "plugins/Vst3HostObjects.h"

#include <juce_core/juce_core.h>
#include <pluginterfaces/gui/iplugview.h>
#include <pluginterfaces/vst/vstspeaker.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

using namespace Steinberg;

namespace crest::plugins
{

using vst3::Ref;

namespace
{
    constexpr const char* stateMagic = "CRV3"; // Crest's envelope: component state, then controller state

    std::string snakeCase (const std::string& title)
    {
        std::string s;
        for (const char c : title)
        {
            if (std::isalnum ((unsigned char) c))
                s += (char) std::tolower ((unsigned char) c);
            else if (! s.empty() && s.back() != '_')
                s += '_';
        }
        while (! s.empty() && s.back() == '_')
            s.pop_back();
        if (! s.empty() && std::isdigit ((unsigned char) s[0]))
            s = "p_" + s;
        return s;
    }

    void putSize (std::string& out, size_t n)
    {
        for (int i = 0; i < 4; ++i)
            out += (char) ((n >> (8 * i)) & 0xFF);
    }

    bool getSize (const std::string& in, size_t& at, size_t& n)
    {
        if (at + 4 > in.size())
            return false;
        n = 0;
        for (int i = 0; i < 4; ++i)
            n |= (size_t) (unsigned char) in[at + (size_t) i] << (8 * i);
        at += 4;
        return at + n <= in.size();
    }
} // namespace

/** One live plugin: its objects, connections, buses and the buffers process() uses. */
struct Vst3PluginModule::Instance
{
    Ref<Vst::IComponent> component;
    Ref<Vst::IAudioProcessor> processor;
    Ref<Vst::IEditController> controller;
    Ref<Vst::IConnectionPoint> componentPoint, controllerPoint;
    Ref<vst3::ComponentHandler> handler;
    bool separateController = false, active = false, processing = false;
    int channels = 2; ///< of the main buses: 2, or 1 for a mono plugin (run as two instances)
    int side = 0; ///< a mono instance's channel: 0 left, 1 right

    int maxBlock = 0;
    double rate = 48000.0;
    std::vector<Vst::AudioBusBuffers> inputs, outputs;
    std::vector<std::vector<float*>> inputPointers, outputPointers;
    std::vector<float> inLeft, inRight, silence, scratch;
    vst3::ParameterChanges inChanges, outChanges;
    Vst::ProcessContext context {};
    Vst::ProcessData data;

    /** Makes, initialises and connects the plugin's objects. */
    static std::unique_ptr<Instance> make (Vst3Library& library, const std::string& classId, std::string& reason)
    {
        TUID cid;
        if (! vst3::idFromString (classId, cid))
        {
            reason = "\"" + classId + "\" is not a VST3 class ID (32 hex digits)";
            return nullptr;
        }
        auto i = std::make_unique<Instance>();
        void* object = nullptr;
        if (library.factory()->createInstance (
                reinterpret_cast<FIDString> (cid), reinterpret_cast<FIDString> (Vst::IComponent_iid), &object)
                != kResultOk
            || object == nullptr)
        {
            reason = "the plugin's factory would not create its component";
            return nullptr;
        }
        i->component = Ref<Vst::IComponent> (static_cast<Vst::IComponent*> (object));
        if (i->component->initialize (vst3::HostApplication::shared()) != kResultOk)
        {
            i->component = {};
            reason = "the plugin's component refused to initialise";
            return nullptr;
        }
        i->processor = Ref<Vst::IComponent>::query<Vst::IAudioProcessor> (i->component.get(), Vst::IAudioProcessor_iid);
        if (! i->processor)
        {
            reason = "the plugin has no audio processor";
            return nullptr;
        }
        i->controller = Ref<Vst::IComponent>::query<Vst::IEditController> (i->component.get(), Vst::IEditController_iid);
        if (! i->controller)
        {
            TUID controllerId;
            object = nullptr;
            if (i->component->getControllerClassId (controllerId) == kResultOk
                && library.factory()->createInstance (reinterpret_cast<FIDString> (controllerId),
                       reinterpret_cast<FIDString> (Vst::IEditController_iid), &object)
                    == kResultOk
                && object != nullptr)
            {
                i->controller = Ref<Vst::IEditController> (static_cast<Vst::IEditController*> (object));
                if (i->controller->initialize (vst3::HostApplication::shared()) != kResultOk)
                    i->controller = {};
                else
                    i->separateController = true;
            }
        }
        if (i->controller)
        {
            i->handler = Ref<vst3::ComponentHandler> (new vst3::ComponentHandler());
            i->controller->setComponentHandler (i->handler.get());
            if (i->separateController)
            {
                i->componentPoint
                    = Ref<Vst::IComponent>::query<Vst::IConnectionPoint> (i->component.get(), Vst::IConnectionPoint_iid);
                i->controllerPoint
                    = Ref<Vst::IEditController>::query<Vst::IConnectionPoint> (i->controller.get(), Vst::IConnectionPoint_iid);
                if (i->componentPoint && i->controllerPoint)
                {
                    i->componentPoint->connect (i->controllerPoint.get());
                    i->controllerPoint->connect (i->componentPoint.get());
                }
            }
        }
        if (! i->setUpBuses (reason))
            return nullptr;
        if (i->processor->canProcessSampleSize (Vst::kSample32) != kResultTrue)
        {
            reason = "the plugin cannot process 32-bit samples";
            return nullptr;
        }
        return i;
    }

    /** Asks for stereo main buses, activates them (and only them) and checks what came. */
    bool setUpBuses (std::string& reason)
    {
        const int32 ins = component->getBusCount (Vst::kAudio, Vst::kInput);
        const int32 outs = component->getBusCount (Vst::kAudio, Vst::kOutput);
        if (ins < 1 || outs < 1)
        {
            reason = "the plugin has no audio input or no audio output (an instrument or an analyser?)";
            return false;
        }
        std::vector<Vst::SpeakerArrangement> inArr ((size_t) ins), outArr ((size_t) outs);
        for (int32 b = 0; b < ins; ++b)
            if (b == 0 || processor->getBusArrangement (Vst::kInput, b, inArr[(size_t) b]) != kResultOk)
                inArr[(size_t) b] = b == 0 ? Vst::SpeakerArr::kStereo : Vst::SpeakerArr::kEmpty;
        for (int32 b = 0; b < outs; ++b)
            if (b == 0 || processor->getBusArrangement (Vst::kOutput, b, outArr[(size_t) b]) != kResultOk)
                outArr[(size_t) b] = b == 0 ? Vst::SpeakerArr::kStereo : Vst::SpeakerArr::kEmpty;
        processor->setBusArrangements (inArr.data(), ins, outArr.data(), outs);

        for (int32 b = 0; b < ins; ++b)
            component->activateBus (Vst::kAudio, Vst::kInput, b, b == 0);
        for (int32 b = 0; b < outs; ++b)
            component->activateBus (Vst::kAudio, Vst::kOutput, b, b == 0);
        for (int32 b = 0; b < component->getBusCount (Vst::kEvent, Vst::kInput); ++b)
            component->activateBus (Vst::kEvent, Vst::kInput, b, false);
        for (int32 b = 0; b < component->getBusCount (Vst::kEvent, Vst::kOutput); ++b)
            component->activateBus (Vst::kEvent, Vst::kOutput, b, false);

        Vst::BusInfo in {}, out {};
        component->getBusInfo (Vst::kAudio, Vst::kInput, 0, in);
        component->getBusInfo (Vst::kAudio, Vst::kOutput, 0, out);
        if (in.channelCount == 1 && out.channelCount == 1)
        {
            // A mono effect: asked for mono explicitly, run as dual mono by the module.
            inArr[0] = outArr[0] = Vst::SpeakerArr::kMono;
            processor->setBusArrangements (inArr.data(), ins, outArr.data(), outs);
            channels = 1;
        }
        else if (in.channelCount != 2 || out.channelCount != 2)
        {
            reason = "the plugin's main buses are neither stereo nor mono in and out (" + std::to_string (in.channelCount)
                + " in, " + std::to_string (out.channelCount) + " out)";
            return false;
        }
        inputs.assign ((size_t) ins, {});
        outputs.assign ((size_t) outs, {});
        inputPointers.assign ((size_t) ins, {});
        outputPointers.assign ((size_t) outs, {});
        for (int32 b = 0; b < ins; ++b)
        {
            Vst::BusInfo info {};
            component->getBusInfo (Vst::kAudio, Vst::kInput, b, info);
            inputPointers[(size_t) b].assign ((size_t) std::max (info.channelCount, 1), nullptr);
            inputs[(size_t) b].numChannels = info.channelCount;
        }
        for (int32 b = 0; b < outs; ++b)
        {
            Vst::BusInfo info {};
            component->getBusInfo (Vst::kAudio, Vst::kOutput, b, info);
            outputPointers[(size_t) b].assign ((size_t) std::max (info.channelCount, 1), nullptr);
            outputs[(size_t) b].numChannels = info.channelCount;
        }
        return true;
    }

    /** Buffers for a largest block; every bus points at them (inactive buses at silence). */
    void allocate (int block)
    {
        maxBlock = block;
        inLeft.assign ((size_t) block, 0.0f);
        inRight.assign ((size_t) block, 0.0f);
        silence.assign ((size_t) block, 0.0f);
        scratch.assign ((size_t) block, 0.0f);
        for (size_t b = 0; b < inputs.size(); ++b)
        {
            auto& p = inputPointers[b];
            std::fill (p.begin(), p.end(), silence.data());
            if (b == 0 && channels == 2)
            {
                p[0] = inLeft.data();
                p[1] = inRight.data();
            }
            else if (b == 0)
                p[0] = side == 0 ? inLeft.data() : inRight.data();
            inputs[b].channelBuffers32 = p.data();
        }
        for (size_t b = 0; b < outputs.size(); ++b)
        {
            auto& p = outputPointers[b];
            std::fill (p.begin(), p.end(), scratch.data());
            outputs[b].channelBuffers32 = p.data();
        }
        data = {};
        data.processMode = Vst::kRealtime;
        data.symbolicSampleSize = Vst::kSample32;
        data.numInputs = (int32) inputs.size();
        data.numOutputs = (int32) outputs.size();
        data.inputs = inputs.data();
        data.outputs = outputs.data();
        data.inputParameterChanges = &inChanges;
        data.outputParameterChanges = &outChanges;
        context = {};
        context.sampleRate = rate;
        context.state = 0; // not playing: Crest has no transport to tell of
        data.processContext = &context;
    }

    void stop()
    {
        if (processing)
            processor->setProcessing (false);
        if (active)
            component->setActive (false);
        processing = active = false;
    }

    void start()
    {
        component->setActive (true);
        active = true;
        processor->setProcessing (true);
        processing = true;
    }

    ~Instance()
    {
        if (! component)
            return;
        if (processor)
            stop();
        if (componentPoint && controllerPoint)
        {
            componentPoint->disconnect (controllerPoint.get());
            controllerPoint->disconnect (componentPoint.get());
        }
        componentPoint = {};
        controllerPoint = {};
        if (controller)
        {
            controller->setComponentHandler (nullptr);
            if (separateController)
                controller->terminate();
        }
        controller = {};
        processor = {};
        component->terminate();
        component = {};
    }
};

// ---------------------------------------------------------------------------------------------

std::shared_ptr<const Vst3Description> describeVst3 (const std::string& bundle, const std::string& classId, std::string& reason)
{
    static std::map<std::string, std::shared_ptr<const Vst3Description>> described;
    if (const auto found = described.find (classId); found != described.end())
        return found->second;

    auto library = Vst3Library::open (bundle, reason);
    if (library == nullptr)
        return nullptr;
    const auto* info = library->findClass (classId);
    if (info == nullptr)
    {
        reason = bundle + " has no audio effect with class ID " + classId;
        return nullptr;
    }
    auto d = std::make_shared<Vst3Description>();
    d->id = classId;
    d->name = info->name;
    d->vendor = info->vendor;
    d->version = info->version;
    d->bundle = bundle;

    std::string why;
    auto instance = Vst3PluginModule::Instance::make (*library, classId, why);
    if (instance == nullptr)
    {
        d->unsupported = why;
        described[classId] = d;
        return d;
    }
    std::vector<engine::ParameterSpec> specs;
    std::set<std::string> taken;
    if (auto& c = instance->controller)
    {
        const int32 count = c->getParameterCount();
        for (int32 p = 0; p < count; ++p)
        {
            Vst::ParameterInfo pi {};
            if (c->getParameterInfo (p, pi) != kResultOk)
                continue;
            if ((pi.flags
                    & (Vst::ParameterInfo::kIsHidden | Vst::ParameterInfo::kIsReadOnly | Vst::ParameterInfo::kIsBypass
                        | Vst::ParameterInfo::kIsProgramChange))
                != 0)
                continue;
            engine::ParameterSpec s;
            s.name = vst3::toUtf8 (pi.title, 128);
            auto id = snakeCase (s.name);
            if (id.empty() || taken.count (id) != 0)
                id = (id.empty() ? "param" : id) + "_" + std::to_string (pi.id);
            taken.insert (id);
            s.id = id;
            Vst3ParameterMapping m;
            m.id = pi.id;
            std::string unit = vst3::toUtf8 (pi.units, 128);
            while (! unit.empty() && (unit.back() == ' ' || unit.front() == ' '))
                unit = unit.back() == ' ' ? unit.substr (0, unit.size() - 1) : unit.substr (1);
            if (pi.stepCount == 1)
            {
                s.kind = engine::ParameterKind::toggle;
                s.minimum = 0.0f;
                s.maximum = 1.0f;
                s.defaultValue = pi.defaultNormalizedValue >= 0.5 ? 1.0f : 0.0f;
                m.steps = 1;
            }
            else if (pi.stepCount > 1 && pi.stepCount <= 256)
            {
                s.kind = engine::ParameterKind::choice;
                for (int32 k = 0; k <= pi.stepCount; ++k)
                {
                    Vst::String128 text {};
                    std::string name = std::to_string (k);
                    if (c->getParamStringByValue (pi.id, (double) k / pi.stepCount, text) == kResultOk)
                        if (auto t = vst3::toUtf8 (text, 128); ! t.empty())
                            name = t;
                    s.choices.push_back (name);
                }
                s.minimum = 0.0f;
                s.maximum = (float) pi.stepCount;
                s.defaultValue = (float) std::lround (pi.defaultNormalizedValue * pi.stepCount);
                m.steps = pi.stepCount;
            }
            else
            {
                // Plain range when the plugin's plain value is linear in the normalised one.
                const double p0 = c->normalizedParamToPlain (pi.id, 0.0), p1 = c->normalizedParamToPlain (pi.id, 1.0);
                bool linear = std::isfinite (p0) && std::isfinite (p1) && p1 > p0 && ! (p0 == 0.0 && p1 == 1.0);
                for (const double x : { 0.25, 0.5, 0.75 })
                    linear = linear && std::abs (c->normalizedParamToPlain (pi.id, x) - (p0 + x * (p1 - p0))) <= 1e-6 * (p1 - p0);
                if (linear)
                {
                    m.plainMinimum = p0;
                    m.plainMaximum = p1;
                    s.unit = unit;
                }
                s.minimum = (float) m.plainMinimum;
                s.maximum = (float) m.plainMaximum;
                s.defaultValue = (float) (m.plainMinimum + pi.defaultNormalizedValue * (m.plainMaximum - m.plainMinimum));
            }
            specs.push_back (s);
            d->mappings.push_back (m);
        }
    }
    instance.reset();
    d->parameters = engine::ParameterTable (specs);

    // Which parameters change the latency: each to its two ends on one instance.
    {
        std::string ignored;
        auto probe = Vst3PluginModule::create (d, {}, ignored);
        if (probe == nullptr)
        {
            d->unsupported = ignored;
        }
        else
        {
            probe->prepare (48000.0, 512);
            const int base = probe->latencySamples();
            const auto& values = probe->parameters();
            const size_t surveyed = std::min<size_t> (values.size(), 128);
            for (size_t i = 0; i < surveyed; ++i)
            {
                for (const float v : { values[i]->spec().minimum, values[i]->spec().maximum })
                {
                    values[i]->set (v);
                    probe->prepare (48000.0, 512);
                    specs[i].changesLatency = specs[i].changesLatency || probe->latencySamples() != base;
                }
                values[i]->setToDefault();
            }
            probe.reset();
            auto marked = std::make_shared<Vst3Description> (*d);
            marked->parameters = engine::ParameterTable (specs);
            d = marked;
        }
    }
    described[classId] = d;
    return d;
}

// ---------------------------------------------------------------------------------------------

Vst3PluginModule::Vst3PluginModule (std::shared_ptr<const Vst3Description> d)
    : Vst3DescriptionHolder { std::move (d) }, Module (description->parameters)
{
}

Vst3PluginModule::~Vst3PluginModule() = default;

std::unique_ptr<Vst3PluginModule> Vst3PluginModule::create (
    std::shared_ptr<const Vst3Description> d, const std::string& state, std::string& reason)
{
    if (d == nullptr)
    {
        reason = "not on this machine";
        return nullptr;
    }
    if (! d->unsupported.empty())
    {
        reason = d->unsupported;
        return nullptr;
    }
    auto library = Vst3Library::open (d->bundle, reason);
    if (library == nullptr)
        return nullptr;
    std::unique_ptr<Vst3PluginModule> module (new Vst3PluginModule (d));
    module->instances.push_back (Instance::make (*library, d->id, reason));
    if (module->instances[0] == nullptr)
        return nullptr;
    if (module->instances[0]->channels == 1)
    {
        // Dual mono: a second instance for the right channel, with the same parameters and state.
        module->instances.push_back (Instance::make (*library, d->id, reason));
        if (module->instances[1] == nullptr)
            return nullptr;
        module->instances[1]->side = 1;
    }
    module->instance = module->instances[0].get();
    auto* self = module.get();
    if (auto& h = module->instance->handler)
    {
        // Edits in the plugin's editor become Crest's values (sent to the processor by process()).
        h->onEdit = [self] (Vst::ParamID id, double normalised)
        {
            const auto& maps = self->description->mappings;
            for (size_t i = 0; i < maps.size(); ++i)
                if (maps[i].id == id)
                {
                    const float v = self->fromNormalised (i, normalised);
                    if (self->onEditorEdit)
                    {
                        self->onEditorEdit (i, v);
                        return;
                    }
                    self->parameters()[i]->set (v);
                    if (i < self->lastShown.size())
                        self->lastShown[i] = self->parameters()[i]->get();
                }
        };
        h->onRestart = [self] (int32 flags)
        {
            if ((flags & Vst::kLatencyChanged) != 0)
                self->latencyChanged = true;
        };
    }
    module->lastSent.assign (d->mappings.size(), std::numeric_limits<float>::quiet_NaN());
    module->lastShown.assign (d->mappings.size(), std::numeric_limits<float>::quiet_NaN());
    if (! state.empty() && ! module->restore (state))
    {
        reason = "the plugin refused its saved state";
        return nullptr;
    }
    return module;
}

std::string Vst3PluginModule::type() const
{
    return engine::ids::types::plugin;
}

double Vst3PluginModule::toNormalised (size_t index, float value) const noexcept
{
    const auto& m = description->mappings[index];
    if (m.steps > 0)
        return std::clamp ((double) value / m.steps, 0.0, 1.0);
    return std::clamp ((value - m.plainMinimum) / (m.plainMaximum - m.plainMinimum), 0.0, 1.0);
}

float Vst3PluginModule::fromNormalised (size_t index, double normalised) const noexcept
{
    const auto& m = description->mappings[index];
    normalised = std::clamp (normalised, 0.0, 1.0);
    if (m.steps > 0)
        return (float) std::lround (normalised * m.steps);
    return (float) (m.plainMinimum + normalised * (m.plainMaximum - m.plainMinimum));
}

bool Vst3PluginModule::restore (const std::string& state)
{
    juce::MemoryOutputStream decoded;
    if (! juce::Base64::convertFromBase64 (decoded, juce::String (state)))
        return false;
    const std::string bytes (static_cast<const char*> (decoded.getData()), decoded.getDataSize());
    size_t at = 4, componentSize = 0, controllerSize = 0;
    if (bytes.compare (0, 4, stateMagic) != 0 || ! getSize (bytes, at, componentSize))
        return false;
    const auto componentBytes = bytes.substr (at, componentSize);
    at += componentSize;
    if (! getSize (bytes, at, controllerSize))
        return false;
    const auto controllerBytes = bytes.substr (at, controllerSize);

    for (auto& each : instances)
    {
        Ref<vst3::MemoryStream> componentStream (new vst3::MemoryStream (componentBytes));
        if (each->component->setState (componentStream.get()) != kResultOk)
            return false;
        if (each->controller)
        {
            Ref<vst3::MemoryStream> again (new vst3::MemoryStream (componentBytes));
            each->controller->setComponentState (again.get());
            if (! controllerBytes.empty())
            {
                Ref<vst3::MemoryStream> controllerStream (new vst3::MemoryStream (controllerBytes));
                each->controller->setState (controllerStream.get());
            }
        }
    }
    auto& i = *instance;
    if (i.controller)
    {
        // Crest's parameters take the values the state gave the plugin.
        const auto& maps = description->mappings;
        for (size_t p = 0; p < maps.size(); ++p)
        {
            parameters()[p]->set (fromNormalised (p, i.controller->getParamNormalized (maps[p].id)));
            lastSent[p] = lastShown[p] = parameters()[p]->get();
        }
    }
    return true;
}

std::string Vst3PluginModule::pluginState() const
{
    auto& i = *instance;
    Ref<vst3::MemoryStream> componentStream (new vst3::MemoryStream());
    if (i.component->getState (componentStream.get()) != kResultOk)
        return {};
    std::string controllerBytes;
    if (i.controller && i.separateController)
    {
        Ref<vst3::MemoryStream> controllerStream (new vst3::MemoryStream());
        if (i.controller->getState (controllerStream.get()) == kResultOk)
            controllerBytes = controllerStream->bytes();
    }
    std::string bytes = stateMagic;
    putSize (bytes, componentStream->bytes().size());
    bytes += componentStream->bytes();
    putSize (bytes, controllerBytes.size());
    bytes += controllerBytes;
    return juce::Base64::toBase64 (bytes.data(), bytes.size()).toStdString();
}

void Vst3PluginModule::runSilentBlock()
{
    auto& i = *instance;
    const int n = std::min (i.maxBlock, 512);
    std::vector<float> left ((size_t) n, 0.0f), right ((size_t) n, 0.0f);
    process (left.data(), right.data(), n);
}

void Vst3PluginModule::prepare (double sampleRate, int maxBlockSize)
{
    for (auto& each : instances)
    {
        auto& i = *each;
        i.stop();
        i.rate = sampleRate;
        Vst::ProcessSetup setup { Vst::kRealtime, Vst::kSample32, std::max (maxBlockSize, 1), sampleRate };
        i.processor->setupProcessing (setup);
        i.allocate (std::max (maxBlockSize, 1));
        i.inChanges.reserve (description->mappings.size());
        i.outChanges.reserve (std::max<size_t> (description->mappings.size(), 64));
        i.start();
    }
    std::fill (lastSent.begin(), lastSent.end(), std::numeric_limits<float>::quiet_NaN());
    runSilentBlock(); // every parameter value reaches the processors
    latencyChanged = false;
    for (auto& each : instances)
    {
        each->stop();
        each->start(); // fresh signal state; a plugin that sets its latency on activation has seen its parameters
        each->context.projectTimeSamples = 0;
    }
    latency = (int) std::min<uint32> (instance->processor->getLatencySamples(), 1u << 24);
}

void Vst3PluginModule::reset() noexcept
{
    for (auto& each : instances)
    {
        auto& i = *each;
        if (! i.processing)
            continue;
        i.processor->setProcessing (false);
        i.processor->setProcessing (true);
        i.context.projectTimeSamples = 0;
    }
}

void Vst3PluginModule::process (float* left, float* right, int numSamples) noexcept
{
    if (! instance->processing || numSamples > instance->maxBlock || numSamples <= 0)
        return; // not prepared: audio passes through
    const auto& values = parameters();
    for (auto& each : instances)
    {
        each->inChanges.clear();
        each->outChanges.clear();
    }
    for (size_t p = 0; p < values.size(); ++p)
    {
        const float v = values[p]->get();
        if (v == lastSent[p])
            continue;
        bool queued = true;
        for (auto& each : instances)
            queued = each->inChanges.add (description->mappings[p].id, 0, toNormalised (p, v)) && queued;
        if (queued)
            lastSent[p] = v;
    }
    for (auto& each : instances)
    {
        auto& i = *each;
        std::copy (left, left + numSamples, i.inLeft.begin());
        std::copy (right, right + numSamples, i.inRight.begin());
        float* own[2] = { left, right };
        if (i.channels == 2)
        {
            i.outputPointers[0][0] = left;
            i.outputPointers[0][1] = right;
        }
        else
            i.outputPointers[0][0] = own[i.side];
        i.data.numSamples = numSamples;
        if (i.processor->process (i.data) != kResultOk)
        {
            // A plugin that refuses a block leaves the signal (its channels of it) as it was.
            if (i.channels == 2 || i.side == 0)
                std::copy (i.inLeft.begin(), i.inLeft.begin() + numSamples, left);
            if (i.channels == 2 || i.side == 1)
                std::copy (i.inRight.begin(), i.inRight.begin() + numSamples, right);
        }
        i.context.projectTimeSamples += numSamples;
    }
}

bool Vst3PluginModule::hasEditor() const
{
    if (! instance->controller)
        return false;
    auto* view = instance->controller->createView (Vst::ViewType::kEditor);
    if (view == nullptr)
        return false;
    view->release();
    return true;
}

std::unique_ptr<Vst3Editor> Vst3PluginModule::createEditor()
{
    if (! instance->controller)
        return nullptr;
    IPlugView* view = instance->controller->createView (Vst::ViewType::kEditor);
    if (view == nullptr)
        return nullptr;
    updateController();
    return std::unique_ptr<Vst3Editor> (new Vst3Editor (view));
}

void Vst3PluginModule::updateController()
{
    auto& c = instance->controller;
    if (! c)
        return;
    const auto& values = parameters();
    for (size_t p = 0; p < values.size(); ++p)
    {
        const float v = values[p]->get();
        if (v != lastShown[p])
        {
            c->setParamNormalized (description->mappings[p].id, toNormalised (p, v));
            lastShown[p] = v;
        }
    }
}

std::string Vst3PluginModule::valueText (size_t index) const
{
    auto& c = instance->controller;
    if (! c || index >= description->mappings.size())
        return {};
    Vst::String128 text {};
    if (c->getParamStringByValue (description->mappings[index].id, toNormalised (index, parameters()[index]->get()), text)
        != kResultOk)
        return {};
    return vst3::toUtf8 (text, 128);
}

} // namespace crest::plugins
