#!/usr/bin/python3
"""The client review page in a real browser: Debian's chromium, headless, driven by selenium.

    ReviewPageTest.py PROOF_DIR [--out DIR]

PROOF_DIR is a folder written by `crest proof` (or by make_fixture_proof.py); it is first checked
against the contract (Resources/review/README.md). Then the page is opened from disk and must:
load with no console error or warning; decode every track's audio of every version to the
track's duration (within 0.05 s); play in order (the next track follows on its own); set the
heard version's Web Audio gain to 10^(matchGainDb/20) on a version switch while keeping the
position; and save, on "Send notes", a notes.json holding a point note and a range note at the
times, tracks and versions they were taken at. Screenshots (1280x720, 1920x1080, phone) go to
--out (default PROOF_DIR/../review-screenshots) for a person to look at. Exit 0 = pass.
"""

import argparse
import glob
import json
import os
import re
import shutil
import sys
import tempfile
import time
from urllib.parse import unquote

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.common.action_chains import ActionChains
except ImportError:
    sys.exit("ReviewPageTest: python3-selenium is missing (Installers/install-deps.sh installs it); run with /usr/bin/python3")

DURATION_TOLERANCE = 0.05   # s, decoded duration against durationSeconds
GAIN_TOLERANCE = 1e-3       # linear, the heard version's gain against 10^(matchGainDb/20)
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)
    return ok


def wait_for(predicate, seconds, what):
    end = time.time() + seconds
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    check(False, "timed out after %g s waiting for %s" % (seconds, what))
    return None


# ---- the proof folder against the contract ----

def read_assignment(path, name):
    """The JSON value of a `window.NAME = VALUE;` file."""
    text = open(path, encoding="utf-8").read()
    match = re.match(r"\s*window\.%s\s*=\s*(.*?);?\s*$" % re.escape(name), text, re.S)
    if not match:
        raise ValueError("%s does not start with window.%s =" % (path, name))
    return json.loads(match.group(1))


def number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_contract(proof):
    data = read_assignment(os.path.join(proof, "review-data.js"), "CREST_REVIEW")
    check(data.get("format") == "crest-review" and data.get("formatVersion") == 1, "review-data.js: format crest-review, formatVersion 1")
    album = data.get("album", {})
    check(isinstance(album.get("title"), str) and isinstance(album.get("performer"), str), "review-data.js: album title and performer")
    names = []
    for v in data.get("versions", []):
        ok = isinstance(v.get("name"), str) and isinstance(v.get("note"), str) and isinstance(v.get("difference"), list) \
            and all(isinstance(line, str) for line in v["difference"]) and isinstance(v.get("created"), str) \
            and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d", v["created"]) is not None
        check(ok, "review-data.js: version %r has name, ISO-8601 created, note, difference lines" % v.get("name"))
        names.append(v.get("name"))
    check(len(names) >= 1 and len(set(names)) == len(names), "review-data.js: %d versions, names unique" % len(names))
    tracks = data.get("tracks", [])
    check(len(tracks) >= 1, "review-data.js: %d tracks" % len(tracks))
    for t in tracks:
        label = "track %s" % t.get("number")
        check(isinstance(t.get("number"), int) and isinstance(t.get("id"), str) and t["id"] and isinstance(t.get("title"), str)
              and number(t.get("durationSeconds")) and t["durationSeconds"] > 0, "%s: number, id, title, durationSeconds" % label)
        check(len(t.get("versions", {})) >= 1 and all(n in names for n in t.get("versions", {})),
              "%s: its versions (%s) are listed in versions" % (label, ", ".join(t.get("versions", {}))))
        for name, v in t.get("versions", {}).items():
            what = "%s %s" % (label, name)
            check(all(number(v.get(k)) for k in ("integratedLufs", "lraLu", "truePeakDbtp", "plrDb", "matchGainDb")),
                  "%s: the figures are numbers" % what)
            check(isinstance(v.get("mp3"), str) and os.path.isfile(os.path.join(proof, v["mp3"])), "%s: mp3 %s exists" % (what, v.get("mp3")))
            script = v.get("audioScript", "")
            key = os.path.splitext(os.path.basename(script))[0]
            check(re.match(r"^audio/\d\d-[^/]+\.js$", script) is not None and os.path.isfile(os.path.join(proof, script)),
                  "%s: audioScript %s exists and is audio/NN-<safe>.js" % (what, script))
            if os.path.isfile(os.path.join(proof, script)):
                head = open(os.path.join(proof, script), encoding="ascii").read(200)
                shape = r'\s*window\.CREST_AUDIO\s*=\s*window\.CREST_AUDIO\s*\|\|\s*\{\}\s*;\s*window\.CREST_AUDIO\["%s"\]\s*=\s*"[A-Za-z0-9+/]'
                check(re.match(shape % re.escape(key), head) is not None,
                      "%s: %s assigns window.CREST_AUDIO[\"%s\"]" % (what, script, key))
            peaks = v.get("peaks", [])
            check(100 <= len(peaks) <= 4000 and all(len(p) == 2 and -1.0001 <= p[0] <= p[1] <= 1.0001 for p in peaks),
                  "%s: %d peak pairs, each min <= max within [-1, 1]" % (what, len(peaks)))
            check(abs(v.get("plrDb", 0) - (v.get("truePeakDbtp", 0) - v.get("integratedLufs", 0))) < 0.15,
                  "%s: PLR = true peak - integrated loudness" % what)
    page = open(os.path.join(proof, "index.html"), encoding="utf-8").read()
    external = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|//)[^"' >]*""", page, re.I) + re.findall(r"url\(\s*['\"]?(?:https?:|//)", page, re.I)
    check(not external, "index.html refers to nothing outside the folder %s" % (external[:3] if external else ""))
    return data


# ---- the browser ----

def start_browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--autoplay-policy=no-user-gesture-required", "--window-size=1280,720",
                "--host-resolver-rules=MAP * ~NOTFOUND",   # any network access would fail and show in the log
                "--no-first-run", "--disable-extensions", "--disable-background-networking", "--mute-audio"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver


console = []


def drain_log(driver):
    for entry in driver.get_log("browser"):
        console.append(entry)
        print("      console %s: %s" % (entry.get("level"), entry.get("message")))


def state(driver):
    return driver.execute_script("return window.crestReview ? window.crestReview.state() : null;")


def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def go_to_track(driver, index):
    """Up and Down keys until track `index` is current (Up restarts a track played past 3 s first)."""
    for _ in range(4 * len(state(driver)["decoded"]) + 8):
        current = state(driver)["trackIndex"]
        if current == index:
            return
        press(driver, Keys.ARROW_UP if current > index else Keys.ARROW_DOWN)
    check(False, "the arrow keys reach track index %d" % index)


def viewport(driver, width, height, mobile=False):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    time.sleep(0.4)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("proof")
    parser.add_argument("--out", help="where the screenshots go")
    args = parser.parse_args()
    proof = os.path.abspath(args.proof)
    out = os.path.abspath(args.out or os.path.join(os.path.dirname(proof), "review-screenshots"))
    if not os.path.isfile(os.path.join(proof, "index.html")):
        sys.exit("ReviewPageTest: %s has no index.html" % proof)
    os.makedirs(out, exist_ok=True)

    data = check_contract(proof)
    tracks = data["tracks"]
    expected_gain = {(t["number"], n): 10 ** (v["matchGainDb"] / 20) for t in tracks for n, v in t["versions"].items()}

    downloads = tempfile.mkdtemp(prefix="crest-review-downloads-")
    driver = start_browser(downloads)
    try:
        driver.get("file://" + os.path.join(proof, "index.html"))
        ready = wait_for(lambda: (state(driver) or {}).get("ready"), 10, "the page to be ready")
        drain_log(driver)
        if not ready:
            return
        check(driver.find_element(By.ID, "title").text == tracks[0]["title"], "the page shows track 1's title")
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a.mp3")]
        check(len(links) == len(tracks[0]["versions"]) and all(h.startswith("file://") and os.path.isfile(unquote(h[len("file://"):])) for h in links),
              "track 1's MP3 links lead to its %d files" % len(tracks[0]["versions"]))

        # Play: a real click (the context starts on a user gesture); track 1 decodes and plays.
        driver.find_element(By.ID, "play").click()
        s = wait_for(lambda: (lambda st: st if st["playing"] and st["positionSeconds"] > 0.3 else None)(state(driver)), 15,
                     "track 1 to play")
        if s:
            check(s["contextState"] == "running", "the audio context runs (%s, %d Hz)" % (s["contextState"], s["contextSampleRate"]))
            loudest = max(state(driver)["outputPeakDb"] or -999 for _ in range(5))
            check(loudest > -30, "sound leaves the page while it plays (output peak %.1f dBFS)" % loudest)

        # Every track, every version: decoded to the track's duration. Down goes to the next track.
        body = driver.find_element(By.TAG_NAME, "body")
        for k, t in enumerate(tracks):
            if k > 0:
                press(driver, Keys.ARROW_DOWN)
            wanted = set(t["versions"])
            got = wait_for(lambda: (lambda st: st if st["trackNumber"] == t["number"] and st["playing"]
                                    and wanted <= {d["version"] for d in st["decoded"] if d["track"] == t["number"]} else None)(state(driver)),
                           20, "track %d to decode and play" % t["number"])
            if not got:
                continue
            for d in got["decoded"]:
                if d["track"] == t["number"]:
                    check(abs(d["durationSeconds"] - t["durationSeconds"]) <= DURATION_TOLERANCE,
                          "track %d %s decodes to %.3f s (expected %.3f s, %d ch, %d Hz)" % (
                              t["number"], d["version"], d["durationSeconds"], t["durationSeconds"], d["channels"], d["sampleRate"]))

        # Version switch on track 1 while it plays: the heard version's gain becomes its match gain,
        # the others go silent, and the position carries on.
        go_to_track(driver, 0)
        t1 = tracks[0]
        wait_for(lambda: (lambda st: st["playing"] and st["trackIndex"] == 0 and st["positionSeconds"] > 1.0)(state(driver)), 10,
                 "track 1 to play again")
        names = [n for n in [v["name"] for v in data["versions"]] if n in t1["versions"]]
        for name in names[1:] + names[:1]:
            before, before_wall = state(driver), time.time()
            driver.find_element(By.CSS_SELECTOR, 'table.versions tr.v[data-version="%s"]' % name.replace('"', '\\"')).click()
            time.sleep(0.25)   # the 25 ms crossfade and then some
            after, after_wall = state(driver), time.time()
            want = expected_gain[(t1["number"], name)]
            check(after["version"] == name, "clicking %r makes it the heard version" % name)
            check(abs(after["gains"].get(name, -1) - want) <= GAIN_TOLERANCE,
                  "track 1 %s: gain node %.5f, expected 10^(%.2f/20) = %.5f" % (name, after["gains"].get(name, -1), t1["versions"][name]["matchGainDb"], want))
            others = {n: g for n, g in after["gains"].items() if n != name}
            check(all(abs(g) <= 1e-6 for g in others.values()), "the other versions are silent: %s" % others)
            moved, elapsed = after["positionSeconds"] - before["positionSeconds"], after_wall - before_wall
            # Never back (a restart), never further than the time that passed (a jump); the audio
            # clock may lag the wall clock on a loaded machine, so no lower bound beyond 0.
            check(after["trackIndex"] == 0 and after["playing"] and 0 <= moved <= elapsed + 0.25,
                  "the position carries on through the switch (%.2f -> %.2f s in %.2f s)" % (before["positionSeconds"], after["positionSeconds"], elapsed))
        # The V key switches too.
        press(driver, "v")
        time.sleep(0.25)
        s = state(driver)
        check(s["version"] == names[1 % len(names)] and abs(s["gains"][s["version"]] - expected_gain[(t1["number"], s["version"])]) <= GAIN_TOLERANCE,
              "V switches to %r at its match gain" % s["version"])

        # The next track follows on its own: seek to 1.5 s before the end of track 1.
        if len(tracks) > 1:
            big = driver.find_element(By.ID, "bigwave")
            width = big.size["width"]
            fraction = 1 - 1.5 / t1["durationSeconds"]
            ActionChains(driver).move_to_element_with_offset(big, int(width * fraction - width / 2), 0).click().perform()
            s, aimed = state(driver), t1["durationSeconds"] * fraction
            # A click lands on a whole pixel, the offset from the centre is truncated, and the
            # waveform's drawn area sits inside the element's border and padding: allow 8 px of
            # the track (a 30 s track at 1280 px misses by ~5 px, 0.11 s).
            slack = max(0.1, 8 * t1["durationSeconds"] / width)
            check(s["trackIndex"] == 0 and aimed - slack <= s["positionSeconds"] <= aimed + 1.0,
                  "a click on the waveform seeks (%.2f s, aimed at %.2f s)" % (s["positionSeconds"], t1["durationSeconds"] * fraction))
            s = wait_for(lambda: (lambda st: st if st["trackIndex"] == 1 and st["playing"] else None)(state(driver)), 6,
                         "track 2 to follow track 1")
            if s:
                check(s["positionSeconds"] < 1.5, "track 2 follows track 1 from its start (at %.2f s)" % s["positionSeconds"])
                check(s["followed"][-1:] == [{"from": t1["number"], "to": tracks[1]["number"], "gapless": True}],
                      "track 2 was scheduled to start on the sample where track 1 ends (%s)" % s["followed"])

        # Notes: pause, move to a known time with the keys, take a point note on one version and a
        # range note on another, then Send notes.
        press(driver, " ")
        wait_for(lambda: not state(driver)["playing"], 2, "pause")
        time.sleep(0.2)
        peak = state(driver)["outputPeakDb"]
        check(peak is None or peak < -90, "silence once paused (output peak %s dBFS)" % ("-inf" if peak is None else "%.1f" % peak))
        last = tracks[-1]
        go_to_track(driver, len(tracks) - 1)
        note_version = names[-1] if names[-1] in last["versions"] else list(last["versions"])[-1]
        press(driver, Keys.HOME, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)   # 10.0 s
        driver.find_element(By.CSS_SELECTOR, 'table.versions tr.v[data-version="%s"]' % note_version).click()
        s = state(driver)
        point_time = min(10.0, last["durationSeconds"])
        check(abs(s["positionSeconds"] - point_time) < 1e-6 and not s["playing"], "paused at %.3f s on track %d" % (s["positionSeconds"], last["number"]))
        press(driver, "n")
        text = driver.find_element(By.ID, "text")
        text.send_keys("Snare a bit loud here")
        text.send_keys(Keys.ENTER)

        first_version = list(tracks[0]["versions"])[0]
        go_to_track(driver, 0)
        driver.find_element(By.CSS_SELECTOR, 'table.versions tr.v[data-version="%s"]' % first_version).click()
        press(driver, Keys.HOME, Keys.ARROW_RIGHT)                       # 5.0 s
        text.click()                                                      # the note starts here
        press(driver, Keys.ESCAPE)
        press(driver, Keys.ARROW_RIGHT)                                   # 10.0 s
        driver.find_element(By.ID, "draftEnd").click()
        text.click()
        text.send_keys("Vocal too far back in this part")
        driver.find_element(By.ID, "add").click()

        s = state(driver)
        check(len(s["notes"]) == 2, "the notes list holds 2 notes")
        check(len(driver.find_elements(By.CSS_SELECTOR, "ul.notes li .text")) == 2, "the page lists 2 notes")
        for f in glob.glob(os.path.join(downloads, "*")):
            os.remove(f)
        driver.find_element(By.ID, "send").click()
        saved = wait_for(lambda: os.path.isfile(os.path.join(downloads, "notes.json")) and not glob.glob(os.path.join(downloads, "*.crdownload")),
                         10, "notes.json in the download folder")
        if saved:
            notes = json.load(open(os.path.join(downloads, "notes.json"), encoding="utf-8"))
            shutil.copyfile(os.path.join(downloads, "notes.json"), os.path.join(out, "notes.json"))
            check(set(notes) == {"format", "formatVersion", "album", "notes"} and notes["format"] == "crest-notes"
                  and notes["formatVersion"] == 2 and notes["album"] == data["album"]["title"], "notes.json: crest-notes version 2 for this album")
            allowed = {"trackId", "track", "title", "version", "timeSeconds", "endSeconds", "author", "text"}
            for n in notes.get("notes", []):
                check(set(n) <= allowed and {"trackId", "version", "timeSeconds", "author", "text"} <= set(n)
                      and isinstance(n["trackId"], str) and isinstance(n.get("track", 1), int)
                      and number(n["timeSeconds"]) and (("endSeconds" not in n) or (number(n["endSeconds"]) and n["endSeconds"] >= n["timeSeconds"]))
                      and n["author"] == "client" and isinstance(n["text"], str) and n["text"],
                      "notes.json: note %s is valid" % json.dumps(n))
            expected = [
                {"trackId": tracks[0]["id"], "track": tracks[0]["number"], "title": tracks[0]["title"], "version": first_version,
                 "timeSeconds": 5.0, "endSeconds": 10.0, "author": "client", "text": "Vocal too far back in this part"},
                {"trackId": last["id"], "track": last["number"], "title": last["title"], "version": note_version, "timeSeconds": point_time,
                 "author": "client", "text": "Snare a bit loud here"},
            ]
            check(notes.get("notes") == expected, "notes.json holds exactly the two notes taken:\n      %s" % json.dumps(notes.get("notes")))

        # A note in the list plays from its time on its version; the loudness match can be turned off.
        driver.find_element(By.CSS_SELECTOR, "ul.notes li").click()
        s = state(driver)
        check((s["trackNumber"], s["version"], s["positionSeconds"]) == (tracks[0]["number"], first_version, 5.0),
              "clicking the first note goes to track %d at 5.0 s on %r (%s, %.3f s, %r)" % (tracks[0]["number"], first_version, s["trackNumber"], s["positionSeconds"], s["version"]))
        driver.find_element(By.ID, "match").click()
        time.sleep(0.25)
        s = state(driver)
        check(not s["loudnessMatched"] and abs(s["gains"][s["version"]] - 1.0) <= GAIN_TOLERANCE, "unmatched, the heard version plays at gain 1 (%s, %s)" % (s["loudnessMatched"], s["gains"]))
        driver.find_element(By.ID, "match").click()
        time.sleep(0.25)
        s = state(driver)
        check(s["loudnessMatched"] and abs(s["gains"][s["version"]] - expected_gain[(tracks[0]["number"], s["version"])]) <= GAIN_TOLERANCE,
              "matched again, the heard version is back at its match gain")

        # Screenshots for a person: playing track 1 on the second version, notes listed.
        go_to_track(driver, 0)
        driver.find_element(By.CSS_SELECTOR, 'table.versions tr.v[data-version="%s"]' % names[-1]).click()
        press(driver, Keys.HOME, Keys.ARROW_RIGHT)
        press(driver, " ")
        wait_for(lambda: state(driver)["playing"] and state(driver)["positionSeconds"] > 6.0, 5, "playing for the screenshots")
        press(driver, " ")
        for width, height, mobile, name in ((1280, 720, False, "review-1280x720.png"), (1920, 1080, False, "review-1920x1080.png"),
                                            (390, 844, True, "review-phone-390x844.png")):
            viewport(driver, width, height, mobile)
            driver.save_screenshot(os.path.join(out, name))
        print("      screenshots in %s" % out)

        drain_log(driver)
        s = state(driver)
        check(not s["errors"], "the page reported no errors %s" % (s["errors"] or ""))
        bad = [e for e in console if e.get("level") in ("SEVERE", "WARNING")]
        check(not bad, "no console errors or warnings (%d log entries, %d bad)" % (len(console), len(bad)))
    finally:
        driver.quit()
        shutil.rmtree(downloads, ignore_errors=True)


if __name__ == "__main__":
    started = time.time()
    main()
    print("%s: %d failure(s) in %.1f s" % ("FAIL" if failures else "PASS", len(failures), time.time() - started))
    sys.exit(1 if failures else 0)
