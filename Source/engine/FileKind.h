#pragma once

// Is a path a file whose contents can be read to their end? Sources come from users and from
// strangers' sessions and images, and a path can name something that only looks like a file.
//
// Design note: a FIFO (named pipe) with no writer blocks the open() forever; a device such as
// /dev/zero or /dev/urandom never ends, so "read the whole file" fills memory; a directory
// fails later with a vague message. Every reader of outside data (audio input, sessions, chain
// files, a DDP image's streams and checksums) asks fileKindProblem() first and refuses with a
// sentence instead of hanging. It follows symbolic links: a link to /dev/zero is a device.

#include <string>

namespace crest::engine
{

/** Empty when `path` is a regular file (or a link to one); otherwise why it cannot be read as
    one: "no such file", "it is a directory, not a file", "it is a FIFO (named pipe), not a
    file", "it is a device, not a file", "it is a socket, not a file". */
std::string fileKindProblem (const std::string& path);

} // namespace crest::engine
