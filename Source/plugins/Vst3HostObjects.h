#pragma once

// The host's side of the VST3 conversation: the small COM objects a plugin expects its host to
// hand it (the application context, messages with attribute lists, memory streams for state,
// parameter change queues, the component handler). Written for Crest from the interfaces'
// declarations in the VST3 SDK headers that Debian's JUCE ships; only Source/plugins includes
// this file.

#include <pluginterfaces/base/ibstream.h>
#include <pluginterfaces/base/ipluginbase.h>
#include <pluginterfaces/vst/ivstattributes.h>
#include <pluginterfaces/vst/ivstaudioprocessor.h>
#include <pluginterfaces/vst/ivstcomponent.h>
#include <pluginterfaces/vst/ivsteditcontroller.h>
#include <pluginterfaces/vst/ivsthostapplication.h>
#include <pluginterfaces/vst/ivstmessage.h>
#include <pluginterfaces/vst/ivstparameterchanges.h>
#include <pluginterfaces/vst/ivstprocesscontext.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace crest::plugins::vst3
{

/** True when two interface or class IDs are the same 16 bytes. */
inline bool sameId (const Steinberg::TUID a, const Steinberg::TUID b) noexcept
{
    return std::memcmp (a, b, sizeof (Steinberg::TUID)) == 0;
}

/** A class ID as 32 upper-case hex digits (the form Crest stores), and back. */
std::string idToString (const Steinberg::TUID id);
bool idFromString (const std::string& text, Steinberg::TUID id);

/** UTF-16 (String128 and the like) to UTF-8, and ASCII/UTF-8 to UTF-16. */
std::string toUtf8 (const Steinberg::Vst::TChar* text, size_t maxLength);
void toUtf16 (const std::string& text, Steinberg::Vst::TChar* out, size_t capacity);

/** Holds a reference to a COM object and releases it (like the SDK's IPtr, ours). */
template <class T>
class Ref
{
public:
    Ref() = default;
    /** Takes over a reference the caller owns (as returned by createInstance/queryInterface). */
    explicit Ref (T* owned) noexcept : object (owned) { }
    Ref (const Ref& other) noexcept : object (other.object)
    {
        if (object != nullptr)
            object->addRef();
    }
    Ref& operator= (Ref other) noexcept
    {
        std::swap (object, other.object);
        return *this;
    }
    ~Ref()
    {
        if (object != nullptr)
            object->release();
    }
    T* get() const noexcept { return object; }
    T* operator->() const noexcept { return object; }
    explicit operator bool() const noexcept { return object != nullptr; }

    /** Asks any object for interface I (nullptr when it has none). */
    template <class I>
    static Ref<I> query (Steinberg::FUnknown* from, const Steinberg::TUID iid)
    {
        void* out = nullptr;
        if (from != nullptr && from->queryInterface (iid, &out) == Steinberg::kResultOk && out != nullptr)
            return Ref<I> (static_cast<I*> (out));
        return {};
    }

private:
    T* object = nullptr;
};

/** The reference counting every host object shares. Objects start with one reference. */
class Counted
{
protected:
    virtual ~Counted() = default;
    Steinberg::uint32 addReference() noexcept { return ++references; }
    Steinberg::uint32 releaseReference() noexcept
    {
        const auto left = --references;
        if (left == 0)
            delete this;
        return left;
    }

private:
    std::atomic<Steinberg::uint32> references { 1 };
};

#define CREST_VST3_REFCOUNT                                                                                                      \
    Steinberg::uint32 PLUGIN_API addRef() override                                                                               \
    {                                                                                                                            \
        return addReference();                                                                                                   \
    }                                                                                                                            \
    Steinberg::uint32 PLUGIN_API release() override                                                                              \
    {                                                                                                                            \
        return releaseReference();                                                                                               \
    }

/** Named values attached to a message (what JUCE's plugins pass between their halves). */
class AttributeList final : public Steinberg::Vst::IAttributeList, private Counted
{
public:
    CREST_VST3_REFCOUNT
    Steinberg::tresult PLUGIN_API queryInterface (const Steinberg::TUID wanted, void** out) override;
    Steinberg::tresult PLUGIN_API setInt (AttrID id, Steinberg::int64 value) override;
    Steinberg::tresult PLUGIN_API getInt (AttrID id, Steinberg::int64& value) override;
    Steinberg::tresult PLUGIN_API setFloat (AttrID id, double value) override;
    Steinberg::tresult PLUGIN_API getFloat (AttrID id, double& value) override;
    Steinberg::tresult PLUGIN_API setString (AttrID id, const Steinberg::Vst::TChar* string) override;
    Steinberg::tresult PLUGIN_API getString (AttrID id, Steinberg::Vst::TChar* string, Steinberg::uint32 sizeInBytes) override;
    Steinberg::tresult PLUGIN_API setBinary (AttrID id, const void* data, Steinberg::uint32 sizeInBytes) override;
    Steinberg::tresult PLUGIN_API getBinary (AttrID id, const void*& data, Steinberg::uint32& sizeInBytes) override;

private:
    std::map<std::string, Steinberg::int64> ints;
    std::map<std::string, double> floats;
    std::map<std::string, std::u16string> strings;
    std::map<std::string, std::vector<char>> binaries;
};

/** A message between a plugin's processor and controller. */
class Message final : public Steinberg::Vst::IMessage, private Counted
{
public:
    CREST_VST3_REFCOUNT
    Message();
    Steinberg::tresult PLUGIN_API queryInterface (const Steinberg::TUID wanted, void** out) override;
    Steinberg::FIDString PLUGIN_API getMessageID() override { return messageId.c_str(); }
    void PLUGIN_API setMessageID (Steinberg::FIDString id) override { messageId = id != nullptr ? id : ""; }
    Steinberg::Vst::IAttributeList* PLUGIN_API getAttributes() override { return attributes.get(); }

private:
    ~Message() override = default;
    std::string messageId;
    Ref<AttributeList> attributes;
};

/** The context handed to IPluginBase::initialize: Crest's name, and messages on request. */
class HostApplication final : public Steinberg::Vst::IHostApplication, private Counted
{
public:
    CREST_VST3_REFCOUNT
    Steinberg::tresult PLUGIN_API queryInterface (const Steinberg::TUID wanted, void** out) override;
    Steinberg::tresult PLUGIN_API getName (Steinberg::Vst::String128 name) override;
    Steinberg::tresult PLUGIN_API createInstance (Steinberg::TUID cid, Steinberg::TUID wanted, void** out) override;

    /** The one context of this process (never freed: plugins may keep it). */
    static HostApplication* shared();
};

/** A growable byte stream in memory, for a plugin's getState/setState. */
class MemoryStream final : public Steinberg::IBStream, public Steinberg::ISizeableStream, private Counted
{
public:
    CREST_VST3_REFCOUNT
    MemoryStream() = default;
    explicit MemoryStream (std::string bytes) : data (std::move (bytes)) { }
    Steinberg::tresult PLUGIN_API queryInterface (const Steinberg::TUID wanted, void** out) override;
    Steinberg::tresult PLUGIN_API read (void* buffer, Steinberg::int32 numBytes, Steinberg::int32* numBytesRead) override;
    Steinberg::tresult PLUGIN_API write (void* buffer, Steinberg::int32 numBytes, Steinberg::int32* numBytesWritten) override;
    Steinberg::tresult PLUGIN_API seek (Steinberg::int64 pos, Steinberg::int32 mode, Steinberg::int64* result) override;
    Steinberg::tresult PLUGIN_API tell (Steinberg::int64* pos) override;
    Steinberg::tresult PLUGIN_API getStreamSize (Steinberg::int64& size) override;
    Steinberg::tresult PLUGIN_API setStreamSize (Steinberg::int64 size) override;

    /** Everything written. */
    const std::string& bytes() const noexcept { return data; }

private:
    std::string data;
    size_t position = 0;
};

/** The changes of one parameter within a block: a fixed number of points, no allocation. */
class ParameterQueue final : public Steinberg::Vst::IParamValueQueue
{
public:
    static constexpr int capacity = 16;
    Steinberg::tresult PLUGIN_API queryInterface (const Steinberg::TUID wanted, void** out) override;
    Steinberg::uint32 PLUGIN_API addRef() override { return 1; } // owned by its ParameterChanges
    Steinberg::uint32 PLUGIN_API release() override { return 1; }
    Steinberg::Vst::ParamID PLUGIN_API getParameterId() override { return id; }
    Steinberg::int32 PLUGIN_API getPointCount() override { return count; }
    Steinberg::tresult PLUGIN_API getPoint (
        Steinberg::int32 index, Steinberg::int32& offset, Steinberg::Vst::ParamValue& value) override;
    Steinberg::tresult PLUGIN_API addPoint (
        Steinberg::int32 offset, Steinberg::Vst::ParamValue value, Steinberg::int32& index) override;

    Steinberg::Vst::ParamID id = 0;
    Steinberg::int32 count = 0;
    Steinberg::int32 offsets[capacity] {};
    Steinberg::Vst::ParamValue values[capacity] {};
};

/** The parameter changes of one block, with room for every parameter made once (prepare), so
    that the audio thread fills and clears it without allocating. */
class ParameterChanges final : public Steinberg::Vst::IParameterChanges
{
public:
    /** Room for `parameters` queues. Not realtime-safe. */
    void reserve (size_t parameters)
    {
        queues.resize (std::max<size_t> (parameters, 1));
        used = 0;
    }
    /** Empties it for the next block. Realtime-safe. */
    void clear() noexcept { used = 0; }
    /** Adds one value at a sample offset (the host's side). Realtime-safe; false when full. */
    bool add (Steinberg::Vst::ParamID id, Steinberg::int32 offset, double value) noexcept;

    Steinberg::tresult PLUGIN_API queryInterface (const Steinberg::TUID wanted, void** out) override;
    Steinberg::uint32 PLUGIN_API addRef() override { return 1; } // owned by the module
    Steinberg::uint32 PLUGIN_API release() override { return 1; }
    Steinberg::int32 PLUGIN_API getParameterCount() override { return (Steinberg::int32) used; }
    Steinberg::Vst::IParamValueQueue* PLUGIN_API getParameterData (Steinberg::int32 index) override;
    Steinberg::Vst::IParamValueQueue* PLUGIN_API addParameterData (
        const Steinberg::Vst::ParamID& id, Steinberg::int32& index) override;

private:
    std::vector<ParameterQueue> queues;
    size_t used = 0;
};

/** What a plugin's controller tells its host: edits from its editor, restarts. The module
    gives the callbacks; they run on the thread the plugin calls from (its editor's). */
class ComponentHandler final : public Steinberg::Vst::IComponentHandler, private Counted
{
public:
    CREST_VST3_REFCOUNT
    std::function<void (Steinberg::Vst::ParamID, double)> onEdit;
    std::function<void (Steinberg::int32)> onRestart;

    Steinberg::tresult PLUGIN_API queryInterface (const Steinberg::TUID wanted, void** out) override;
    Steinberg::tresult PLUGIN_API beginEdit (Steinberg::Vst::ParamID) override { return Steinberg::kResultOk; }
    Steinberg::tresult PLUGIN_API performEdit (Steinberg::Vst::ParamID id, Steinberg::Vst::ParamValue value) override;
    Steinberg::tresult PLUGIN_API endEdit (Steinberg::Vst::ParamID) override { return Steinberg::kResultOk; }
    Steinberg::tresult PLUGIN_API restartComponent (Steinberg::int32 flags) override;
};

} // namespace crest::plugins::vst3
