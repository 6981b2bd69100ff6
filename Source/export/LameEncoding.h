#pragma once

// What the MP3 writer and the Apple Digital Masters codec check share of LAME: the encoder's
// lifetime and the loop that pulls a stream through it. Each sets its own encoding options
// (bit rate, VBR, info tag) and decides where the encoded bytes go (a file, or a decoder).

#include "engine/AudioStream.h"

#include <lame/lame.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace crest::delivery
{

/** Closes a LAME encoder. */
struct LameDeleter
{
    void operator() (lame_global_flags* f) const noexcept { lame_close (f); }
};

/** A LAME encoder that closes itself. */
using LameEncoder = std::unique_ptr<lame_global_flags, LameDeleter>;

/** Receives each chunk LAME produces (possibly empty); returns an empty string, or why it failed. */
using LameSink = std::function<std::string (unsigned char* bytes, size_t numBytes)>; // mutable: hip_decode takes it so

/** Pulls `source` (1 or 2 channels; mono is encoded as dual mono) to its end through an
    initialised encoder, then flushes it, handing every chunk to `sink`. Returns the samples
    encoded per channel, or nothing with `error` set: "cancelled" when `cancel` became true,
    a read failure, an encoder failure, or the sink's reason. */
std::optional<int64_t> encodeWithLame (lame_global_flags& lame, engine::AudioStream& source, const LameSink& sink,
                                       std::string& error, const std::atomic<bool>* cancel);

} // namespace crest::delivery
