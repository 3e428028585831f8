#include "docker/docker_client.h"

#include <boost/json/parse.hpp>

#include <charconv>

namespace ephemera::docker {

DockerClient::DockerClient(const DockerConfig& config)
    : http_(config.endpoint, config.connect_timeout),
      max_(parse_api_version(config.max_api_version).value_or(kMaxSupportedApi)) {}

Result<HttpResponse> DockerClient::ping(const CallLimits& limits) {
  return http_.perform(HttpRequest{"GET", "/_ping", std::nullopt}, limits);
}

Result<ApiVersion> DockerClient::version(const CallLimits& limits) {
  {
    std::lock_guard lock(mu_);
    if (negotiated_) return *negotiated_;
  }
  Result<HttpResponse> pong = ping(limits);
  if (!pong.ok()) return pong.error();
  if (pong->status != 200) return http_error(pong.value(), "GET /_ping");
  std::optional<ApiVersion> daemon = parse_api_version(pong->header("api-version"));
  ApiVersion v = negotiate_api_version(daemon, max_);
  if (v < kMinSupportedApi)
    return make_error(EPH_UNSUPPORTED, "docker: daemon speaks API " + v.str() + ", this plugin needs " +
                                           kMinSupportedApi.str() + " or newer");
  std::lock_guard lock(mu_);
  negotiated_ = v;
  return v;
}

Result<HttpResponse> DockerClient::call(const std::string& method, const std::string& target,
                                        const CallLimits& limits, std::optional<std::string> json_body) {
  Result<ApiVersion> v = version(limits);
  if (!v.ok()) return v.error();
  Result<HttpResponse> r = http_.perform(HttpRequest{method, v->prefix() + target, std::move(json_body)}, limits);
  if (!r.ok() && r.error().status == EPH_UNAVAILABLE) forget_version();
  return r;
}

void DockerClient::forget_version() {
  std::lock_guard lock(mu_);
  negotiated_.reset();
}

std::string docker_message(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (!ec && v.is_object())
    if (const auto* m = v.as_object().if_contains("message"); m != nullptr && m->is_string())
      return std::string(m->get_string());
  std::string raw(body.substr(0, 300));
  while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.pop_back();
  return raw;
}

namespace {

// Retry-After in seconds (the HTTP-date form is not worth parsing here).
int64_t retry_after_ms(const HttpResponse& r) {
  std::string v = r.header("retry-after");
  int64_t seconds = 0;
  auto [p, e] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (v.empty() || e != std::errc() || seconds < 0) return -1;
  return seconds * 1000;
}

}  // namespace

Error http_error(const HttpResponse& r, std::string_view what) {
  std::string msg = "docker " + std::string(what) + ": HTTP " + std::to_string(r.status) + ": " +
                    docker_message(r.body);
  if (r.status == 400) return make_error(EPH_INVALID_ARGUMENT, msg);
  if (r.status == 401 || r.status == 403) return make_error(EPH_PERMISSION_DENIED, msg);
  if (r.status == 404) return make_error(EPH_NOT_FOUND, msg);
  if (r.status == 409) return make_error(EPH_ABORTED, msg, 1000);
  if (r.status == 429) {
    int64_t after = retry_after_ms(r);
    return make_error(EPH_RESOURCE_EXHAUSTED, msg, after >= 0 ? after : 1000);
  }
  if (r.status >= 500) return make_error(EPH_UNAVAILABLE, msg, retry_after_ms(r));
  return make_error(EPH_INTERNAL, msg);
}

std::string url_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace ephemera::docker
