#include "app/UiBench.h"

#include <atomic>
#include <ctime>
#include <thread>

namespace crest::app
{

namespace
{
    double threadCpuSeconds()
    {
        timespec t {};
        clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
        return (double) t.tv_sec + (double) t.tv_nsec * 1.0e-9;
    }

    /** Pulls blocks from the player at real-time pace, as a device's callback would. */
    class SimulatedDevice
    {
    public:
        explicit SimulatedDevice (live::SessionPlayer& p) : player (p)
        {
            worker = std::thread (
                [this]
                {
                    constexpr int block = 256;
                    std::vector<float> left (block), right (block);
                    const auto period = std::chrono::duration<double> (block / juce::jmax (1.0, player.sampleRate()));
                    auto next = std::chrono::steady_clock::now();
                    while (! stop)
                    {
                        player.processBlock (left.data(), right.data(), block);
                        next += std::chrono::duration_cast<std::chrono::steady_clock::duration> (period);
                        std::this_thread::sleep_until (next);
                    }
                });
        }

        ~SimulatedDevice()
        {
            stop = true;
            worker.join();
        }

    private:
        live::SessionPlayer& player;
        std::atomic<bool> stop { false };
        std::thread worker;
    };

    struct BenchState
    {
        std::unique_ptr<SimulatedDevice> device;
        double wallStart = 0.0, cpuStart = 0.0;
    };
} // namespace

void runUiBench (MainWindow& window, Workstation& workstation, double launchToResponsiveMs, std::function<void (int)> done)
{
    auto& main = window.main();
    auto& player = workstation.player();
    player.waitUntilBuffered (2000);
    player.play();
    auto state = std::make_shared<BenchState>();
    state->device = std::make_unique<SimulatedDevice> (player);

    // Let the meters fill for a second, then measure five seconds of the real window at work.
    juce::Timer::callAfterDelay (1000,
        [&main, &workstation, state, launchToResponsiveMs, done]
        {
            state->wallStart = juce::Time::getMillisecondCounterHiRes() * 0.001;
            state->cpuStart = threadCpuSeconds();
            juce::Timer::callAfterDelay (5000,
                [&main, &workstation, state, launchToResponsiveMs, done]
                {
                    const double wall = juce::Time::getMillisecondCounterHiRes() * 0.001 - state->wallStart;
                    const double cpu = threadCpuSeconds() - state->cpuStart;
                    const double windowShare = 100.0 * cpu / wall;

                    // The meter bridge and spectrum alone: update and draw them 300 times into an image
                    // the size they have on screen.
                    constexpr int frames = 300;
                    juce::Image meterImage (juce::Image::RGB, main.meters.getWidth(), main.meters.getHeight(), true);
                    juce::Image spectrumImage (juce::Image::RGB, main.spectrum.getWidth(), main.spectrum.getHeight(), true);
                    const double drawStart = threadCpuSeconds();
                    for (int i = 0; i < frames; ++i)
                    {
                        workstation.refreshMeters();
                        main.meters.update();
                        main.spectrum.update (workstation.inputMeters(), workstation.outputMeters(), {});
                        juce::Graphics g1 (meterImage);
                        main.meters.paintEntireComponent (g1, false);
                        juce::Graphics g2 (spectrumImage);
                        main.spectrum.paintEntireComponent (g2, false);
                    }
                    const double perFrame = (threadCpuSeconds() - drawStart) / frames;
                    const double drawShare = 100.0 * perFrame * 60.0;

                    // Each instrument alone, to know where the time goes.
                    juce::String breakdown;
                    for (auto* c : std::initializer_list<juce::Component*> { &main.meters.loudness, &main.meters.peaks,
                             &main.meters.correlation, &main.meters.goniometer, &main.spectrum })
                    {
                        juce::Image image (juce::Image::RGB, juce::jmax (1, c->getWidth()), juce::jmax (1, c->getHeight()), true);
                        const double start = threadCpuSeconds();
                        for (int i = 0; i < frames; ++i)
                        {
                            juce::Graphics g (image);
                            c->paintEntireComponent (g, false);
                        }
                        breakdown << "      " << c->getName().paddedRight (' ', 22)
                                  << juce::String (1000.0 * (threadCpuSeconds() - start) / frames, 2) << " ms\n";
                    }
                    state->device.reset();

                    std::printf ("ui bench (message thread, %s)\n",
                        workstation.deviceProblem().isEmpty() ? "audio device" : "simulated device");
                    std::printf ("  launch to responsive window:          %8.0f ms   (target < 2000 ms)\n", launchToResponsiveMs);
                    std::printf (
                        "  meter bridge + spectrum, per frame:   %8.2f ms   = %5.1f %% of one core at 60 fps (target < 15 %%)\n",
                        perFrame * 1000.0, drawShare);
                    std::printf ("%s", breakdown.toRawUTF8());
                    std::printf (
                        "  whole window, 60 Hz meter clock:      %8.1f %% of one core over %.1f s (all repaints, X11 included)\n",
                        windowShare, wall);
                    std::printf ("  player underruns during the run:      %8lld\n", (long long) workstation.player().underruns());
                    std::fflush (stdout);
                    done (drawShare < 15.0 && launchToResponsiveMs < 2000.0 ? 0 : 1);
                });
        });
}

} // namespace crest::app
