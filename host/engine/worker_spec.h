// Building what a provider receives for a new worker: the worker id, the
// deterministic resource name, the ownership labels, and the spec document —
// plus the redacted copy and hash that go into the event log (secret values
// never do).
#pragma once

#include <map>
#include <string>

#include "common/status.h"

namespace ephemera::engine {

// Label keys every resource carries (DESIGN.md, "Ownership and orphans").
inline constexpr const char* kLabelManagedBy = "ephemera.dev/managed-by";
inline constexpr const char* kLabelSite = "ephemera.dev/site";
inline constexpr const char* kLabelInstance = "ephemera.dev/instance";
inline constexpr const char* kLabelProvider = "ephemera.dev/provider";
inline constexpr const char* kLabelWorkerId = "ephemera.dev/worker-id";
inline constexpr const char* kManagedByValue = "ephemera";

struct Ownership {
  std::string site;
  std::string instance_id;
};

// "w-" + 13 base32 digits of 64 random bits: valid as a label value and in
// a DNS name, and short enough to need no allocation.
std::string new_worker_id();
// The same form for given bits (an idempotency key's hash).
std::string worker_id_from_bits(uint64_t bits);
// "eph-<site>-<worker id>", lowercased and cut to 63 characters.
std::string resource_name(const std::string& site, const std::string& worker_id);
std::map<std::string, std::string> ownership_labels(const Ownership& owner, const std::string& provider,
                                                    const std::string& worker_id);

// Merges the user's spec object (JSON) with id, name and labels (ours win
// over user labels of the same key). INVALID_ARGUMENT for a spec that is not
// a JSON object or tries to set reserved members.
Result<std::string> build_spec(const std::string& user_spec_json, const std::string& worker_id,
                               const std::string& name, const std::map<std::string, std::string>& labels);

// The labels of a spec built by build_spec: ownership and user labels.
std::map<std::string, std::string> spec_labels(const std::string& spec_json);
// Only the user's labels (no "ephemera.dev/" key): what a worker records.
std::map<std::string, std::string> user_labels(const std::string& spec_json);

// The spec with every `env` value and every member named like a secret
// (secret, token, password, key, credential) replaced by "<redacted>".
std::string redact_spec(const std::string& spec_json);
// Hex SHA-256 of the full spec.
std::string spec_hash(const std::string& spec_json);

}  // namespace ephemera::engine
