// libFuzzer target: DDP images (delivery::verifyDdpImage and DdpAudio), as `crest ddp verify`
// and `crest ddp extract` read a replication plant's or a stranger's image. The input packs
// the image's files (see FuzzInput.h); they are written into a fresh folder each run.

#include "FuzzInput.h"
#include "export/DdpReader.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput (const uint8_t* data, size_t size)
{
    using namespace crest;
    namespace fs = std::filesystem;
    const auto dir = fuzz::scratchFolder() + "/image";
    std::error_code ec;
    fs::remove_all (dir, ec);
    fs::create_directories (dir, ec);
    for (const auto& [name, bytes] : fuzz::unpackFiles (data, size))
        if (! name.empty() && name.find ('/') == std::string::npos && name != "." && name != "..")
            fuzz::writeFile (dir + "/" + name, (const uint8_t*) bytes.data(), bytes.size());

    std::optional<delivery::DdpImage> image;
    delivery::verifyDdpImage (dir, image);
    if (image && ! image->layout.tracks.empty())
    {
        // Extract's reads: each track's first frames.
        std::vector<float> left (588 * 4), right (588 * 4);
        float* channels[] = { left.data(), right.data() };
        for (const auto& t : image->layout.tracks)
        {
            delivery::DdpAudio audio (*image, t.startFrame, std::min (t.endFrame, t.startFrame + 4));
            while (audio.read (channels, 588) > 0)
            {
            }
        }
    }
    return 0;
}
