#include "export/Md5.h"

#include "engine/FileKind.h"

#include <cstring>
#include <utility>
#include <fstream>
#include <vector>

namespace crest::delivery
{

namespace
{
    // Per-step left rotations and the sine-derived constants of RFC 1321, section 3.4.
    constexpr uint32_t shifts[64] = { 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                      5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                      4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                      6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21 };

    constexpr uint32_t sines[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391
    };

    constexpr uint32_t rotateLeft (uint32_t x, uint32_t n) { return (x << n) | (x >> (32 - n)); }
} // namespace

Md5::Md5() { reset(); }

void Md5::reset()
{
    state[0] = 0x67452301;
    state[1] = 0xefcdab89;
    state[2] = 0x98badcfe;
    state[3] = 0x10325476;
    totalBytes = 0;
    pendingBytes = 0;
}

namespace
{
    /** One of the 64 steps, with the round's function and message word fixed at compile
        time: the plain loop (a branch per step, table-driven rotations) hashed at half the
        speed, and an export hashes every file it writes. */
    template <int i>
    inline void step (uint32_t& a, uint32_t b, uint32_t c, uint32_t d, const uint32_t* m) noexcept
    {
        uint32_t f;
        int g;
        if constexpr (i < 16)
        {
            f = d ^ (b & (c ^ d)); // (b & c) | (~b & d)
            g = i;
        }
        else if constexpr (i < 32)
        {
            f = c ^ (d & (b ^ c)); // (d & b) | (~d & c)
            g = (5 * i + 1) % 16;
        }
        else if constexpr (i < 48)
        {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        }
        else
        {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        a = b + rotateLeft (a + f + sines[i] + m[g], shifts[i]);
    }

    /** Four steps: the registers' roles turn by one each step instead of being moved. */
    template <int i>
    inline void fourSteps (uint32_t& a, uint32_t& b, uint32_t& c, uint32_t& d, const uint32_t* m) noexcept
    {
        step<i> (a, b, c, d, m);
        step<i + 1> (d, a, b, c, m);
        step<i + 2> (c, d, a, b, m);
        step<i + 3> (b, c, d, a, m);
    }

    template <size_t... q>
    inline void allSteps (uint32_t& a, uint32_t& b, uint32_t& c, uint32_t& d, const uint32_t* m,
        std::index_sequence<q...>) noexcept
    {
        (fourSteps<(int) (4 * q)> (a, b, c, d, m), ...);
    }
} // namespace

void Md5::processBlock (const uint8_t* block)
{
    uint32_t m[16];
    for (int i = 0; i < 16; ++i) // the message words are little-endian
        m[i] = (uint32_t) block[i * 4] | ((uint32_t) block[i * 4 + 1] << 8) | ((uint32_t) block[i * 4 + 2] << 16)
               | ((uint32_t) block[i * 4 + 3] << 24);

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    allSteps (a, b, c, d, m, std::make_index_sequence<16>());
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

void Md5::add (const void* data, size_t numBytes)
{
    auto* bytes = static_cast<const uint8_t*> (data);
    totalBytes += numBytes;
    while (numBytes > 0)
    {
        if (pendingBytes == 0 && numBytes >= sizeof (pending))
        {
            processBlock (bytes); // whole blocks straight from the caller's buffer
            bytes += sizeof (pending);
            numBytes -= sizeof (pending);
            continue;
        }
        const size_t take = std::min (numBytes, sizeof (pending) - pendingBytes);
        std::memcpy (pending + pendingBytes, bytes, take);
        pendingBytes += take;
        bytes += take;
        numBytes -= take;
        if (pendingBytes == sizeof (pending))
        {
            processBlock (pending);
            pendingBytes = 0;
        }
    }
}

std::string Md5::hex()
{
    // Padding: a 1 bit, zeros to 56 mod 64 bytes, then the message length in bits (little-endian).
    const uint64_t bitLength = totalBytes * 8;
    const uint8_t one = 0x80, zero = 0;
    add (&one, 1);
    while (pendingBytes != 56)
        add (&zero, 1);
    uint8_t length[8];
    for (int i = 0; i < 8; ++i)
        length[i] = (uint8_t) (bitLength >> (8 * i));
    add (length, 8);

    static const char* digits = "0123456789abcdef";
    std::string out;
    for (auto word : state)
        for (int i = 0; i < 4; ++i)
        {
            const auto byte = (uint8_t) (word >> (8 * i));
            out += digits[byte >> 4];
            out += digits[byte & 15];
        }
    return out;
}

std::string Md5::ofFile (const std::string& path, std::string& error)
{
    if (const auto problem = engine::fileKindProblem (path); ! problem.empty() && problem != "no such file")
    {
        error = problem; // a FIFO would block and a device never end
        return {};
    }
    std::ifstream in (path, std::ios::binary);
    if (! in)
    {
        error = "cannot be opened for reading";
        return {};
    }
    Md5 md5;
    std::vector<char> buffer (1 << 16);
    while (in)
    {
        in.read (buffer.data(), (std::streamsize) buffer.size());
        md5.add (buffer.data(), (size_t) in.gcount());
    }
    if (in.bad())
    {
        error = "a read failed";
        return {};
    }
    return md5.hex();
}

} // namespace crest::delivery
