# Whole-program tests run as scripts (bash), beside the Catch2 suite: faults (kill -9, a full
# disk, an unwritable folder, sources that are not files), the catalogue batch recipe from the
# README, and the Debian package. Included from Tests/CMakeLists.txt.

set(CREST_DEMO_DIR ${PROJECT_BINARY_DIR}/demo)

# kill -9 fifty times at random moments of an export, a session save and a render.
add_test(NAME faults.kill
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/faults/KillTest.sh $<TARGET_FILE:crest> ${CREST_DEMO_DIR}
            ${PROJECT_SOURCE_DIR}/Resources/presets/gentle-master.json ${CMAKE_CURRENT_BINARY_DIR}/faults-kill 50)
set_tests_properties(faults.kill PROPERTIES TIMEOUT 400 LABELS "faults")

# A full disk and an unwritable folder during export and render; FIFOs, devices and folders as sources.
add_test(NAME faults.disk
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/faults/DiskFaultTest.sh $<TARGET_FILE:crest> ${CREST_DEMO_DIR}
            ${CMAKE_CURRENT_BINARY_DIR}/faults-disk)
set_tests_properties(faults.disk PROPERTIES TIMEOUT 300 LABELS "faults")

# The README's catalogue recipe (GNU parallel, both cores) over a generated catalogue.
add_test(NAME batch.catalogue
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/batch/CatalogueBatchTest.sh $<TARGET_FILE:crest> ${PROJECT_SOURCE_DIR}/README.md
            ${CMAKE_CURRENT_BINARY_DIR}/batch-catalogue 240)
set_tests_properties(batch.catalogue PROPERTIES TIMEOUT 400 LABELS "batch")

# The Debian package: cpack, its contents and dependencies, lintian, the packaged crest run.
# (CI also installs it: Installers/debian/PackageTest.sh ... --install in .ci/run.)
if(CREST_BUILD_GUI)
    add_test(NAME package.deb
        COMMAND bash ${PROJECT_SOURCE_DIR}/Installers/debian/PackageTest.sh ${PROJECT_BINARY_DIR}
                ${CMAKE_CURRENT_BINARY_DIR}/package-test)
    set_tests_properties(package.deb PROPERTIES TIMEOUT 600 LABELS "package" RESOURCE_LOCK cpack)
endif()

# The client review page (Resources/review) in headless chromium, on a proof folder made by sox/lame/ffmpeg.
add_test(NAME review.page
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/review/ReviewFixtureTest.sh ${PROJECT_SOURCE_DIR}/Resources/review/index.html
            ${CMAKE_CURRENT_BINARY_DIR}/review-page)
set_tests_properties(review.page PROPERTIES TIMEOUT 120 LABELS "review")
# ... and on real `crest proof` output of the demo album, then `crest notes import` of what the page saved.
add_test(NAME review.proof
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/review/ProofPageTest.sh $<TARGET_FILE:crest> ${PROJECT_SOURCE_DIR}/Resources/review/index.html
            ${PROJECT_SOURCE_DIR}/Resources/presets ${CMAKE_CURRENT_BINARY_DIR}/review-proof)
set_tests_properties(review.proof PROPERTIES TIMEOUT 400 LABELS "review")
