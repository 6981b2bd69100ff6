#include "plugins/Vst3Editor.h"

#include "plugins/Vst3HostObjects.h"

#include <juce_events/juce_events.h>
#include <pluginterfaces/gui/iplugview.h>

#include <map>
#include <memory>

using namespace Steinberg;

namespace crest::plugins
{

/** The editor's frame: resize requests, and the Linux run loop (timers and file descriptors
    served by the app's JUCE message loop). */
class Vst3Editor::Frame final : public IPlugFrame, public Linux::IRunLoop, private vst3::Counted
{
public:
    CREST_VST3_REFCOUNT
    explicit Frame (Vst3Editor& e) : editor (&e) { }

    tresult PLUGIN_API queryInterface (const TUID wanted, void** out) override
    {
        if (vst3::sameId (wanted, FUnknown_iid) || vst3::sameId (wanted, IPlugFrame_iid))
            *out = static_cast<IPlugFrame*> (this);
        else if (vst3::sameId (wanted, Linux::IRunLoop_iid))
            *out = static_cast<Linux::IRunLoop*> (this);
        else
        {
            *out = nullptr;
            return kNoInterface;
        }
        addRef();
        return kResultOk;
    }

    tresult PLUGIN_API resizeView (IPlugView* view, ViewRect* size) override
    {
        if (editor == nullptr || size == nullptr)
            return kInvalidArgument;
        if (editor->onResizeRequest)
            editor->onResizeRequest (size->getWidth(), size->getHeight());
        view->onSize (size);
        return kResultOk;
    }

    tresult PLUGIN_API registerEventHandler (Linux::IEventHandler* handler, Linux::FileDescriptor fd) override
    {
        if (handler == nullptr)
            return kInvalidArgument;
        handler->addRef();
        // JUCE defers an unregistration made while its loop is dispatching (the app closing an
        // editor from a timer), and may still call this callback in the same round: the flag
        // keeps it from reaching a handler already released.
        auto live = std::make_shared<bool> (true);
        handlers.emplace (handler, Registration { fd, live });
        juce::LinuxEventLoop::registerFdCallback (fd,
            [handler, live] (int f)
            {
                if (*live)
                    handler->onFDIsSet (f);
            });
        return kResultOk;
    }

    tresult PLUGIN_API unregisterEventHandler (Linux::IEventHandler* handler) override
    {
        const auto range = handlers.equal_range (handler);
        if (range.first == range.second)
            return kInvalidArgument;
        for (auto h = range.first; h != range.second; ++h)
        {
            *h->second.live = false;
            juce::LinuxEventLoop::unregisterFdCallback (h->second.fd);
        }
        handlers.erase (range.first, range.second);
        handler->release();
        return kResultOk;
    }

    tresult PLUGIN_API registerTimer (Linux::ITimerHandler* handler, Linux::TimerInterval milliseconds) override
    {
        if (handler == nullptr)
            return kInvalidArgument;
        auto timer = std::make_unique<Timer> (handler);
        timer->startTimer ((int) std::max<Linux::TimerInterval> (milliseconds, 1));
        timers[handler] = std::move (timer);
        return kResultOk;
    }

    tresult PLUGIN_API unregisterTimer (Linux::ITimerHandler* handler) override
    {
        return timers.erase (handler) > 0 ? kResultOk : kInvalidArgument;
    }

    /** Stops serving the plugin (the editor is going). */
    void close()
    {
        editor = nullptr;
        timers.clear();
        for (auto& [handler, registration] : handlers)
        {
            *registration.live = false;
            juce::LinuxEventLoop::unregisterFdCallback (registration.fd);
            handler->release();
        }
        handlers.clear();
    }

private:
    struct Timer final : juce::Timer
    {
        explicit Timer (Linux::ITimerHandler* h) : handler (h) { handler->addRef(); }
        ~Timer() override
        {
            stopTimer();
            handler->release();
        }
        void timerCallback() override { handler->onTimer(); }
        Linux::ITimerHandler* handler;
    };

    Vst3Editor* editor;
    struct Registration
    {
        int fd;
        std::shared_ptr<bool> live;
    };
    std::multimap<Linux::IEventHandler*, Registration> handlers;
    std::map<Linux::ITimerHandler*, std::unique_ptr<Timer>> timers;
};

Vst3Editor::Vst3Editor (IPlugView* v) : view (v), frame (new Frame (*this))
{
    view->setFrame (frame);
}

Vst3Editor::~Vst3Editor()
{
    detach();
    view->setFrame (nullptr);
    view->release();
    frame->close();
    frame->release();
}

bool Vst3Editor::attach (unsigned long x11Window)
{
    if (attached || view->isPlatformTypeSupported (kPlatformTypeX11EmbedWindowID) != kResultTrue)
        return false;
    attached = view->attached (reinterpret_cast<void*> (x11Window), kPlatformTypeX11EmbedWindowID) == kResultOk;
    return attached;
}

void Vst3Editor::detach()
{
    if (attached)
        view->removed();
    attached = false;
}

int Vst3Editor::width() const
{
    ViewRect r;
    return view->getSize (&r) == kResultOk ? r.getWidth() : 0;
}

int Vst3Editor::height() const
{
    ViewRect r;
    return view->getSize (&r) == kResultOk ? r.getHeight() : 0;
}

bool Vst3Editor::canResize() const
{
    return view->canResize() == kResultTrue;
}

bool Vst3Editor::setSize (int w, int h)
{
    ViewRect r (0, 0, w, h);
    if (view->checkSizeConstraint (&r) != kResultTrue)
        return false;
    return view->onSize (&r) == kResultOk;
}

} // namespace crest::plugins
