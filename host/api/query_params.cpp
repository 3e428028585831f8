#include "api/query_params.h"

#include <charconv>

#include "common/duration.h"

namespace ephemera::api::detail {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; '+' is a space only in the query (form encoding).
std::optional<std::string> decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex_digit(in[i + 1]), lo = hex_digit(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(plus_is_space && in[i] == '+' ? ' ' : in[i]);
    }
  }
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

Status bad_param(const std::string& key, const std::string& why) {
  return Status(StatusCode::kInvalidArgument, "query parameter '" + key + "': " + why);
}

}  // namespace

Result<Target> parse_target(std::string_view target) {
  const Status bad(StatusCode::kInvalidArgument, "bad request target");
  if (target.empty() || target.front() != '/') return bad;
  const size_t q = target.find('?');
  Target out;
  for (std::string_view seg : split(target.substr(1, q == std::string_view::npos ? q : q - 1), '/')) {
    if (seg.empty()) continue;  // "/v1//workers/" is "/v1/workers"
    auto d = decode(seg, false);
    if (!d) return bad;
    out.segments.push_back(std::move(*d));
  }
  if (q == std::string_view::npos) return out;
  for (std::string_view pair : split(target.substr(q + 1), '&')) {
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    auto key = decode(pair.substr(0, eq), true);
    auto value = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!key || !value) return bad;
    out.query.emplace(std::move(*key), std::move(*value));
  }
  return out;
}

std::optional<std::string> Target::get(const std::string& key) const {
  auto it = query.find(key);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Result<bool> Target::flag(const std::string& key, bool fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  if (*v == "true" || *v == "1" || v->empty()) return true;
  if (*v == "false" || *v == "0") return false;
  return bad_param(key, "expected true or false, got '" + *v + "'");
}

Result<uint64_t> Target::number(const std::string& key, uint64_t fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || v->empty()) {
    return bad_param(key, "expected a non-negative integer, got '" + *v + "'");
  }
  return n;
}

Result<std::chrono::milliseconds> Target::duration(const std::string& key,
                                                   std::chrono::milliseconds fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  auto d = parse_duration(*v);
  if (!d) return bad_param(key, d.status().message());
  return *d;
}

}  // namespace ephemera::api::detail
