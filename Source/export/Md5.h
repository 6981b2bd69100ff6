#pragma once

// MD5 digests (RFC 1321) for the checksum files that travel with deliverables.
//
// Design note: MD5 is not used here for security, only to let a replication plant or a
// client prove that the files they received are the files Crest wrote (`md5sum -c`).
// JUCE's MD5 lives in juce_cryptography, which Crest does not build, so this is a small,
// streaming implementation of the RFC: feed bytes in any block sizes, then ask for the hex.

#include <cstddef>
#include <cstdint>
#include <string>

namespace crest::delivery
{

/** A running MD5 computation. */
class Md5
{
public:
    Md5();

    /** Adds bytes to the message. */
    void add (const void* data, size_t numBytes);

    /** Finishes the message and returns the digest as 32 lowercase hex digits. The object is
        spent afterwards (call reset() to reuse it). */
    std::string hex();

    /** Starts a new message. */
    void reset();

    /** The digest of a whole file as hex, or an empty string (with `error` set) when it
        cannot be read. Memory does not depend on the file's size. */
    static std::string ofFile (const std::string& path, std::string& error);

private:
    void processBlock (const uint8_t* block);

    uint32_t state[4];
    uint64_t totalBytes = 0;
    uint8_t pending[64];
    size_t pendingBytes = 0;
};

} // namespace crest::delivery
