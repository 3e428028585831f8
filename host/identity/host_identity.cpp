#include "identity/host_identity.h"

#include <random>

namespace ephemera::identity {

namespace {

std::string random_id() {
  std::random_device rd;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string id;
  for (int i = 0; i < 16; ++i) id += "0123456789abcdef"[hex(rd)];
  return id;
}

}  // namespace

Result<std::string> load_instance_id(store::EventStore& store, const std::optional<std::string>& pinned) {
  auto stored = store.get_meta("instance_id");
  if (!stored) return stored.status();
  if (stored.value()) {
    const std::string& id = *stored.value();
    if (pinned && *pinned != id) {
      return Status(StatusCode::kInvalidArgument, "instance_id is pinned to '" + *pinned +
                                                      "' but this state dir belongs to instance '" + id +
                                                      "' (a copied config or state dir?)");
    }
    return id;
  }
  std::string id = pinned.value_or(random_id());
  if (Status s = store.set_meta("instance_id", id); !s.is_ok()) return s;
  return id;
}

}  // namespace ephemera::identity
