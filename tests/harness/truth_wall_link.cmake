# `cmake -DFIXTURE=leaky|sealed -P truth_wall_link.cmake`: the link half of the truth wall
# (cmake/TruthWall.cmake) on a fixture graph shaped like the real one. `leaky` hides the
# simulator two levels down behind a PRIVATE dependency and must stop with the wall's message;
# `sealed` must pass.
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/TruthWall.cmake)

set(TRUTH_WALL_GRAPH_leakhunt_locate leakhunt_detect leakhunt_model fmt::fmt)
set(TRUTH_WALL_GRAPH_leakhunt_model leakhunt_gas "$<LINK_ONLY:yaml-cpp>")
if(FIXTURE STREQUAL "leaky")
  set(TRUTH_WALL_GRAPH_leakhunt_detect leakhunt_telemetry "$<LINK_ONLY:leakhunt_replay>")
  set(TRUTH_WALL_GRAPH_leakhunt_replay leakhunt_sim)
elseif(FIXTURE STREQUAL "sealed")
  set(TRUTH_WALL_GRAPH_leakhunt_detect leakhunt_telemetry leakhunt_network)
else()
  message(FATAL_ERROR "FIXTURE must be leaky or sealed")
endif()

truth_wall_check(leakhunt_locate FORBIDDEN leakhunt_sim leakhunt_harness)
message(STATUS "truth wall holds for the ${FIXTURE} fixture")
