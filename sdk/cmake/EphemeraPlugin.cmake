# ephemera_add_plugin(<name> <source>...)
#
# Builds a provider plugin as a MODULE library named ephemera-<name>.so (target
# ephemera-<name>) with the flags every plugin needs: hidden visibility, a
# version script that exports only `ephemera_plugin_entry`, and
# -Wl,--no-undefined so a missing symbol fails the build, not the dlopen.
# Used in-tree and, unchanged, from the installed SDK (find_package(EphemeraSDK)).
function(ephemera_add_plugin name)
  # Next to this file, both in the source tree and in the installed package.
  set(_EPHEMERA_PLUGIN_MAP "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/ephemera-plugin.map")
  if(ARGC LESS 2)
    message(FATAL_ERROR "ephemera_add_plugin(${name}): give at least one source file")
  endif()
  set(target ephemera-${name})
  add_library(${target} MODULE ${ARGN})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ephemera-${name}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${_EPHEMERA_PLUGIN_MAP}")
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${_EPHEMERA_PLUGIN_MAP}" "LINKER:--no-undefined")
  target_link_libraries(${target} PRIVATE Ephemera::sdk)
endfunction()
