#include "mock/reference.h"

#include "mock/json_reader.h"
#include "mock/resource.h"

namespace ephemera::mock {

Result<Reference> parse_reference(std::string_view ref_json) {
  Result<json::object> doc = parse_document(ref_json, "reference");
  if (!doc.ok()) return doc.error();
  ObjectReader r(doc.value(), "");
  Reference ref;
  ref.resource_id = r.string("resource_id").value_or("");
  ref.name = r.string("name").value_or("");
  if (r.error()) return *r.error();
  // Ids are file names: refusing anything else keeps "../x" out of the path.
  if (!ref.resource_id.empty() && !is_valid_resource_id(ref.resource_id))
    return invalid_argument("/resource_id", "/resource_id: not a mock resource id");
  if (ref.resource_id.empty() && ref.name.empty())
    return invalid_argument("", "reference: give resource_id or name");
  return ref;
}

}  // namespace ephemera::mock
