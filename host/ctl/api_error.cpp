#include "ctl/api_error.h"

#include <boost/json.hpp>

namespace ephemera::ctl {
namespace json = boost::json;
namespace {

// "CODE: message", or nullopt if the body is not an API error document.
std::optional<std::string> api_error_text(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::value* error = v.as_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return std::nullopt;
  const auto& e = error->as_object();
  const json::value* code = e.if_contains("code");
  const json::value* message = e.if_contains("message");
  std::string text = code && code->is_string() ? std::string(code->as_string()) : "ERROR";
  if (message && message->is_string()) text += ": " + std::string(message->as_string());
  return text;
}

std::string trimmed(std::string text) {
  constexpr size_t kMax = 200;  // a stray HTML page should not flood the terminal
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

}  // namespace

ExitCode exit_code_for_http(int status) {
  if (status >= 200 && status < 300) return ExitCode::kOk;
  if (status == 404) return ExitCode::kNotFound;
  return ExitCode::kError;
}

CtlError error_from_response(const Response& response) {
  std::string text = api_error_text(response.body).value_or(trimmed(response.body));
  if (text.empty()) text = "empty answer";
  text += " (HTTP " + std::to_string(response.status) + ")";
  if (response.status == 429 && !response.retry_after.empty()) {
    text += "; retry after " + response.retry_after + " s";
  }
  return {exit_code_for_http(response.status), std::move(text)};
}

}  // namespace ephemera::ctl
