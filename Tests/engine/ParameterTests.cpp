#include "engine/ModuleIds.h"
#include "engine/ModuleRegistry.h"
#include "engine/Parameter.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace crest::engine;

TEST_CASE ("A spec constrains a value exactly as a Parameter set to it holds it", "[engine][parameter]")
{
    for (const auto& type : moduleTypes())
        for (const auto& spec : type.parameters)
            for (float v : { spec.minimum - 10.0f, spec.minimum, 0.3f, 0.5f, 1.49f, 2.5f, -3.7f, spec.defaultValue, spec.maximum,
                     spec.maximum + 10.0f })
            {
                Parameter p (spec);
                p.set (v);
                INFO (type.type << "." << spec.id << " <- " << v);
                CHECK (p.get() == spec.constrain (v));
                CHECK (spec.validate (spec.constrain (v)).empty());
            }

    // A value that is not finite leaves the parameter as it was.
    const auto& ceiling = *findModuleType (ids::types::limiter)->parameters.find (ids::limiter::ceiling);
    Parameter p (ceiling);
    p.set (-3.0f);
    p.set (std::numeric_limits<float>::quiet_NaN());
    p.set (std::numeric_limits<float>::infinity());
    CHECK (p.get() == -3.0f);
}

TEST_CASE ("Every module type's spec table is reachable without a module and is the one its modules are built from",
    "[engine][parameter]")
{
    for (const auto& type : moduleTypes())
    {
        INFO (type.type);
        const auto& table = type.parameters;
        REQUIRE (table.size() > 0);
        for (size_t i = 0; i < table.size(); ++i)
        {
            // IDs are unique, and an ID's index is its position.
            CHECK (table.indexOf (table[i].id) == (int) i);
            CHECK (table.find (table[i].id) == &table[i]);
        }
        CHECK (table.indexOf ("no_such_parameter") == -1);
        CHECK (table.find ("no_such_parameter") == nullptr);

        const auto module = type.create();
        CHECK (module->type() == type.type);
        CHECK (&module->parameterTable() == &table);
        REQUIRE (module->parameters().size() == table.size());
        for (size_t i = 0; i < table.size(); ++i)
        {
            CHECK (&module->parameters()[i]->spec() == &table[i]); // the same declaration, not a copy
            CHECK (module->parameters()[i]->get() == table[i].defaultValue);
            CHECK (module->findParameter (table[i].id) == module->parameters()[i].get());
        }
    }
}

TEST_CASE ("The declared IDs name the parameters the modules declare", "[engine][parameter]")
{
    auto has = [] (const char* type, const std::string& id) { return findModuleType (type)->parameters.indexOf (id) >= 0; };
    using namespace ids;
    CHECK (moduleTypes().size() == 7);
    for (const char* type : { types::equaliser, types::compressor, types::multiband, types::imager, types::saturation,
             types::limiter, types::utility })
        CHECK (findModuleType (type) != nullptr);

    CHECK (band (2, equaliser::gain) == "band3_gain_db");
    CHECK (crossover (1) == "crossover2_hz");
    for (int b = 0; b < equaliser::bands; ++b)
        for (const char* suffix :
            { equaliser::bandType, equaliser::frequency, equaliser::gain, equaliser::q, equaliser::slope, equaliser::channel,
                equaliser::dynamic, equaliser::threshold, equaliser::ratio, equaliser::attack, equaliser::release })
            CHECK (has (types::equaliser, band (b, suffix)));
    CHECK (findModuleType (types::equaliser)->parameters.size() == (size_t) equaliser::bands * 11 + 2);
    CHECK (has (types::equaliser, equaliser::linearPhase));
    CHECK (has (types::equaliser, equaliser::outputGain));

    for (const char* id : { compressor::threshold, compressor::ratio, compressor::knee, compressor::attack, compressor::release,
             compressor::autoRelease, compressor::makeup, compressor::detection, compressor::stereoLink, compressor::mode,
             compressor::sidechainHighPass, compressor::mix })
        CHECK (has (types::compressor, id));

    for (const char* id : { multiband::bandCount, multiband::linearPhase, multiband::knee, multiband::detection,
             multiband::autoRelease, multiband::stereoLink, multiband::mode, multiband::mix })
        CHECK (has (types::multiband, id));
    for (int b = 0; b < multiband::bands; ++b)
        for (const char* suffix : { multiband::threshold, multiband::ratio, multiband::attack, multiband::release,
                 multiband::makeup, multiband::solo, multiband::bypass })
            CHECK (has (types::multiband, band (b, suffix)));

    for (const char* id : { imager::bandCount, imager::balance, imager::monoBelow, imager::monoBelowFrequency })
        CHECK (has (types::imager, id));
    for (int b = 0; b < imager::bands; ++b)
        CHECK (has (types::imager, band (b, imager::width)));
    for (int c = 0; c < 3; ++c)
    {
        CHECK (has (types::imager, crossover (c)));
        CHECK (has (types::multiband, crossover (c)));
    }

    for (const char* id : { saturation::character, saturation::drive, saturation::mix, saturation::output })
        CHECK (has (types::saturation, id));
    for (const char* id : { limiter::inputGain, limiter::ceiling, limiter::lookahead, limiter::release, limiter::autoRelease,
             limiter::stereoUnlink })
        CHECK (has (types::limiter, id));
    for (const char* id :
        { utility::gain, utility::invertLeft, utility::invertRight, utility::swapChannels, utility::mono, utility::dcFilter })
        CHECK (has (types::utility, id));
}
