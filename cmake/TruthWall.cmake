# The truth wall as a build property (docs/architecture.md). Estimator-side targets never
# link the simulator or the harness: truth_wall_check() walks a target's link graph
# (LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES, transitively) at configure time and stops the
# configure with FATAL_ERROR when a forbidden library appears anywhere in it. The include half
# is base/truth_wall.hpp, behind the LEAKHUNT_ESTIMATOR_SIDE compile definition.
#
# In `cmake -P` script mode (tests/harness) there are no targets: the graph is read from the
# variables TRUTH_WALL_GRAPH_<target>, so the same walk is tested on a fixture.

function(_truth_wall_direct_deps target out)
  set(deps "")
  if(CMAKE_SCRIPT_MODE_FILE)
    set(deps ${TRUTH_WALL_GRAPH_${target}})
  elseif(TARGET ${target})
    get_target_property(type ${target} TYPE)
    get_target_property(iface ${target} INTERFACE_LINK_LIBRARIES)
    if(iface)
      list(APPEND deps ${iface})
    endif()
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(own ${target} LINK_LIBRARIES)
      if(own)
        list(APPEND deps ${own})
      endif()
    endif()
  endif()
  set(clean "")
  foreach(d IN LISTS deps)
    # A static library's PRIVATE dependencies reach its users as $<LINK_ONLY:lib>.
    string(REGEX REPLACE "^\\$<LINK_ONLY:([^>]*)>$" "\\1" d "${d}")
    if(NOT d STREQUAL "" AND NOT d MATCHES "^\\$<")
      list(APPEND clean "${d}")
    endif()
  endforeach()
  set(${out} "${clean}" PARENT_SCOPE)
endfunction()

# truth_wall_check(<target> FORBIDDEN <lib>...): FATAL_ERROR, naming the path, when <target>
# links any of the forbidden libraries directly or through any dependency.
function(truth_wall_check target)
  cmake_parse_arguments(W "" "" "FORBIDDEN" ${ARGN})
  set(queue ${target})
  set(seen ${target})
  string(MAKE_C_IDENTIFIER "${target}" key)
  set(path_${key} "${target}")
  while(queue)
    list(POP_FRONT queue t)
    string(MAKE_C_IDENTIFIER "${t}" tkey)
    _truth_wall_direct_deps(${t} deps)
    foreach(d IN LISTS deps)
      if(d IN_LIST seen)
        continue()
      endif()
      list(APPEND seen "${d}")
      string(MAKE_C_IDENTIFIER "${d}" dkey)
      set(path_${dkey} "${path_${tkey}} -> ${d}")
      if(d IN_LIST W_FORBIDDEN)
        message(FATAL_ERROR
          "truth wall: estimator-side target ${target} links ${d} (${path_${dkey}}); "
          "estimators see only telemetry, the station and logged events, never the simulator "
          "or the harness (see docs/architecture.md)")
      endif()
      list(APPEND queue "${d}")
    endforeach()
  endwhile()
endfunction()
