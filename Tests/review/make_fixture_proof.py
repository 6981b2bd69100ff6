#!/usr/bin/python3
"""Builds a small proof folder that follows the review-page contract (Resources/review/README.md)
without `crest proof`: two tracks x two versions, synthesised by sox, encoded to MP3 320 by lame,
measured by ffmpeg's ebur128 filter (an independent meter), peaks taken from ffmpeg's decode.

    make_fixture_proof.py PAGE_HTML OUT_DIR [--mixes FILE...]

PAGE_HTML is Resources/review/index.html; OUT_DIR is replaced as a whole (built under a temporary
name, renamed when complete). The page test (ReviewPageTest.py) then runs on OUT_DIR. --mixes
takes real music instead of the synthesised tracks (any file ffmpeg reads, one track each), to
look at the page with real waveforms and album-length audio.
"""

import argparse
import array
import base64
import json
import os
import re
import shutil
import subprocess
import sys

RATE = 44100
PEAK_PAIRS = 800

ALBUM = {"title": "Fixture Album", "performer": "The Test Signals"}
TRACKS = [  # number, title, seconds, base frequency (Hz) of the synthesised bass line
    (1, "First Light", 14.0, 55.0),
    (2, "Undertow", 12.0, 73.42),
]
VERSIONS = [  # name, created, note, difference, sox effects that make this version's master
    ("v1 proof", "2026-12-01T10:15:00Z", "First proof for the client.", ["First version: no previous version to compare."],
     ["gain", "-n", "-4"]),
    ("v2 more low end", "2026-12-03T16:40:00Z", "After the client's notes: more low end, a little louder.",
     ["Low shelf on the master +4.0 dB at 120 Hz", "Limiter ceiling -4.0 -> -1.0 dBTP", "Both tracks: louder by about 2 dB"],
     ["bass", "+4", "120", "gain", "-n", "-1"]),
]


def run(args, **kwargs):
    """Runs a tool; a failure stops the fixture with the tool's own message."""
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    if result.returncode != 0:
        sys.exit("make_fixture_proof: %s failed (%d): %s" % (args[0], result.returncode, result.stderr.decode(errors="replace")[-800:]))
    return result


def safe_name(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def synthesise_mix(path, seconds, base):
    """A short 'mix' with movement a waveform can show: a pulsing bass line and chord, a noise hat
    in a different rhythm, a fade in and out."""
    bass = path + ".bass.wav"
    hat = path + ".hat.wav"
    run(["sox", "-n", "-r", str(RATE), "-b", "16", "-c", "2", bass, "synth", str(seconds),
         "sine", str(base), "sine", str(base * 2), "tremolo", "1.5", "90", "gain", "-8"])
    run(["sox", "-n", "-r", str(RATE), "-b", "16", "-c", "2", hat, "synth", str(seconds),
         "pinknoise", "highpass", "4000", "tremolo", "4", "100", "gain", "-18"])
    run(["sox", "-m", bass, hat, path, "synth", str(seconds), "sine", "amod", str(base * 3), "0.5", "0.5",
         "fade", "t", "0.5", str(seconds), "1.5"])
    os.remove(bass)
    os.remove(hat)


def convert_mix(path, source):
    """A real recording as the track's mix: 44.1 kHz stereo 16-bit; returns its length in seconds."""
    run(["ffmpeg", "-nostdin", "-v", "error", "-i", source, "-ar", str(RATE), "-ac", "2", "-c:a", "pcm_s16le", path])
    return int(run(["soxi", "-s", path]).stdout) / RATE


def decode_pcm(mp3):
    """Decoded interleaved stereo 16-bit samples of an MP3 (ffmpeg honours the LAME gapless tag)."""
    pcm = run(["ffmpeg", "-nostdin", "-v", "error", "-i", mp3, "-f", "s16le", "-ac", "2", "-ar", str(RATE), "-"]).stdout
    samples = array.array("h")
    samples.frombytes(pcm)
    if sys.byteorder != "little":
        samples.byteswap()
    return samples


def peaks_of(samples):
    frames = len(samples) // 2
    pairs = []
    for i in range(PEAK_PAIRS):
        a = (i * frames) // PEAK_PAIRS
        b = max(a + 1, ((i + 1) * frames) // PEAK_PAIRS)
        chunk = samples[2 * a:2 * b]
        pairs.append([round(min(chunk) / 32768.0, 4), round(max(chunk) / 32767.0, 4)])
    return pairs


def loudness_of(mp3):
    """Integrated loudness, LRA and true peak as ffmpeg's ebur128 filter reports them."""
    log = run(["ffmpeg", "-nostdin", "-nostats", "-i", mp3, "-af", "ebur128=peak=true", "-f", "null", "-"]).stderr.decode()
    summary = log[log.rindex("Summary:"):]

    def figure(pattern):
        return float(re.search(pattern, summary).group(1))

    return figure(r"I:\s+(-?[\d.]+) LUFS"), figure(r"LRA:\s+(-?[\d.]+) LU"), figure(r"Peak:\s+(-?[\d.]+) dBFS")


def main():
    parser = argparse.ArgumentParser(description="Builds a proof folder for the review page test.")
    parser.add_argument("page")
    parser.add_argument("out")
    parser.add_argument("--mixes", nargs="+", help="real recordings to use as the tracks")
    args = parser.parse_args()
    page, out = args.page, os.path.abspath(args.out)
    plan = TRACKS
    if args.mixes:
        plan = [(k + 1, re.sub(r"[_-]+", " ", os.path.splitext(os.path.basename(f))[0]).strip().title(), f, None)
                for k, f in enumerate(args.mixes)]
    if not os.path.isfile(page):
        sys.exit("make_fixture_proof: %s: the review page does not exist" % page)
    work = out + ".partial"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "audio"))
    os.makedirs(os.path.join(work, "mp3"))

    tracks = []
    for number, title, seconds, base in plan:
        mix = os.path.join(work, "mix-%02d.wav" % number)
        if base is None:
            seconds = convert_mix(mix, seconds)
        else:
            synthesise_mix(mix, seconds, base)
        entry = {"number": number, "id": "t%d" % (10 + number), "title": title, "durationSeconds": seconds, "versions": {}}
        for name, _, _, _, effects in VERSIONS:
            stem = "%02d-%s-%s" % (number, safe_name(title), safe_name(name))
            wav = os.path.join(work, stem + ".wav")
            run(["sox", mix, wav] + effects)
            mp3_rel = "mp3/%s.mp3" % stem
            mp3 = os.path.join(work, mp3_rel)
            run(["lame", "--silent", "-b", "320", "-q", "2", "--tt", "%s (%s)" % (title, name), "--ta", ALBUM["performer"],
                 "--tl", ALBUM["title"], "--tn", str(number), wav, mp3])
            os.remove(wav)
            samples = decode_pcm(mp3)
            decoded = len(samples) / 2 / RATE
            if abs(decoded - seconds) > 0.001:
                sys.exit("make_fixture_proof: %s decodes to %.4f s, not %.4f s (gapless tag?)" % (mp3, decoded, seconds))
            integrated, lra, true_peak = loudness_of(mp3)
            key = "%02d-%s" % (number, stem[3:])
            script_rel = "audio/%s.js" % key
            with open(mp3, "rb") as f:
                encoded = base64.b64encode(f.read()).decode("ascii")
            with open(os.path.join(work, script_rel), "w") as f:
                f.write("window.CREST_AUDIO = window.CREST_AUDIO || {};\n")
                f.write('window.CREST_AUDIO["%s"] = "%s";\n' % (key, encoded))
            entry["versions"][name] = {
                "mp3": mp3_rel, "audioScript": script_rel,
                "integratedLufs": integrated, "lraLu": lra, "truePeakDbtp": true_peak,
                "plrDb": round(true_peak - integrated, 1), "matchGainDb": 0.0,
                "peaks": peaks_of(samples),
            }
        os.remove(mix)
        # Loudness match: every version of the track is brought down to its quietest version.
        quietest = min(v["integratedLufs"] for v in entry["versions"].values())
        for v in entry["versions"].values():
            v["matchGainDb"] = round(quietest - v["integratedLufs"], 2)
        tracks.append(entry)

    data = {
        "format": "crest-review", "formatVersion": 1, "album": ALBUM,
        "versions": [{"name": n, "created": c, "note": note, "difference": d} for n, c, note, d, _ in VERSIONS],
        "tracks": tracks,
    }
    with open(os.path.join(work, "review-data.js"), "w") as f:
        f.write("window.CREST_REVIEW = %s;\n" % json.dumps(data, indent=1))
    shutil.copyfile(page, os.path.join(work, "index.html"))

    shutil.rmtree(out, ignore_errors=True)
    os.rename(work, out)
    for t in tracks:
        for name, v in t["versions"].items():
            print("track %d %-16s I %6.1f LUFS  LRA %4.1f LU  TP %5.1f dBTP  PLR %4.1f dB  match %+5.2f dB" % (
                t["number"], name, v["integratedLufs"], v["lraLu"], v["truePeakDbtp"], v["plrDb"], v["matchGainDb"]))
    print("proof folder: %s" % out)


if __name__ == "__main__":
    main()
