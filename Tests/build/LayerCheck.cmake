# The build's rooms, checked: every header of every engine folder resolves all its includes
# through that folder's own include root (so it includes only itself and the folders below it),
# and a wrong-way include from each folder is a missing file. Run by CTest as build.layers:
#   cmake -DCXX=... -DLAYERS=<build>/layers -DJUCE=<juce modules> -DSOURCE=<Source> -DOUT=<dir> -P LayerCheck.cmake
# Preprocessing (-E) is enough: an include either resolves or it does not.

file(MAKE_DIRECTORY ${OUT})
set(failures 0)

function(preprocess layer text result_var output_var)
    string(MD5 key "${layer}${text}")
    set(probe ${OUT}/${layer}-${key}.cpp)
    file(WRITE ${probe} "${text}")
    set(extra "")
    foreach(dir IN LISTS EXTRA) # system headers a layer uses (lilv for plugins)
        list(APPEND extra -isystem ${dir})
    endforeach()
    execute_process(COMMAND ${CXX} -std=c++17 -E -o /dev/null -I${LAYERS}/${layer} -isystem ${JUCE} ${extra}
                            -DJUCE_GLOBAL_MODULE_SETTINGS_INCLUDED=1 ${probe}
                    RESULT_VARIABLE result ERROR_VARIABLE output OUTPUT_QUIET)
    set(${result_var} ${result} PARENT_SCOPE)
    set(${output_var} "${output}" PARENT_SCOPE)
endfunction()

# 1. Every header of a folder, seen from its own root.
foreach(layer dsp analysis engine session album export live demo plugins)
    file(GLOB headers RELATIVE ${SOURCE} ${SOURCE}/${layer}/*.h)
    set(text "")
    foreach(header IN LISTS headers)
        string(APPEND text "#include \"${header}\"\n")
    endforeach()
    preprocess(${layer} "${text}" result output)
    list(LENGTH headers count)
    if(result EQUAL 0)
        message(STATUS "ok    ${layer}: all ${count} headers include only what ${layer} may see")
    else()
        message(STATUS "FAIL  ${layer}: a header includes a folder ${layer} may not see:\n${output}")
        math(EXPR failures "${failures} + 1")
    endif()
endforeach()

# 2. Wrong-way includes (one per arrow the old code broke, and a few more) must not resolve.
set(wrong
    "dsp|engine/Module.h" "analysis|engine/AudioFileInput.h" "engine|session/Session.h"
    "engine|album/Timeline.h" "engine|live/ChainHost.h" "engine|export/Dither.h"
    "session|album/Fades.h" "session|live/SessionPlayer.h" "album|export/CueSheet.h"
    "album|live/ProgrammeStream.h" "export|live/SessionPlayer.h" "live|export/Dither.h"
    "demo|album/Timeline.h" "engine|plugins/Lv2World.h" "session|plugins/PluginHosting.h" "plugins|session/Session.h")
foreach(case IN LISTS wrong)
    string(REPLACE "|" ";" parts "${case}")
    list(GET parts 0 layer)
    list(GET parts 1 header)
    preprocess(${layer} "#include \"${header}\"\n" result output)
    string(FIND "${output}" "${header}: No such file" missing)
    if(NOT result EQUAL 0 AND missing GREATER -1)
        message(STATUS "ok    ${layer} cannot include ${header}")
    else()
        message(STATUS "FAIL  ${layer} includes ${header} (result ${result}):\n${output}")
        math(EXPR failures "${failures} + 1")
    endif()
endforeach()

if(failures GREATER 0)
    message(FATAL_ERROR "${failures} layer check(s) failed")
endif()
