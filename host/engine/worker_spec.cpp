#include "engine/worker_spec.h"

#include <boost/json.hpp>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <random>

namespace ephemera::engine {
namespace json = boost::json;

namespace {

std::string hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

bool looks_secret(std::string_view key) {
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string_view word : {"secret", "token", "password", "passwd", "credential", "private_key", "apikey", "api_key"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

void redact(json::value& v) {
  if (v.is_array()) {
    for (auto& item : v.as_array()) redact(item);
    return;
  }
  if (!v.is_object()) return;
  for (auto& [key, member] : v.as_object()) {
    if (key == "env" && member.is_object()) {
      for (auto& [name, value] : member.as_object()) value = "<redacted>";
    } else if (looks_secret(key) && !member.is_object() && !member.is_array()) {
      member = "<redacted>";
    } else {
      redact(member);
    }
  }
}

}  // namespace

std::string worker_id_from_bits(uint64_t bits) {
  // RFC 4648 base32, lower case: valid in DNS names and label values. 13
  // digits hold 64 bits, and "w-" + 13 fits std::string's inline buffer, so
  // the id costs no allocation in any of the places that hold a copy.
  static constexpr char kDigits[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string id = "w-";
  for (int shift = 60; shift >= 0; shift -= 5) id += kDigits[(bits >> shift) & 0x1f];
  return id;
}

std::string new_worker_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return worker_id_from_bits(rng());
}

std::string resource_name(const std::string& site, const std::string& worker_id) {
  std::string name = "eph-" + site + "-" + worker_id;
  for (char& c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '-';
  }
  if (name.size() > 63) name = name.substr(name.size() - 63);  // keep the unique id at the end
  while (!name.empty() && name.front() == '-') name.erase(name.begin());
  return name;
}

std::map<std::string, std::string> ownership_labels(const Ownership& owner, const std::string& provider,
                                                    const std::string& worker_id) {
  return {{kLabelManagedBy, kManagedByValue},
          {kLabelSite, owner.site},
          {kLabelInstance, owner.instance_id},
          {kLabelProvider, provider},
          {kLabelWorkerId, worker_id}};
}

Result<std::string> build_spec(const std::string& user_spec_json, const std::string& worker_id,
                               const std::string& name, const std::map<std::string, std::string>& labels) {
  boost::system::error_code ec;
  json::value doc = json::parse(user_spec_json.empty() ? "{}" : user_spec_json, ec);
  if (ec || !doc.is_object()) return Status(StatusCode::kInvalidArgument, "spec must be a JSON object");
  json::object& spec = doc.as_object();
  for (const char* reserved : {"worker_id", "name"}) {
    if (spec.contains(reserved)) {
      return Status(StatusCode::kInvalidArgument, std::string("spec member '") + reserved + "' is set by ephemerad");
    }
  }
  json::object merged_labels;
  if (const auto* user = spec.if_contains("labels")) {
    if (!user->is_object()) return Status(StatusCode::kInvalidArgument, "spec labels must be an object");
    for (const auto& [k, v] : user->as_object()) {
      if (std::string_view(k).starts_with("ephemera.dev/")) {
        return Status(StatusCode::kInvalidArgument, "label '" + std::string(k) + "' is reserved for ephemerad");
      }
      if (!v.is_string()) return Status(StatusCode::kInvalidArgument, "label '" + std::string(k) + "' must be a string");
      merged_labels[k] = v;
    }
  }
  for (const auto& [k, v] : labels) merged_labels[k] = v;
  spec["schema"] = 1;
  spec["worker_id"] = worker_id;
  spec["name"] = name;
  spec["labels"] = std::move(merged_labels);
  return json::serialize(doc);
}

std::map<std::string, std::string> spec_labels(const std::string& spec_json) {
  std::map<std::string, std::string> out;
  boost::system::error_code ec;
  json::value doc = json::parse(spec_json, ec);
  const json::value* labels = (!ec && doc.is_object()) ? doc.as_object().if_contains("labels") : nullptr;
  if (labels == nullptr || !labels->is_object()) return out;
  for (const auto& [k, v] : labels->as_object()) {
    if (v.is_string()) out[std::string(k)] = std::string(v.get_string());
  }
  return out;
}

std::map<std::string, std::string> user_labels(const std::string& spec_json) {
  auto labels = spec_labels(spec_json);
  std::erase_if(labels, [](const auto& kv) { return kv.first.starts_with("ephemera.dev/"); });
  return labels;
}

std::string redact_spec(const std::string& spec_json) {
  boost::system::error_code ec;
  json::value doc = json::parse(spec_json, ec);
  if (ec) return "{}";
  redact(doc);
  return json::serialize(doc);
}

std::string spec_hash(const std::string& spec_json) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(spec_json.data()), spec_json.size(), digest);
  return hex(digest, sizeof digest);
}

}  // namespace ephemera::engine
