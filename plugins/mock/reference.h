// The reference document of get/stop/destroy: which resource a call means.
#pragma once

#include "mock/result.h"

#include <string>
#include <string_view>

namespace ephemera::mock {

struct Reference {
  std::string resource_id;  // wins when present (pins the exact resource)
  std::string name;
};

// Parses {"schema":1,"resource_id":"…","name":"…"}; one of the two is needed.
Result<Reference> parse_reference(std::string_view ref_json);

}  // namespace ephemera::mock
