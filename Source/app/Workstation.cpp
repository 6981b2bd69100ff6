#include "app/Workstation.h"

#include "album/SourceAudio.h"
#include "engine/AudioFileInput.h"
#include "engine/ChainFile.h"
#include "engine/MultibandCompressorModule.h"
#include "live/VersionSwitch.h"
#include "session/SessionFile.h"
#include "session/SessionRecovery.h"
#include "session/Versions.h"

namespace crest::app
{

Workstation::Workstation() : livePlayer (std::make_unique<live::SessionPlayer>())
{
    startTimerHz (10); // collects retired chains and retries a chain the host was too busy to take
}

Workstation::~Workstation()
{
    stopTimer();
    stopConverter = true;
    if (converter.joinable())
        converter.join();
    deviceManager.removeChangeListener (this);
    deviceManager.removeAudioCallback (livePlayer.get());
    deviceManager.closeAudioDevice();
}

bool Workstation::openSession (const juce::File& sessionPath, juce::String& error)
{
    try
    {
        auto loaded = session::SessionFile::load (sessionPath.getFullPathName().toStdString());
        file = sessionPath;
        folder = sessionPath.getParentDirectory();
        edits.reset (std::move (loaded));
        savedRevision = recoveredRevision = seenRevision = edits.revision();
    }
    catch (const std::exception& e)
    {
        error = e.what();
        return false;
    }
    // Conversions of sources the session no longer plays (replaced, re-bounced) leave its cache.
    std::string pruneError;
    album::SourceAudio::pruneCache (edits.session(), pruneError);
    loadIntoPlayer();
    sendChangeMessage();
    return true;
}

void Workstation::useSession (session::Session replacement, const juce::File& sessionFolder)
{
    file = juce::File();
    folder = sessionFolder;
    session::assignTrackIds (replacement); // versions, notes and approvals name tracks by ID
    edits.reset (std::move (replacement));
    savedRevision = recoveredRevision = seenRevision = edits.revision();
    loadIntoPlayer();
    sendChangeMessage();
}

void Workstation::newSession()
{
    session::Session empty;
    empty.album.title = "Untitled album";
    empty.chain = edits.session().chain; // a new album starts from the chain in use
    livePlayer->stop();
    useSession (std::move (empty), juce::File::getSpecialLocation (juce::File::userDocumentsDirectory));
    livePlayer->seek (0);
}

juce::File Workstation::dataFolder()
{
    if (const auto env = juce::SystemStats::getEnvironmentVariable ("CREST_DATA_DIR", {}); env.isNotEmpty())
        return juce::File (env);
    return juce::File::getSpecialLocation (juce::File::userApplicationDataDirectory).getChildFile ("Crest");
}

bool Workstation::saveAs (const juce::File& target, juce::String& error)
{
    const auto previous = file;
    try
    {
        session::SessionFile::save (edits.session(), target.getFullPathName().toStdString());
    }
    catch (const std::exception& e)
    {
        error = e.what();
        return false;
    }
    // The recovery file of the state just saved (beside the old file or the unsaved one's) is
    // no longer needed.
    session::SessionRecovery::remove (previous.getFullPathName().toStdString(), dataFolder().getFullPathName().toStdString());
    file = target;
    folder = target.getParentDirectory();
    session::SessionRecovery::remove (file.getFullPathName().toStdString(), dataFolder().getFullPathName().toStdString());
    savedRevision = recoveredRevision = edits.revision();
    sendChangeMessage();
    return true;
}

bool Workstation::loadChainPreset (const juce::File& preset, int track, juce::String& error)
{
    engine::ChainDescription chain;
    try
    {
        chain = engine::ChainFile::load (preset.getFullPathName().toStdString());
    }
    catch (const std::exception& e)
    {
        error = e.what();
        return false;
    }
    if (track >= (int) edits.session().tracks.size())
        return false;
    const auto name = preset.getFileNameWithoutExtension().toStdString();
    if (track < 0)
        edits.apply ("Load preset " + name, session::EditKind::chainStructure, [&chain] (session::Session& s) { s.chain = chain; });
    else
        edits.apply ("Load preset " + name + " into track " + std::to_string (track + 1), session::EditKind::album,
            [&chain, track] (session::Session& s) { s.tracks[(size_t) track].chain = chain; });
    selectedModule.clear();
    sendChangeMessage();
    return true;
}

void Workstation::useAlbumChain (int track)
{
    if (track < 0 || track >= (int) edits.session().tracks.size() || ! edits.session().tracks[(size_t) track].chain)
        return;
    edits.apply ("Use the album chain for track " + std::to_string (track + 1), session::EditKind::album,
        [track] (session::Session& s) { s.tracks[(size_t) track].chain.reset(); });
    sendChangeMessage();
}

bool Workstation::saveChainPreset (const juce::File& preset, juce::String& error) const
{
    try
    {
        engine::ChainFile::save (edits.session().chain, preset.getFullPathName().toStdString());
        return true;
    }
    catch (const std::exception& e)
    {
        error = e.what();
        return false;
    }
}

void Workstation::discardRecovery()
{
    session::SessionRecovery::remove (
        file == juce::File() ? std::string() : file.getFullPathName().toStdString(), dataFolder().getFullPathName().toStdString());
    recoveredRevision = edits.revision();
}

void Workstation::restoreRecovered (const session::Session& recovered)
{
    edits.apply ("Restore recovered edits", session::EditKind::chainStructure,
        [&recovered] (session::Session& s) { s = recovered; });
    loadIntoPlayer(); // tracks, references and the chain all follow
    sendChangeMessage();
}

void Workstation::writeRecoveryIfDue (bool evenIfRecent)
{
    const double now = juce::Time::getMillisecondCounterHiRes();
    if (edits.revision() != seenRevision)
    {
        if (recoveredRevision == seenRevision)
            firstUnwrittenEditMs = now; // the first edit since the file was last written
        seenRevision = edits.revision();
        lastEditMs = now;
    }
    if (! recoveryEnabled || recoveredRevision == edits.revision() || ! hasUnsavedEdits())
        return;
    // A moment after the last edit; during a long run of edits (a drag), every few seconds anyway.
    if (! evenIfRecent && now - lastEditMs < recoveryDelaySeconds * 1000.0
        && now - firstUnwrittenEditMs < recoveryMaximumDelaySeconds * 1000.0)
        return;
    std::string error;
    const auto path = file == juce::File() ? std::string() : file.getFullPathName().toStdString();
    if (session::SessionRecovery::write (edits.session(), path, dataFolder().getFullPathName().toStdString(),
            juce::Time::currentTimeMillis(), error))
        recoveredRevision = edits.revision();
    else
    {
        problem = juce::String (error);
        recoveredRevision = edits.revision(); // not again until the next edit
        sendChangeMessage();
    }
}

void Workstation::addAudioFiles (const juce::StringArray& paths)
{
    for (const auto& path : paths)
        edits.addTrack (path.toStdString(), juce::File (path).getFileNameWithoutExtension().toStdString());
    loadIntoPlayer();
    sendChangeMessage();
}

void Workstation::addReference (const juce::File& audio, const juce::String& name)
{
    edits.addReference (audio.getFullPathName().toStdString(), name.toStdString());
    loadIntoPlayer();
    sendChangeMessage();
}

bool Workstation::convertSourcesFirst()
{
    if (converter.joinable())
        return true; // already converting; the player is loaded when it is done
    bool needed = false;
    for (const auto& c : album::SourceAudio::conversions (edits.session()))
        needed = needed || c.cachePath.empty() || ! juce::File (c.cachePath).existsAsFile();
    if (! needed)
        return false;
    converterDone = false;
    stopConverter = false;
    converter = std::thread (
        [this, copy = edits.session()]
        {
            std::string error;
            const auto done = album::SourceAudio::prepare (
                copy, error,
                [this] (const std::string& source, double fraction)
                {
                    {
                        const std::lock_guard<std::mutex> lock (converterMutex);
                        converterSource = source;
                    }
                    converterFraction = fraction;
                },
                &stopConverter);
            {
                const std::lock_guard<std::mutex> lock (converterMutex);
                converterError = done ? std::string() : error;
            }
            converterDone = true;
        });
    return true;
}

void Workstation::finishConversion()
{
    converter.join();
    std::string error;
    {
        const std::lock_guard<std::mutex> lock (converterMutex);
        error = converterError;
    }
    problem = error;
    if (error.empty())
        loadIntoPlayer(); // converts again only if the session changed meanwhile
    else
        appliedRevision = edits.revision(); // not retried until the next edit
    sendChangeMessage();
}

namespace
{
    /** What the player plays of a session, as text: everything but the notes, approvals, the
        album's metadata, the deliverables and the tracks' codes and credits (titles stay: the
        transport shows them). An album edit that leaves it alone (a note, an approval, a new
        version) does not reload the player, so playback, the pre-roll and the meters' integrated
        and short-term loudness go on undisturbed while the client watches. While comparing,
        the versions count too (their states and figures are what plays). */
    std::string playbackKey (session::Session s, const juce::File& folder, bool withVersions)
    {
        if (! withVersions)
            s.versions.clear();
        s.notes.clear();
        s.album = {};
        s.deliverables = {};
        for (auto& t : s.tracks)
        {
            t.approvedVersion.clear();
            t.performer = t.songwriter = t.composer = t.arranger = t.message = t.isrc = {};
        }
        return session::SessionFile::toJson (s, folder.getFullPathName().toStdString());
    }
} // namespace

void Workstation::loadIntoPlayer()
{
    if (livePlayer->sampleRate() <= 0.0)
        return; // prepared later, by openAudioDevice()
    if (convertSourcesFirst())
    {
        problem = "Converting sources to the session rate...";
        return;
    }
    problem.clear();
    freeGarbage();
    // Reloading the album (after an album edit) must not move the play head or stop playback.
    const auto at = livePlayer->position();
    const bool wasPlaying = livePlayer->isPlaying();
    if (! edits.session().tracks.empty())
    {
        // The player loads the album, its chain and its references together.
        if (beforeModulesFreed)
            beforeModulesFreed (true); // the old chains go with the old album
        std::string error;
        if (! livePlayer->loadSession (edits.session(), folder.getFullPathName().toStdString(), error))
        {
            if (livePlayer->tracks().size() != edits.session().tracks.size())
                problem = error; // the album itself failed
            else
            {
                // The album loaded but the host could not take the chain yet (the previous one
                // is still being handed over), so the player stopped before the references:
                // load them here; the chain is retried below and by the timer.
                livePlayer->clearReferences();
                for (const auto& reference : edits.session().references)
                {
                    std::string why;
                    if (livePlayer->addReference (reference, folder.getFullPathName().toStdString(), why) < 0
                        && problem.isEmpty())
                        problem = why;
                }
            }
        }
    }
    livePlayer->seek (at);
    if (wasPlaying)
        livePlayer->play();
    playedKey = playbackKey (edits.session(), folder, versionComparison.active());
    appliedRevision = edits.revision();
    chainPending = true;
    applyToEngine();
}

int Workstation::runningIndexOf (const std::string& moduleId) const
{
    auto* chain = livePlayer->host().editableChain();
    return chain != nullptr ? chain->indexOf (moduleId) : -1;
}

void Workstation::applyToEngine()
{
    const auto kind = edits.lastChangeKind();
    if (versionComparison.active())
    {
        // While comparing, the tracks run the two compared states: an edit (of the working
        // state, which may be one of them) rebuilds them in place.
        const bool changed = appliedRevision != edits.revision();
        appliedRevision = edits.revision();
        if (changed && kind == session::EditKind::album)
        {
            if (playbackKey (edits.session(), folder, true) != playedKey)
                loadIntoPlayer(); // comes back here with chainPending set
            return;
        }
        if ((changed || chainPending) && livePlayer->sampleRate() > 0.0)
            chainPending = ! postComparison();
        return;
    }
    if (appliedRevision != edits.revision())
    {
        const auto revisionBefore = appliedRevision;
        appliedRevision = edits.revision();
        if (kind == session::EditKind::album)
        {
            if (playbackKey (edits.session(), folder, false) != playedKey)
                loadIntoPlayer();
            return;
        }
        auto* chain = livePlayer->host().editableChain();
        // A parameter move (the only change since the last one applied): exactly that atomic.
        const auto& change = edits.lastParameterChange();
        // Every track's instance of the album chain takes it (tracks with their own chain do not).
        // While a version is heard its chain plays, not the working state's: no fast path then.
        const auto& heard = session::heardChain (edits.session(), versionComparison);
        if (! chainPending && chain != nullptr && change && revisionBefore + 1 == appliedRevision
            && &heard == &edits.session().chain && livePlayer->applyToAlbumChain (*change))
            return;
        // Undo, redo and bypass: the running chains follow the document; anything else rebuilds them.
        // Following may replace modules too (an undone latency change): editors let go first.
        if (! chainPending && chain != nullptr && beforeModulesFreed)
            beforeModulesFreed (true);
        if (! chainPending && (chain == nullptr || ! livePlayer->followAlbumChain (heard)))
            chainPending = true;
    }

    if (chainPending && livePlayer->sampleRate() > 0.0)
    {
        std::string error;
        freeGarbage();
        // A rebuild replaces every module, and a host that is not processing frees the old ones at once.
        if (beforeModulesFreed)
            beforeModulesFreed (true);
        if (livePlayer->setChain (session::heardChain (edits.session(), versionComparison), error))
            chainPending = false; // else: the host is still fading the previous change; the timer retries
    }
}

void Workstation::timerCallback()
{
    freeGarbage();
    if (converter.joinable())
    {
        if (converterDone.load())
            finishConversion();
        else
        {
            std::string source;
            {
                const std::lock_guard<std::mutex> lock (converterMutex);
                source = converterSource;
            }
            problem = "Converting " + juce::File (source).getFileName() + " to the session rate: "
                      + juce::String ((int) (converterFraction.load() * 100.0)) + " %";
            sendChangeMessage();
        }
    }
    if (versionComparison.active())
    {
        // An undo or a restore may take away a version being compared.
        versionComparison.forgetMissing (edits.session());
        if (! versionComparison.active())
            stopComparison();
    }
    if (chainPending || appliedRevision != edits.revision())
        applyToEngine();
    updateComparisonGain();
    writeRecoveryIfDue();

    // A rebuilt chain starts unsoloed, and a module may have moved: keep the solo on its module.
    if (auto* chain = livePlayer->host().editableChain())
    {
        const int wanted = soloedModule.empty() ? -1 : chain->indexOf (soloedModule);
        if (chain->soloChange() != wanted)
            livePlayer->setSoloChange (wanted);
    }
}

void Workstation::setSoloChange (const std::string& moduleId)
{
    soloedModule = moduleId;
    if (auto* chain = livePlayer->host().editableChain())
        livePlayer->setSoloChange (moduleId.empty() ? -1 : chain->indexOf (moduleId));
    sendChangeMessage();
}

void Workstation::setParameter (const std::string& moduleId, size_t parameterIndex, float value)
{
    if (edits.setParameter (moduleId, parameterIndex, value))
    {
        applyToEngine();
        sendChangeMessage();
    }
}

void Workstation::setParameter (const std::string& moduleId, const std::string& parameterId, float value)
{
    if (edits.setParameter (moduleId, parameterId, value))
    {
        applyToEngine();
        sendChangeMessage();
    }
}

void Workstation::endGesture()
{
    edits.endGesture();
}

std::string Workstation::addModule (const std::string& type, int position)
{
    auto id = edits.addModule (type, position);
    if (! id.empty())
    {
        selectedModule = id;
        applyToEngine();
        sendChangeMessage();
    }
    return id;
}

std::string Workstation::addPlugin (const engine::PluginReference& plugin, int position)
{
    auto id = edits.addPlugin (plugin, position);
    if (! id.empty())
    {
        selectedModule = id;
        applyToEngine();
        sendChangeMessage();
    }
    return id;
}

void Workstation::removeModule (const std::string& moduleId)
{
    if (edits.removeModule (moduleId))
    {
        if (selectedModule == moduleId)
            selectedModule = edits.session().chain.modules.empty() ? std::string() : edits.session().chain.modules.front().id;
        applyToEngine();
        sendChangeMessage();
    }
}

void Workstation::moveModule (const std::string& moduleId, int newPosition)
{
    if (edits.moveModule (moduleId, newPosition))
    {
        applyToEngine();
        sendChangeMessage();
    }
}

void Workstation::setBypass (const std::string& moduleId, bool bypassed)
{
    if (edits.setBypass (moduleId, bypassed))
    {
        applyToEngine();
        sendChangeMessage();
    }
}

bool Workstation::undo()
{
    if (! edits.undo())
        return false;
    if (const_cast<engine::ChainDescription&> (edits.session().chain).find (selectedModule) == nullptr)
        selectedModule.clear();
    applyToEngine();
    sendChangeMessage();
    return true;
}

bool Workstation::redo()
{
    if (! edits.redo())
        return false;
    applyToEngine();
    sendChangeMessage();
    return true;
}

void Workstation::selectModule (const std::string& moduleId)
{
    if (selectedModule != moduleId)
    {
        selectedModule = moduleId;
        sendChangeMessage();
    }
}

void Workstation::freeGarbage()
{
    if (beforeModulesFreed)
        beforeModulesFreed (false);
    livePlayer->collectGarbage();
}

engine::Module* Workstation::heardModule (const std::string& moduleId) const
{
    // The readouts show the album chain the listener hears (the instance of the track under the
    // play head), not whichever instance happens to be first; none while a track's own chain plays.
    auto* host = livePlayer->heardAlbumHost();
    auto* chain = host != nullptr ? host->editableChain() : nullptr;
    const int index = chain != nullptr ? chain->indexOf (moduleId) : -1;
    return index >= 0 ? &chain->module ((size_t) index) : nullptr;
}

float Workstation::gainReductionDb (const std::string& moduleId) const
{
    const auto* module = heardModule (moduleId);
    return module != nullptr ? module->gainReductionDb() : 0.0f;
}

float Workstation::bandGainReductionDb (const std::string& moduleId, int band) const
{
    auto* multiband = dynamic_cast<engine::MultibandCompressorModule*> (heardModule (moduleId));
    return multiband != nullptr ? multiband->bandGainReductionDb (band) : 0.0f;
}

bool Workstation::refreshMeters()
{
    const bool input = livePlayer->readInputMeters (inputSnapshot);
    const bool output = livePlayer->readOutputMeters (outputSnapshot);
    return input || output;
}

void Workstation::openAudioDevice (bool useHardware)
{
    juce::String message = "not opened (offline run)";
    if (useHardware)
    {
        // ALSA and JACK are both compiled in. The manager tries its default type first; when
        // that has no usable output (a container, or a machine where only JACK runs), try the
        // others in turn before telling the user there is no sound.
        message = deviceManager.initialiseWithDefaultDevices (0, 2);
        if (deviceManager.getCurrentAudioDevice() == nullptr)
            for (auto* type : deviceManager.getAvailableDeviceTypes())
            {
                type->scanForDevices();
                if (type->getDeviceNames (false).isEmpty())
                    continue;
                deviceManager.setCurrentAudioDeviceType (type->getTypeName(), true);
                if (deviceManager.getCurrentAudioDevice() != nullptr)
                {
                    message.clear();
                    break;
                }
            }
    }
    auto* device = useHardware ? deviceManager.getCurrentAudioDevice() : nullptr;
    const bool deviceOpen = message.isEmpty() && device != nullptr;
    deviceError
        = deviceOpen ? juce::String() : (message.isNotEmpty() ? message : juce::String ("no audio output device was found"));

    if (useHardware)
    {
        // Registered even without a device: choosing one in the settings starts it playing.
        deviceManager.addAudioCallback (livePlayer.get());
        deviceManager.addChangeListener (this);
    }
    if (useHardware && ! deviceOpen)
        std::fprintf (
            stderr, "Crest: no audio device (%s); editing, metering and export keep working\n", deviceError.toRawUTF8());
    if (deviceOpen)
        livePlayer->prepare (device->getCurrentSampleRate(), device->getCurrentBufferSizeSamples());
    else
    {
        // No sound, but the session still loads, edits, meters (offline) and exports.
        double rate = 48000.0;
        if (! edits.session().tracks.empty())
        {
            std::string error;
            const auto first = folder.getChildFile (edits.session().tracks.front().source);
            if (auto input = engine::AudioFileInput::open (first.getFullPathName().toStdString(), error))
                rate = input->info().sampleRate;
        }
        livePlayer->prepare (rate, 512);
    }
    loadIntoPlayer();
    sendChangeMessage();
}

juce::String Workstation::deviceProblem() const
{
    if (auto* device = const_cast<juce::AudioDeviceManager&> (deviceManager).getCurrentAudioDevice();
        device != nullptr && device->isOpen())
        return {};
    return deviceError.isNotEmpty() ? deviceError : juce::String ("no audio output device is open");
}

void Workstation::changeListenerCallback (juce::ChangeBroadcaster*)
{
    // The device changed (settings dialog): the player was re-prepared by its callbacks; reload
    // the session at the new rate and let the window update its banner.
    loadIntoPlayer();
    sendChangeMessage();
}

void Workstation::runOffline (double seconds)
{
    const double rate = livePlayer->sampleRate();
    if (rate <= 0.0)
        return;
    livePlayer->waitUntilBuffered (2000);
    constexpr int block = 512;
    std::vector<float> left (block), right (block);
    const auto blocks = (int64_t) (seconds * rate / block);
    for (int64_t i = 0; i < blocks; ++i)
    {
        livePlayer->processBlock (left.data(), right.data(), block);
        if (i % 16 == 0)
            livePlayer->waitUntilBuffered (200); // let the disk thread keep ahead of us
    }
    refreshMeters();
}

// ---- version comparison ------------------------------------------------------------------------

void Workstation::compareVersions (const std::string& first, const std::string& second)
{
    versionComparison.compare (first, second);
    matchedTrack = -2;
    chainPending = ! postComparison();
    updateComparisonGain();
    sendChangeMessage();
}

bool Workstation::postComparison()
{
    const auto& s = edits.session();
    comparisonTiming = live::timingNotSwitched (s, versionComparison);
    std::string error;
    if (! livePlayer->compareStates (live::comparedStates (s, versionComparison), error))
    {
        problem = "Comparing versions: " + juce::String (error);
        return false;
    }
    livePlayer->hearComparedState (versionComparison.heardIndex());
    matchedTrack = -2;
    return true;
}

bool Workstation::toggleComparison()
{
    if (! versionComparison.active())
        return false;
    versionComparison.toggle();
    // Both states already run on every track: the switch is one atomic, crossfaded in a few ms.
    livePlayer->hearComparedState (versionComparison.heardIndex());
    matchedTrack = -2;
    updateComparisonGain();
    sendChangeMessage();
    return true;
}

void Workstation::stopComparison()
{
    const bool was = versionComparison.active();
    versionComparison.stop();
    comparisonGainNow = {};
    comparisonTiming.clear();
    if (was)
    {
        std::string error;
        if (! livePlayer->stopComparing (error))
            problem = "Comparing versions: " + juce::String (error);
        chainPending = true; // the working state's chain, in case it changed meanwhile
        applyToEngine();
    }
    sendChangeMessage();
}

void Workstation::updateComparisonGain()
{
    const int track = livePlayer->currentTrack();
    if (! versionComparison.active() || track == matchedTrack)
        return;
    // The readout follows the track under the play head (each track's versions measured apart).
    matchedTrack = track;
    comparisonGainNow = session::comparisonGain (edits.session(), versionComparison, track);
}

void Workstation::setCompareUnprocessed (bool unprocessed)
{
    unprocessedHeard = unprocessed;
    livePlayer->setCompareUnprocessed (unprocessed);
    sendChangeMessage();
}

std::string Workstation::heardDescription() const
{
    const int reference = livePlayer->listeningTo();
    if (reference >= 0 && reference < livePlayer->numReferences())
        return "Reference: " + livePlayer->referenceInfo (reference).name;
    if (unprocessedHeard)
        return "Before (unprocessed)";
    if (versionComparison.active())
    {
        const auto& heard = versionComparison.heard();
        char gain[32];
        // A cut under 0.05 dB reads as none (not "-0.0").
        std::snprintf (gain, sizeof (gain), "%.1f dB", comparisonGainNow.gainDb > -0.05 ? 0.0 : comparisonGainNow.gainDb);
        return (heard.empty() ? std::string ("Working state") : "Version '" + heard + "'") + " (comparing with "
               + session::stateLabel (versionComparison.other()) + "), "
               + (comparisonGainNow.matched ? std::string ("loudness-matched ") + gain : std::string ("not loudness-matched"));
    }
    return "Master (working state)";
}

int Workstation::Feed::currentTrack() const
{
    return owner.livePlayer->currentTrack();
}

double Workstation::Feed::trackPositionSeconds() const
{
    const auto& player = *owner.livePlayer;
    const int track = player.currentTrack();
    const auto& tracks = player.tracks();
    const double rate = player.sampleRate();
    if (rate <= 0.0)
        return 0.0;
    const auto at = player.position();
    if (track >= 0 && (size_t) track < tracks.size())
        return (double) (at - tracks[(size_t) track].start) / rate;
    return (double) at / rate;
}

bool Workstation::Feed::isPlaying() const
{
    return owner.livePlayer->isPlaying();
}

} // namespace crest::app
