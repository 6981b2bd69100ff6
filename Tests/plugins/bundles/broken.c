/* Deliberately broken LV2 plugins for the scan test (Tests/plugins/PluginScanTests.cpp), built by
   the test with the system C compiler: CREST_BROKEN_CRASH makes instantiate() write through a
   null pointer (SIGSEGV), CREST_BROKEN_HANG makes it spin for ever. Without either it is a plain
   stereo gain (port 4, dB) the scan must accept. */
#include <lv2/core/lv2.h>

#include <math.h>
#include <stdlib.h>

typedef struct
{
    const float* in[2];
    float* out[2];
    const float* gainDb;
} Plugin;

static LV2_Handle instantiate (const LV2_Descriptor* d, double rate, const char* bundle, const LV2_Feature* const* features)
{
#if defined(CREST_BROKEN_CRASH)
    volatile int* nowhere = 0;
    *nowhere = 1;
#elif defined(CREST_BROKEN_HANG)
    for (volatile int spin = 0;; ++spin)
    {
    }
#endif
    (void) d;
    (void) rate;
    (void) bundle;
    (void) features;
    return calloc (1, sizeof (Plugin));
}

static void connect (LV2_Handle h, uint32_t port, void* data)
{
    Plugin* p = (Plugin*) h;
    if (port < 2)
        p->in[port] = (const float*) data;
    else if (port < 4)
        p->out[port - 2] = (float*) data;
    else
        p->gainDb = (const float*) data;
}

static void run (LV2_Handle h, uint32_t n)
{
    Plugin* p = (Plugin*) h;
    const float g = powf (10.0f, *p->gainDb / 20.0f);
    for (int c = 0; c < 2; ++c)
        for (uint32_t i = 0; i < n; ++i)
            p->out[c][i] = g * p->in[c][i];
}

static void cleanup (LV2_Handle h)
{
    free (h);
}

static const LV2_Descriptor descriptor = { CREST_PLUGIN_URI, instantiate, connect, NULL, run, NULL, cleanup, NULL };

LV2_SYMBOL_EXPORT const LV2_Descriptor* lv2_descriptor (uint32_t index)
{
    return index == 0 ? &descriptor : NULL;
}
