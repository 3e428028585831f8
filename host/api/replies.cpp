#include "api/replies.h"

#include <boost/json/serialize.hpp>

namespace ephemera::api::detail {
namespace json = boost::json;

Reply json_reply(unsigned http_status, const json::value& body) {
  Reply r;
  r.status = http_status;
  r.body = json::serialize(body);
  return r;
}

Reply error_reply(unsigned http_status, std::string_view code, const std::string& message) {
  json::object error{{"code", code}, {"message", message}};
  return json_reply(http_status, json::object{{"error", std::move(error)}});
}

unsigned http_status_for(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kDeadlineExceeded: return 504;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kAborted: return 409;
    case StatusCode::kUnsupported: return 501;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

Reply error_reply(const Status& status) {
  // An OK status here is a bug in a handler; answer INTERNAL rather than a
  // success with an error body.
  const StatusCode code = status.is_ok() ? StatusCode::kInternal : status.code();
  Reply r = error_reply(http_status_for(code), status_code_name(code), status.message());
  if (code == StatusCode::kResourceExhausted) {
    auto hint = std::chrono::ceil<std::chrono::seconds>(status.retry_after().value_or(std::chrono::seconds(1)));
    r.retry_after = std::max(hint, std::chrono::seconds(1));
  }
  return r;
}

}  // namespace ephemera::api::detail
