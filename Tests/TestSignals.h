#pragma once

// Shared signal generators for Crest's tests: every test synthesises what it measures.

#include "analysis/TrackAnalyser.h"

#include <juce_audio_basics/juce_audio_basics.h>

#include <string>
#include <utility>
#include <vector>

namespace crest::test
{

using Buffer = juce::AudioBuffer<float>;

/** dB to linear amplitude. */
double dbToGain (double db);

/** A sine on every channel: peak level in dBFS, frequency in Hz, start phase in degrees. */
Buffer sine (double rate, int channels, double seconds, double frequency, double peakDbfs, double phaseDegrees = 0.0);

/** A 1 kHz stereo sine in segments of (seconds, peak dBFS), as the EBU test signals are built. */
Buffer toneSequence (double rate, const std::vector<std::pair<double, double>>& segments, int channels = 2);

/** Independent white noise on every channel with an RMS level in dBFS. */
Buffer whiteNoise (double rate, int channels, double seconds, double rmsDbfs, unsigned seed = 1);

/** Pink noise (Voss-McCartney-style filter bank) with an RMS level in dBFS. */
Buffer pinkNoise (double rate, int channels, double seconds, double rmsDbfs, unsigned seed = 2);

/** A music-like stereo programme (Crest's synthesised demo mix, which has drums, bass,
    chords and a lead, fades and dynamics). */
Buffer musicLike (double rate, double seconds);

/** A transient programme: drum-like hits of varying level separated by near-silence. */
Buffer transients (double rate, double seconds, unsigned seed = 3);

/** EBU Tech 3341 true-peak test signal 15..23 at a sample rate (stereo, 5 s). */
Buffer truePeakCase (int caseNumber, double rate);

/** Linear-phase low-pass (Kaiser windowed sinc) of every channel, delay compensated. */
Buffer lowPassed (const Buffer& input, double rate, double cutoffHz, int taps = 1023);

/** Runs a TrackAnalyser over a buffer (in blocks of `blockSize`), without touching the input. */
analysis::TrackAnalysis analyse (const Buffer& input, double rate, int blockSize = 4096);

/** Writes a buffer as WAV (bits 16, 24, or 32 for float) and returns the path. */
std::string writeWav (const std::string& path, const Buffer& buffer, double rate, int bits = 24);

/** Writes a buffer as FLAC (16 or 24 bits) and returns the path. */
std::string writeFlac (const std::string& path, const Buffer& buffer, double rate, int bits = 24);

/** A fresh temporary directory for a test's files (removed at exit). */
std::string tempDir();

/** Runs a shell command and returns (exit status, stdout). */
std::pair<int, std::string> run (const std::string& command);

/** True when a program is on the PATH. */
bool haveProgram (const std::string& name);

/** Quotes a path for the shell. */
std::string quote (const std::string& path);

/** Every regular file below `dir`, as paths relative to it, sorted. */
std::vector<std::string> filesUnder (const std::string& dir);

} // namespace crest::test
