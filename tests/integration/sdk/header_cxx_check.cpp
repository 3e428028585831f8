// provider.h and provider.hpp must compile as strict C++ (-pedantic -Werror).
#include <ephemera/provider.h>
#include <ephemera/provider.hpp>

static_assert(sizeof(eph_provider_api) == 112, "function table layout is the ABI");
static_assert(sizeof(eph_host_api) == 56, "callback table layout is the ABI");

int ephemera_header_cxx_check() {
  ephemera::sdk::Reply r = ephemera::sdk::Reply::error(EPH_UNAVAILABLE, "x", 5);
  return r.status;
}
