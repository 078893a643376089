# libFuzzer targets for the tile parsers (tests/fuzz/README.md). Included from
# tests/CMakeLists.txt. fuzz.build builds the standalone clang project in
# tests/fuzz into <build>/fuzz; each fuzz.<target> test then fuzzes for
# ZW_FUZZ_SECONDS from the seed corpus and fails on any crash, leak, hang or broken
# invariant, printing the reproducer's path.
set(ZW_FUZZ_SECONDS 10 CACHE STRING "Seconds each fuzz target runs in the test suite")
set(ZW_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(ZW_FUZZ_BUILD ${CMAKE_BINARY_DIR}/fuzz)

add_test(NAME fuzz.build COMMAND bash ${ZW_FUZZ_DIR}/build.sh ${ZW_FUZZ_BUILD})
set_tests_properties(fuzz.build PROPERTIES FIXTURES_SETUP fuzz LABELS fuzz TIMEOUT 900)

foreach(target tileset_json subtree content twin_manifest ascii_grid zwf zwt sumo_xml flood_scenario recipe
               sumo_net traffic_inputs)
  add_test(NAME fuzz.${target}
    COMMAND bash ${ZW_FUZZ_DIR}/run.sh ${ZW_FUZZ_BUILD}/fuzz_${target} ${ZW_FUZZ_DIR}/corpus/${target}
            ${ZW_FUZZ_SECONDS})
  set_tests_properties(fuzz.${target} PROPERTIES FIXTURES_REQUIRED fuzz LABELS fuzz TIMEOUT 180)
endforeach()
