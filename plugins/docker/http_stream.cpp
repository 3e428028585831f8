// The streaming half of HttpClient: one long GET driven through a multi
// handle so another thread can end it at once (curl_multi_wakeup), with the
// progress callback checking the same stop flag as a second line of defence.
#include "docker/http_client.h"

namespace ephemera::docker {
namespace {

struct StreamState {
  StreamControl* control;
  const std::function<void(long)>* on_status;
  const std::function<void(std::string_view)>* on_data;
  CURL* easy;
  bool status_reported = false;
  long status = 0;
};

void report_status(StreamState& s) {
  if (s.status_reported) return;
  s.status_reported = true;
  curl_easy_getinfo(s.easy, CURLINFO_RESPONSE_CODE, &s.status);
  (*s.on_status)(s.status);
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto& s = *static_cast<StreamState*>(user);
  std::string_view line(data, size * n);
  // The blank line ends the headers: the stream is established (dockerd
  // flushes them at once, long before the first event).
  if (line == "\r\n" || line == "\n") report_status(s);
  return size * n;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto& s = *static_cast<StreamState*>(user);
  report_status(s);
  if (s.control->stop_requested()) return 0;  // makes curl fail with a write error: we are done
  (*s.on_data)(std::string_view(data, size * n));
  return size * n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<StreamState*>(user)->control->stop_requested() ? 1 : 0;
}

}  // namespace

void StreamControl::request_stop() {
  stop_ = true;
  std::lock_guard lock(mu_);
  if (multi_ != nullptr) curl_multi_wakeup(multi_);
}

void StreamControl::attach(CURLM* multi) {
  std::lock_guard lock(mu_);
  multi_ = multi;
}

StreamOutcome HttpClient::stream(const std::string& target, StreamControl& control,
                                 const std::function<void(long)>& on_status,
                                 const std::function<void(std::string_view)>& on_data) const {
  StreamOutcome out;
  Handle h = make_handle(target);
  std::unique_ptr<CURLM, CURLMcode (*)(CURLM*)> multi(curl_multi_init(), &curl_multi_cleanup);
  if (!h || !multi) {
    out.error = make_error(EPH_INTERNAL, "docker: curl init failed");
    return out;
  }
  StreamState state{&control, &on_status, &on_data, h.get()};
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h.get(), CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h.get(), CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(h.get(), CURLOPT_HEADERDATA, &state);
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(h.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h.get(), CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(h.get(), CURLOPT_XFERINFODATA, &state);
  curl_multi_add_handle(multi.get(), h.get());
  control.attach(multi.get());
  int running = 1;
  while (running > 0 && !control.stop_requested()) {
    if (curl_multi_perform(multi.get(), &running) != CURLM_OK) break;
    if (running > 0) curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);
  }
  control.attach(nullptr);
  out.stopped = control.stop_requested();
  CURLcode code = CURLE_OK;
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left))
    if (msg->msg == CURLMSG_DONE) code = msg->data.result;
  curl_multi_remove_handle(multi.get(), h.get());
  out.status = state.status;
  if (!out.stopped && code != CURLE_OK) out.error = transport_error(code, error_buffer, "GET " + target);
  return out;
}

}  // namespace ephemera::docker
