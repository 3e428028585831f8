#include "docker/http_client.h"

#include <algorithm>
#include <cctype>
#include <mutex>

namespace ephemera::docker {
namespace {

// curl_global_init is not safe to race with other curl use; do it once for
// the process (it is idempotent state, not per-instance configuration).
void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t append_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t collect_header(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) headers->clear();  // a new response (e.g. after 100-continue)
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  (*headers)[name] = std::string(value);
  return size * n;
}

// Non-zero aborts the transfer: the host gave up on the call.
int check_cancelled(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* limits = static_cast<const CallLimits*>(user);
  return (limits->cancelled && limits->cancelled()) ? 1 : 0;
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

CallLimits CallLimits::within(std::chrono::milliseconds budget, std::function<bool()> cancelled) {
  return CallLimits{std::chrono::steady_clock::now() + budget, std::move(cancelled)};
}

std::chrono::milliseconds CallLimits::remaining() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                               std::chrono::steady_clock::now());
}

Error transport_error(CURLcode code, std::string_view detail, std::string_view where) {
  std::string msg = "docker " + std::string(where) + ": " + curl_easy_strerror(code);
  if (!detail.empty()) msg += " (" + std::string(detail) + ")";
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      // The daemon is down or went away mid-call: transient, and never
      // evidence that a container does not exist.
      return make_error(EPH_UNAVAILABLE, msg + "; is dockerd running?");
    case CURLE_OPERATION_TIMEDOUT:
      return make_error(EPH_DEADLINE_EXCEEDED, msg + "; the outcome is unknown");
    case CURLE_ABORTED_BY_CALLBACK:
      return make_error(EPH_DEADLINE_EXCEEDED, msg + ": the host cancelled the call");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      return make_error(EPH_PERMISSION_DENIED, msg + "; check cert_path / DOCKER_CERT_PATH");
    default:
      return make_error(EPH_INTERNAL, msg);
  }
}

HttpClient::HttpClient(Endpoint endpoint, std::chrono::milliseconds connect_timeout)
    : endpoint_(std::move(endpoint)), connect_timeout_(connect_timeout) {
  global_init_once();
}

HttpClient::Handle HttpClient::make_handle(const std::string& target) const {
  Handle h(curl_easy_init(), &curl_easy_cleanup);
  if (!h) return h;
  CURL* c = h.get();
  const std::string url = endpoint_.base_url + target;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());  // copied by libcurl
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);      // threads: no SIGALRM for timeouts
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);  // notice a dead TCP peer on long streams
  if (!endpoint_.unix_socket.empty())
    curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, endpoint_.unix_socket.c_str());
  if (endpoint_.tls) {
    if (!endpoint_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, endpoint_.ca_file.c_str());
    if (!endpoint_.cert_file.empty()) curl_easy_setopt(c, CURLOPT_SSLCERT, endpoint_.cert_file.c_str());
    if (!endpoint_.key_file.empty()) curl_easy_setopt(c, CURLOPT_SSLKEY, endpoint_.key_file.c_str());
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, endpoint_.tls_verify ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, endpoint_.tls_verify ? 2L : 0L);
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout_.count()));
  return h;
}

Result<HttpResponse> HttpClient::perform(const HttpRequest& request, const CallLimits& limits) const {
  const std::string where = request.method + " " + request.target;
  const auto budget = limits.remaining();
  if (budget.count() <= 0 || (limits.cancelled && limits.cancelled()))
    return make_error(EPH_DEADLINE_EXCEEDED, "docker " + where + ": no time left in the call's deadline");
  Handle h = make_handle(request.target);
  if (!h) return make_error(EPH_INTERNAL, "docker: curl_easy_init failed");
  CURL* c = h.get();
  HttpResponse response;
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(budget, connect_timeout_).count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &collect_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &check_cancelled);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &limits);
  if (request.method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  struct curl_slist* headers = nullptr;
  if (request.json_body) {
    // libcurl's default form content type makes dockerd answer 400.
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.json_body->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.json_body->size()));
  } else if (request.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(0));
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
  }
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  CURLcode code = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) return transport_error(code, error_buffer, where);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace ephemera::docker
