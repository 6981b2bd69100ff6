#include "plugins/Vst3HostObjects.h"

#include <algorithm>
#include <cstdio>

using namespace Steinberg;

namespace crest::plugins::vst3
{

namespace
{
    /** Hands out `self` as interface `iid` when it is one of the IDs given. */
    template <class Object>
    tresult answer (Object* self, void* asInterface, bool matches, void** out)
    {
        if (! matches)
        {
            *out = nullptr;
            return kNoInterface;
        }
        self->addRef();
        *out = asInterface;
        return kResultOk;
    }
} // namespace

std::string idToString (const TUID id)
{
    std::string s;
    char digits[3];
    for (int i = 0; i < 16; ++i)
    {
        std::snprintf (digits, sizeof (digits), "%02X", (unsigned) (uint8) id[i]);
        s += digits;
    }
    return s;
}

bool idFromString (const std::string& text, TUID id)
{
    if (text.size() != 32)
        return false;
    for (int i = 0; i < 16; ++i)
    {
        unsigned value = 0;
        if (std::sscanf (text.c_str() + 2 * i, "%2x", &value) != 1)
            return false;
        id[i] = (int8) value;
    }
    return true;
}

std::string toUtf8 (const Vst::TChar* text, size_t maxLength)
{
    std::string out;
    for (size_t i = 0; i < maxLength && text[i] != 0; ++i)
    {
        uint32 c = (uint16) text[i];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < maxLength && (uint16) text[i + 1] >= 0xDC00 && (uint16) text[i + 1] < 0xE000)
            c = 0x10000 + ((c - 0xD800) << 10) + ((uint16) text[++i] - 0xDC00);
        if (c < 0x80)
            out += (char) c;
        else if (c < 0x800)
        {
            out += (char) (0xC0 | (c >> 6));
            out += (char) (0x80 | (c & 0x3F));
        }
        else if (c < 0x10000)
        {
            out += (char) (0xE0 | (c >> 12));
            out += (char) (0x80 | ((c >> 6) & 0x3F));
            out += (char) (0x80 | (c & 0x3F));
        }
        else
        {
            out += (char) (0xF0 | (c >> 18));
            out += (char) (0x80 | ((c >> 12) & 0x3F));
            out += (char) (0x80 | ((c >> 6) & 0x3F));
            out += (char) (0x80 | (c & 0x3F));
        }
    }
    return out;
}

void toUtf16 (const std::string& text, Vst::TChar* out, size_t capacity)
{
    // Host strings are ASCII ("Crest"); anything else is passed byte by byte.
    size_t n = 0;
    for (; n + 1 < capacity && n < text.size(); ++n)
        out[n] = (Vst::TChar) (unsigned char) text[n];
    if (capacity > 0)
        out[n] = 0;
}

// ---------------------------------------------------------------------------------------------

tresult PLUGIN_API AttributeList::queryInterface (const TUID wanted, void** out)
{
    return answer (this, static_cast<Vst::IAttributeList*> (this),
        sameId (wanted, FUnknown_iid) || sameId (wanted, Vst::IAttributeList_iid), out);
}

tresult PLUGIN_API AttributeList::setInt (AttrID id, int64 value)
{
    if (id == nullptr)
        return kInvalidArgument;
    ints[id] = value;
    return kResultOk;
}

tresult PLUGIN_API AttributeList::getInt (AttrID id, int64& value)
{
    const auto found = id != nullptr ? ints.find (id) : ints.end();
    if (found == ints.end())
        return kResultFalse;
    value = found->second;
    return kResultOk;
}

tresult PLUGIN_API AttributeList::setFloat (AttrID id, double value)
{
    if (id == nullptr)
        return kInvalidArgument;
    floats[id] = value;
    return kResultOk;
}

tresult PLUGIN_API AttributeList::getFloat (AttrID id, double& value)
{
    const auto found = id != nullptr ? floats.find (id) : floats.end();
    if (found == floats.end())
        return kResultFalse;
    value = found->second;
    return kResultOk;
}

tresult PLUGIN_API AttributeList::setString (AttrID id, const Vst::TChar* string)
{
    if (id == nullptr || string == nullptr)
        return kInvalidArgument;
    std::u16string s;
    for (size_t i = 0; string[i] != 0; ++i)
        s += (char16_t) string[i];
    strings[id] = s;
    return kResultOk;
}

tresult PLUGIN_API AttributeList::getString (AttrID id, Vst::TChar* string, uint32 sizeInBytes)
{
    const auto found = id != nullptr ? strings.find (id) : strings.end();
    if (found == strings.end() || string == nullptr || sizeInBytes < sizeof (Vst::TChar))
        return kResultFalse;
    const size_t room = sizeInBytes / sizeof (Vst::TChar) - 1;
    const size_t n = std::min (room, found->second.size());
    for (size_t i = 0; i < n; ++i)
        string[i] = (Vst::TChar) found->second[i];
    string[n] = 0;
    return kResultOk;
}

tresult PLUGIN_API AttributeList::setBinary (AttrID id, const void* data, uint32 sizeInBytes)
{
    if (id == nullptr || (data == nullptr && sizeInBytes > 0))
        return kInvalidArgument;
    const auto* bytes = static_cast<const char*> (data);
    binaries[id] = std::vector<char> (bytes, bytes + sizeInBytes);
    return kResultOk;
}

tresult PLUGIN_API AttributeList::getBinary (AttrID id, const void*& data, uint32& sizeInBytes)
{
    const auto found = id != nullptr ? binaries.find (id) : binaries.end();
    if (found == binaries.end())
        return kResultFalse;
    data = found->second.data();
    sizeInBytes = (uint32) found->second.size();
    return kResultOk;
}

// ---------------------------------------------------------------------------------------------

Message::Message() : attributes (new AttributeList()) { }

tresult PLUGIN_API Message::queryInterface (const TUID wanted, void** out)
{
    return answer (
        this, static_cast<Vst::IMessage*> (this), sameId (wanted, FUnknown_iid) || sameId (wanted, Vst::IMessage_iid), out);
}

// ---------------------------------------------------------------------------------------------

tresult PLUGIN_API HostApplication::queryInterface (const TUID wanted, void** out)
{
    return answer (this, static_cast<Vst::IHostApplication*> (this),
        sameId (wanted, FUnknown_iid) || sameId (wanted, Vst::IHostApplication_iid), out);
}

tresult PLUGIN_API HostApplication::getName (Vst::String128 name)
{
    toUtf16 ("Crest", name, 128);
    return kResultOk;
}

tresult PLUGIN_API HostApplication::createInstance (TUID cid, TUID wanted, void** out)
{
    if (out == nullptr)
        return kInvalidArgument;
    *out = nullptr;
    if (sameId (cid, Vst::IMessage_iid) && sameId (wanted, Vst::IMessage_iid))
    {
        *out = static_cast<Vst::IMessage*> (new Message());
        return kResultOk;
    }
    if (sameId (cid, Vst::IAttributeList_iid) && sameId (wanted, Vst::IAttributeList_iid))
    {
        *out = static_cast<Vst::IAttributeList*> (new AttributeList());
        return kResultOk;
    }
    return kNoInterface;
}

HostApplication* HostApplication::shared()
{
    static auto* host = new HostApplication();
    return host;
}

// ---------------------------------------------------------------------------------------------

tresult PLUGIN_API MemoryStream::queryInterface (const TUID wanted, void** out)
{
    if (sameId (wanted, ISizeableStream_iid))
        return answer (this, static_cast<ISizeableStream*> (this), true, out);
    return answer (this, static_cast<IBStream*> (this), sameId (wanted, FUnknown_iid) || sameId (wanted, IBStream_iid), out);
}

tresult PLUGIN_API MemoryStream::read (void* buffer, int32 numBytes, int32* numBytesRead)
{
    if (numBytes < 0 || (buffer == nullptr && numBytes > 0))
        return kInvalidArgument;
    const size_t n = std::min ((size_t) numBytes, position < data.size() ? data.size() - position : 0);
    if (n > 0)
        std::memcpy (buffer, data.data() + position, n);
    position += n;
    if (numBytesRead != nullptr)
        *numBytesRead = (int32) n;
    return kResultOk;
}

tresult PLUGIN_API MemoryStream::write (void* buffer, int32 numBytes, int32* numBytesWritten)
{
    if (numBytes < 0 || (buffer == nullptr && numBytes > 0))
        return kInvalidArgument;
    if (position + (size_t) numBytes > data.size())
        data.resize (position + (size_t) numBytes);
    if (numBytes > 0)
        std::memcpy (&data[position], buffer, (size_t) numBytes);
    position += (size_t) numBytes;
    if (numBytesWritten != nullptr)
        *numBytesWritten = numBytes;
    return kResultOk;
}

tresult PLUGIN_API MemoryStream::seek (int64 pos, int32 mode, int64* result)
{
    int64 base = 0;
    if (mode == kIBSeekCur)
        base = (int64) position;
    else if (mode == kIBSeekEnd)
        base = (int64) data.size();
    else if (mode != kIBSeekSet)
        return kInvalidArgument;
    const int64 target = base + pos;
    if (target < 0)
        return kInvalidArgument;
    position = (size_t) target;
    if (result != nullptr)
        *result = target;
    return kResultOk;
}

tresult PLUGIN_API MemoryStream::tell (int64* pos)
{
    if (pos == nullptr)
        return kInvalidArgument;
    *pos = (int64) position;
    return kResultOk;
}

tresult PLUGIN_API MemoryStream::getStreamSize (int64& size)
{
    size = (int64) data.size();
    return kResultOk;
}

tresult PLUGIN_API MemoryStream::setStreamSize (int64 size)
{
    if (size < 0)
        return kInvalidArgument;
    data.resize ((size_t) size);
    position = std::min (position, data.size());
    return kResultOk;
}

// ---------------------------------------------------------------------------------------------

tresult PLUGIN_API ParameterQueue::queryInterface (const TUID wanted, void** out)
{
    return answer (this, static_cast<Vst::IParamValueQueue*> (this),
        sameId (wanted, FUnknown_iid) || sameId (wanted, Vst::IParamValueQueue_iid), out);
}

tresult PLUGIN_API ParameterQueue::getPoint (int32 index, int32& offset, Vst::ParamValue& value)
{
    if (index < 0 || index >= count)
        return kInvalidArgument;
    offset = offsets[index];
    value = values[index];
    return kResultOk;
}

tresult PLUGIN_API ParameterQueue::addPoint (int32 offset, Vst::ParamValue value, int32& index)
{
    // Points stay in time order; a point at the same offset replaces the earlier one.
    if (count > 0 && offsets[count - 1] == offset)
    {
        values[count - 1] = value;
        index = count - 1;
        return kResultOk;
    }
    if (count >= capacity || (count > 0 && offsets[count - 1] > offset))
        return kResultFalse;
    offsets[count] = offset;
    values[count] = value;
    index = count++;
    return kResultOk;
}

tresult PLUGIN_API ParameterChanges::queryInterface (const TUID wanted, void** out)
{
    return answer (this, static_cast<Vst::IParameterChanges*> (this),
        sameId (wanted, FUnknown_iid) || sameId (wanted, Vst::IParameterChanges_iid), out);
}

Vst::IParamValueQueue* PLUGIN_API ParameterChanges::getParameterData (int32 index)
{
    return index >= 0 && (size_t) index < used ? &queues[(size_t) index] : nullptr;
}

Vst::IParamValueQueue* PLUGIN_API ParameterChanges::addParameterData (const Vst::ParamID& id, int32& index)
{
    for (size_t i = 0; i < used; ++i)
        if (queues[i].id == id)
        {
            index = (int32) i;
            return &queues[i];
        }
    if (used >= queues.size())
        return nullptr; // full: the change is dropped rather than allocated for
    auto& q = queues[used];
    q.id = id;
    q.count = 0;
    index = (int32) used++;
    return &q;
}

bool ParameterChanges::add (Vst::ParamID id, int32 offset, double value) noexcept
{
    int32 index = 0, point = 0;
    auto* q = addParameterData (id, index);
    return q != nullptr && q->addPoint (offset, value, point) == kResultOk;
}

// ---------------------------------------------------------------------------------------------

tresult PLUGIN_API ComponentHandler::queryInterface (const TUID wanted, void** out)
{
    return answer (this, static_cast<Vst::IComponentHandler*> (this),
        sameId (wanted, FUnknown_iid) || sameId (wanted, Vst::IComponentHandler_iid), out);
}

tresult PLUGIN_API ComponentHandler::performEdit (Vst::ParamID id, Vst::ParamValue value)
{
    if (onEdit)
        onEdit (id, value);
    return kResultOk;
}

tresult PLUGIN_API ComponentHandler::restartComponent (int32 flags)
{
    if (onRestart)
        onRestart (flags);
    return kResultOk;
}

} // namespace crest::plugins::vst3
