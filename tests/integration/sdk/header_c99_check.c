/* provider.h must compile as strict C99 (built with -std=c99 -pedantic -Werror). */
#include <ephemera/provider.h>

int32_t ephemera_plugin_entry(eph_plugin_negotiation* n) {
  eph_str s = eph_str_from_cstr("c99");
  if (!EPH_HAS_FIELD(n, eph_plugin_negotiation, plugin_name)) return EPH_INVALID_ARGUMENT;
  n->plugin_name = s;
  return EPH_OK;
}
