#pragma once

#include "engine/Module.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace crest::engine
{

/** A kind of module Crest offers. */
struct ModuleTypeInfo
{
    std::string type; ///< as in chain files: one of ids::types ("equaliser", "compressor", ...)
    std::string name;        ///< for people: "Equaliser"
    std::string description; ///< one sentence
    const ParameterTable& parameters; ///< the type's declarations, the same table its modules are built from
    std::function<std::unique_ptr<Module>()> create;
};

/** Every module type, in the order `crest modules` lists them. */
const std::vector<ModuleTypeInfo>& moduleTypes();

/** A module type by its ID, or nullptr when unknown. */
const ModuleTypeInfo* findModuleType (const std::string& type);

/** A new module of a type, or nullptr when the type is unknown. */
std::unique_ptr<Module> createModule (const std::string& type);

} // namespace crest::engine
