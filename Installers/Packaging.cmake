# Installing Crest, and its Debian package (CPack's DEB generator).
#
#   cmake --build build && (cd build && cpack)   ->  build/crest_<version>_amd64.deb
#
# The package holds both programs (/usr/bin/crest, /usr/bin/Crest), the chain presets and the
# demo album in /usr/share/crest, a desktop entry opening .crest sessions, an icon, the MIME
# type of a session (shared-mime-info), man pages, the copyright and a changelog. Dependencies
# come from dpkg-shlibdeps. Installers/debian/PackageTest.sh builds it and runs lintian.

include(GNUInstallDirs)

install(TARGETS crest RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(CREST_BUILD_GUI)
    install(TARGETS Crest RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/Resources/presets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/crest/presets
        FILES_MATCHING PATTERN "*.json")
install(FILES ${PROJECT_SOURCE_DIR}/Resources/review/index.html DESTINATION ${CMAKE_INSTALL_DATADIR}/crest/review) # the proofs' review page
# The demo album the app opens when given nothing (synthesised at build time, licence-clean).
install(DIRECTORY ${PROJECT_BINARY_DIR}/demo/ DESTINATION ${CMAKE_INSTALL_DATADIR}/crest/demo
        FILES_MATCHING PATTERN "crest-demo.crest" PATTERN "crest-demo-[0-9]-*.wav")

set(CREST_DEBIAN_DIR ${PROJECT_SOURCE_DIR}/Installers/debian)
install(FILES ${CREST_DEBIAN_DIR}/crest.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/Resources/icons/crest.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${CREST_DEBIAN_DIR}/crest-mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages RENAME crest.xml)
install(FILES ${CREST_DEBIAN_DIR}/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/crest)

set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Crest developers <crest-developers@example.org>"
    CACHE STRING "The Maintainer field of the Debian package")

# Man pages and the changelog are installed compressed (gzip -9n: no name or time stamp, so the
# package is reproducible), as Debian policy asks.
set(CREST_PACKAGE_STAGING ${PROJECT_BINARY_DIR}/package-files)
set(CREST_DEB_VERSION ${PROJECT_VERSION})
string(TIMESTAMP CREST_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC) # honours SOURCE_DATE_EPOCH
# A native package (no Debian revision in its version): the changelog is changelog.gz.
configure_file(${CREST_DEBIAN_DIR}/changelog.in ${CREST_PACKAGE_STAGING}/changelog @ONLY)
find_program(CREST_GZIP gzip REQUIRED)
set(CREST_COMPRESSED_DOCS)
foreach(source ${CREST_DEBIAN_DIR}/crest.1 ${CREST_DEBIAN_DIR}/Crest.1 ${CREST_PACKAGE_STAGING}/changelog)
    get_filename_component(name ${source} NAME)
    add_custom_command(OUTPUT ${CREST_PACKAGE_STAGING}/${name}.gz
        COMMAND ${CREST_GZIP} -9nc ${source} > ${CREST_PACKAGE_STAGING}/${name}.gz
        DEPENDS ${source} VERBATIM)
    list(APPEND CREST_COMPRESSED_DOCS ${CREST_PACKAGE_STAGING}/${name}.gz)
endforeach()
add_custom_target(crest_package_docs ALL DEPENDS ${CREST_COMPRESSED_DOCS})
install(FILES ${CREST_PACKAGE_STAGING}/crest.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
if(CREST_BUILD_GUI)
    install(FILES ${CREST_PACKAGE_STAGING}/Crest.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
install(FILES ${CREST_PACKAGE_STAGING}/changelog.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/crest)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME crest)
set(CPACK_PACKAGE_VENDOR "Crest developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "open-source mastering workstation")
set(CPACK_PACKAGE_DESCRIPTION
    "Crest takes finished stereo mixes to release-ready masters: it checks and
measures them (loudness per ITU-R BS.1770 and EBU R128, true peak, stereo
field), processes them through a reorderable mastering chain, sequences an
album and delivers it for streaming, CD (WAV, CUE and DDP 2.0), vinyl,
hi-res, MP3 and FLAC, with a report.

This package holds the desktop application (Crest) and the command-line
program (crest).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # crest_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "shared-mime-info, desktop-file-utils")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "jackd2, libjack-jackd2-0 | libjack0") # JUCE opens libjack at run time
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
