# Warning flags shared by every target of this tree (not forced on SDK users).
add_library(ephemera_warnings INTERFACE)
target_compile_options(ephemera_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wconversion -Wno-sign-conversion
  $<$<COMPILE_LANGUAGE:CXX>:-Wold-style-cast>)
