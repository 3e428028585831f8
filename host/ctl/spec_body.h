// The worker spec of `workers create` and `spec render`: the --spec document
// with --image, --command, --label and --env laid over it.
#pragma once

#include <istream>
#include <optional>
#include <string>

#include "ctl/args.h"

namespace ephemera::ctl {

// Reads args.spec_path (a file, or "-" for `in`) into args.spec_json and
// checks it is a JSON object. No-op without --spec. Errors exit with 1 and
// name the file.
std::optional<CtlError> load_spec(Args& args, std::istream& in);

// The spec object as compact JSON. The flags win over the document; labels
// and env are merged key by key.
std::string spec_body(const Args& args);

// The POST /v1/workers body: provider, spec, the policy overrides given, and
// the idempotency key.
std::string create_body(const Args& args);

}  // namespace ephemera::ctl
