#include "plugins/PluginScan.h"

#include "engine/ModuleIds.h"
#include "plugins/Lv2PluginModule.h"
#include "plugins/Lv2World.h"
#include "plugins/Vst3Library.h"
#include "plugins/Vst3PluginModule.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace crest::plugins
{

namespace
{
    /** What a child process did: its output, and how it ended. */
    struct ChildResult
    {
        std::string output;
        bool timedOut = false;
        int exitCode = -1; ///< when it exited
        int signal = 0;    ///< when a signal ended it
    };

    /** Runs a program with arguments, collecting its standard output, killing it after a time-out.
        Its standard error goes to /dev/null (a crashing plugin may print anything). */
    ChildResult runChild (const std::vector<std::string>& args, double timeoutSeconds)
    {
        ChildResult result;
        int pipeFds[2];
        if (::pipe (pipeFds) != 0)
        {
            result.exitCode = 127;
            return result;
        }
        std::vector<char*> argv;
        for (const auto& a : args)
            argv.push_back (const_cast<char*> (a.c_str()));
        argv.push_back (nullptr);

        const pid_t pid = ::fork();
        if (pid == 0)
        {
            ::dup2 (pipeFds[1], STDOUT_FILENO);
            const int devNull = ::open ("/dev/null", O_WRONLY);
            if (devNull >= 0)
                ::dup2 (devNull, STDERR_FILENO);
            ::close (pipeFds[0]);
            ::close (pipeFds[1]);
            ::execv (argv[0], argv.data());
            ::_exit (127);
        }
        ::close (pipeFds[1]);
        if (pid < 0)
        {
            ::close (pipeFds[0]);
            result.exitCode = 127;
            return result;
        }

        const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double> (timeoutSeconds);
        bool open = true;
        char buffer[4096];
        while (open)
        {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds> (deadline - std::chrono::steady_clock::now()).count();
            if (left <= 0)
            {
                result.timedOut = true;
                break;
            }
            pollfd p { pipeFds[0], POLLIN, 0 };
            const int ready = ::poll (&p, 1, (int) std::min<long long> (left, 200));
            if (ready > 0)
            {
                const auto n = ::read (pipeFds[0], buffer, sizeof (buffer));
                if (n > 0)
                    result.output.append (buffer, (size_t) n);
                else if (n == 0 || errno != EINTR)
                    open = false;
            }
        }
        ::close (pipeFds[0]);

        int status = 0;
        if (result.timedOut)
        {
            ::kill (pid, SIGKILL);
            ::waitpid (pid, &status, 0);
            return result;
        }
        // Output closed: the child is ending; wait for it (within what is left of the time-out).
        while (::waitpid (pid, &status, WNOHANG) == 0)
        {
            if (std::chrono::steady_clock::now() > deadline)
            {
                result.timedOut = true;
                ::kill (pid, SIGKILL);
                ::waitpid (pid, &status, 0);
                return result;
            }
            std::this_thread::sleep_for (std::chrono::milliseconds (5));
        }
        if (WIFEXITED (status))
            result.exitCode = WEXITSTATUS (status);
        else if (WIFSIGNALED (status))
            result.signal = WTERMSIG (status);
        return result;
    }

    std::string signalName (int s)
    {
        const char* description = ::strsignal (s);
        return std::string ("signal ") + std::to_string (s) + (description != nullptr ? std::string (" (") + description + ")" : "");
    }

    /** Reads a probe child's JSON report into `report`; returns why the plugin is blacklisted
        (a hang, a crash, an exit without a report (how a crash ends under the sanitizers), or the
        error the probe itself gave), or "" when it is good. */
    std::string probeFailure (const ChildResult& child, double timeoutSeconds, nlohmann::ordered_json& report)
    {
        if (child.timedOut)
            return "did not finish loading and running within " + std::to_string ((int) timeoutSeconds) + " s (hangs); killed";
        if (child.signal != 0)
            return "crashed while loading or running: " + signalName (child.signal);
        try
        {
            report = nlohmann::ordered_json::parse (child.output);
        }
        catch (const nlohmann::json::exception&)
        {
            report = nullptr;
        }
        if (! report.is_object())
            return "crashed or quit while loading or running: the probe ended with exit code " + std::to_string (child.exitCode)
                   + " and no report";
        if (report.contains ("error"))
            return report["error"].get<std::string>();
        return {};
    }
} // namespace

PluginCatalogue scanPlugins (const ScanOptions& options, const std::function<void (const std::string&)>& progress)
{
    PluginCatalogue catalogue;
    catalogue.folders = options.folders;
    const auto path = lv2SearchPath (options.folders, options.standardFolders);
    Lv2World world (path);

    for (const auto& uri : world.pluginUris())
    {
        const auto bundle = world.bundleOf (uri);
        const auto child = runChild ({ options.program, "plugins", "probe", engine::ids::pluginFormats::lv2, uri, "--lv2-path", path },
            options.timeoutSeconds);

        nlohmann::ordered_json entry;
        const auto reason = probeFailure (child, options.timeoutSeconds, entry);

        if (! reason.empty())
        {
            catalogue.blacklisted.push_back ({ engine::ids::pluginFormats::lv2, uri, bundle, reason });
            if (progress)
                progress ("blacklisted  " + uri + ": " + reason);
            continue;
        }
        ScannedPlugin p;
        p.format = engine::ids::pluginFormats::lv2;
        p.id = uri;
        p.name = entry.value ("name", std::string());
        p.version = entry.value ("version", std::string());
        p.bundle = bundle;
        p.latencySamples = entry.value ("latency_samples", 0);
        p.parameters = entry.value ("params", nlohmann::ordered_json::array());
        catalogue.plugins.push_back (std::move (p));
        if (progress)
            progress ("ok           " + uri + " (" + catalogue.plugins.back().name + ")");
    }

    // VST3: one child per bundle (loading a bundle runs its code); it reports every audio
    // effect class the bundle offers.
    const std::string vst3Format = engine::ids::pluginFormats::vst3;
    for (const auto& bundle : findVst3Bundles (vst3SearchFolders (options.folders, options.standardFolders)))
    {
        const auto child = runChild ({ options.program, "plugins", "probe", vst3Format, bundle }, options.timeoutSeconds);
        nlohmann::ordered_json report;
        const auto reason = probeFailure (child, options.timeoutSeconds, report);
        if (! reason.empty())
        {
            // The bundle as a whole: its classes are unknown (it never listed them).
            catalogue.blacklisted.push_back ({ vst3Format, bundle, bundle, reason });
            if (progress)
                progress ("blacklisted  " + bundle + ": " + reason);
            continue;
        }
        for (const auto& c : report.value ("classes", nlohmann::ordered_json::array()))
        {
            const auto id = c.value ("id", std::string());
            if (c.contains ("error"))
            {
                catalogue.blacklisted.push_back ({ vst3Format, id, bundle, c["error"].get<std::string>() });
                if (progress)
                    progress ("blacklisted  " + bundle + " " + id + ": " + catalogue.blacklisted.back().reason);
                continue;
            }
            ScannedPlugin p;
            p.format = vst3Format;
            p.id = id;
            p.name = c.value ("name", std::string());
            p.version = c.value ("version", std::string());
            p.bundle = bundle;
            p.latencySamples = c.value ("latency_samples", 0);
            p.parameters = c.value ("params", nlohmann::ordered_json::array());
            catalogue.plugins.push_back (std::move (p));
            if (progress)
                progress ("ok           " + bundle + " " + id + " (" + catalogue.plugins.back().name + ")");
        }
    }
    return catalogue;
}

namespace
{
    /** Runs a module on noise; false when it produced non-finite samples. */
    bool runsOnNoise (engine::Module& module)
    {
        module.prepare (48000.0, 512);
        // One second of noise at -20 dBFS through it, in blocks: the plugin has really run.
        std::minstd_rand random (1);
        std::uniform_real_distribution<float> noise (-0.1f, 0.1f);
        std::vector<float> left (512), right (512);
        bool finite = true;
        for (int block = 0; block < 94; ++block)
        {
            for (size_t i = 0; i < left.size(); ++i)
            {
                left[i] = noise (random);
                right[i] = noise (random);
            }
            module.process (left.data(), right.data(), 512);
            for (size_t i = 0; i < left.size(); ++i)
                finite = finite && std::isfinite (left[i]) && std::isfinite (right[i]);
        }
        return finite;
    }

    nlohmann::ordered_json parameterList (const engine::ParameterTable& table)
    {
        auto list = nlohmann::ordered_json::array();
        for (const auto& spec : table)
            list.push_back ({ { "id", spec.id }, { "name", spec.name }, { "unit", spec.unit }, { "min", spec.minimum }, { "max", spec.maximum },
                { "default", spec.defaultValue } });
        return list;
    }

    int probeVst3 (const std::string& bundle, std::ostream& out)
    {
        std::string reason;
        auto library = Vst3Library::open (bundle, reason);
        if (library == nullptr)
        {
            out << nlohmann::ordered_json { { "error", reason } }.dump() << "\n";
            return 3;
        }
        if (library->classes().empty())
        {
            out << nlohmann::ordered_json { { "error", "the bundle offers no audio effect (\"Audio Module Class\")" } }.dump() << "\n";
            return 3;
        }
        nlohmann::ordered_json report;
        report["classes"] = nlohmann::ordered_json::array();
        for (const auto& c : library->classes())
        {
            nlohmann::ordered_json j;
            j["id"] = c.id;
            std::string why;
            auto d = describeVst3 (bundle, c.id, why);
            auto module = d != nullptr ? Vst3PluginModule::create (d, {}, why) : nullptr;
            if (module == nullptr)
                j["error"] = why;
            else if (! runsOnNoise (*module))
                j["error"] = "produced non-finite samples from noise at -20 dBFS";
            else
            {
                j["name"] = d->name;
                j["version"] = d->version;
                j["vendor"] = d->vendor;
                j["latency_samples"] = module->latencySamples();
                j["params"] = parameterList (d->parameters);
            }
            report["classes"].push_back (j);
        }
        out << report.dump() << "\n";
        return 0;
    }
} // namespace

int probePlugin (const std::string& format, const std::string& id, const std::string& searchPath, std::ostream& out)
{
    nlohmann::ordered_json j;
    if (format == engine::ids::pluginFormats::vst3)
        return probeVst3 (id, out);
    if (format != engine::ids::pluginFormats::lv2)
    {
        out << nlohmann::ordered_json { { "error", "Crest cannot probe " + format + " plugins in this build" } }.dump() << "\n";
        return 3;
    }
    Lv2World world (searchPath);
    std::string reason;
    auto module = Lv2PluginModule::create (world, world.describe (id), {}, reason);
    if (module == nullptr)
    {
        out << nlohmann::ordered_json { { "error", reason } }.dump() << "\n";
        return 3;
    }
    if (! runsOnNoise (*module))
    {
        out << nlohmann::ordered_json { { "error", "produced non-finite samples from noise at -20 dBFS" } }.dump() << "\n";
        return 3;
    }

    const auto& d = module->plugin();
    j["name"] = d.name;
    j["version"] = d.version;
    j["latency_samples"] = module->latencySamples();
    j["params"] = parameterList (d.parameters);
    out << j.dump() << "\n";
    return 0;
}

} // namespace crest::plugins
