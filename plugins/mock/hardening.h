// What the mock really "submits": the spec with the site's hardening applied.
#pragma once

#include "mock/mock_config.h"
#include "mock/result.h"

#include <boost/json/object.hpp>

namespace ephemera::mock {

// Refuses "privileged": true; replaces a missing or root user with the
// configured non-root default; fills missing resource limits. Only fills or
// replaces what policy forbids, so harden(harden(s)) == harden(s), byte for
// byte once serialized. Errors are EPH_INVALID_ARGUMENT with a pointer.
Result<boost::json::object> harden_spec(boost::json::object spec, const MockConfig& config);

}  // namespace ephemera::mock
