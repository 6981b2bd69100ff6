#include "export/LameEncoding.h"

#include <algorithm>
#include <vector>

namespace crest::delivery
{

std::optional<int64_t> encodeWithLame (lame_global_flags& lame, engine::AudioStream& source, const LameSink& sink,
                                       std::string& error, const std::atomic<bool>* cancel)
{
    constexpr int block = 4096;
    std::vector<float> left (block), right (block);
    float* pointers[2] = { left.data(), right.data() };
    // LAME's documented worst case for a buffer of n samples: 1.25 n + 7200 bytes.
    std::vector<unsigned char> encoded ((size_t) (block * 5 / 4 + 7200));
    int64_t samples = 0;

    for (;;)
    {
        if (cancel != nullptr && cancel->load())
        {
            error = "cancelled";
            return std::nullopt;
        }
        const int n = source.read (pointers, block);
        if (n < 0)
        {
            error = std::string ("reading the audio failed: ") + source.error();
            return std::nullopt;
        }

        int bytes = 0;
        if (n > 0)
        {
            if (source.numChannels() == 1)
                std::copy (left.begin(), left.begin() + n, right.begin());
            samples += n;
            bytes = lame_encode_buffer_ieee_float (&lame, left.data(), right.data(), n, encoded.data(), (int) encoded.size());
        }
        else
        {
            bytes = lame_encode_flush (&lame, encoded.data(), (int) encoded.size());
        }
        if (bytes < 0)
        {
            error = std::string (n > 0 ? "the MP3 encoder failed" : "the MP3 encoder failed to flush") + " (code "
                + std::to_string (bytes) + ")";
            return std::nullopt;
        }
        if (auto why = sink (encoded.data(), (size_t) bytes); ! why.empty())
        {
            error = std::move (why);
            return std::nullopt;
        }
        if (n == 0)
            return samples;
    }
}

} // namespace crest::delivery
