// The only file that touches the C ABI: exports MockProvider as
// ephemera-mock.so's one entry symbol.
#include "mock/mock_provider.h"

#include <ephemera/provider.hpp>

EPHEMERA_PROVIDER_PLUGIN(ephemera::mock::MockProvider, "mock", "0.1.0")
