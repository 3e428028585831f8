#include "api/http_session.h"

#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "api/replies.h"
#include "api/routes.h"

namespace ephemera::api::detail {
namespace http = boost::beast::http;
using boost::system::error_code;

HttpSession::HttpSession(std::shared_ptr<ServerState> state, Socket socket)
    : state_(std::move(state)), socket_(std::move(socket)), timer_(socket_.get_executor()) {
  ++state_->active;
}

HttpSession::~HttpSession() {
  if (phase_ != Phase::kClosed) state_->idle_closers.erase(closer_);
  --state_->active;
}

void HttpSession::start() {
  std::weak_ptr<HttpSession> weak = weak_from_this();
  closer_ = state_->idle_closers.insert(state_->idle_closers.end(), [weak] {
    if (auto self = weak.lock()) self->close_if_idle();
  });
  await_request();
}

void HttpSession::close_if_idle() {
  if (phase_ == Phase::kIdle) close();
}

void HttpSession::await_request() {
  phase_ = Phase::kIdle;
  if (state_->stopping) return close();
  if (buffer_.size() > 0) return read_request();  // pipelined bytes are already here
  arm_timer(state_->options.idle_timeout);
  if (watching_) {
    resume_after_watch_ = true;
    return;
  }
  socket_.async_wait(Socket::wait_read, [self = shared_from_this()](error_code ec) {
    if (ec || self->phase_ != Phase::kIdle) return self->close();
    self->read_request();
  });
}

void HttpSession::read_request() {
  phase_ = Phase::kReading;
  // From the first byte on, the whole request gets request_timeout: a client
  // trickling bytes cannot hold a connection slot forever.
  arm_timer(state_->options.request_timeout);
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
  parser_->body_limit(state_->options.max_body_bytes);
  http::async_read(socket_, buffer_, *parser_,
                   [self = shared_from_this()](error_code ec, size_t) { self->on_read(ec); });
}

void HttpSession::on_read(error_code ec) {
  if (phase_ == Phase::kClosed) return;
  if (ec == http::error::body_limit) return fail(413, "PAYLOAD_TOO_LARGE", "the body is over the size limit");
  if (ec == http::error::header_limit) {
    return fail(431, "INVALID_ARGUMENT", "the request line and headers are over the size limit");
  }
  if (ec && ec.category() == http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return fail(400, "INVALID_ARGUMENT", "malformed HTTP request: " + ec.message());
  }
  if (ec) return close();  // hang-up, timeout, reset: nobody to answer
  dispatch();
}

void HttpSession::dispatch() {
  phase_ = Phase::kHandling;
  disarm_timer();
  auto& req = parser_->get();
  keep_alive_ = req.keep_alive();
  HttpRequest request{std::string(req.method_string()), std::string(req.target()),
                      std::string(req[http::field::authorization]), std::move(req.body())};
  parser_.reset();
  gone_ = std::make_shared<ClientGone>();
  try {
    route(state_, std::move(request), gone_, [self = shared_from_this()](Reply r) { self->send(std::move(r)); });
  } catch (const std::exception& e) {
    // A bug or bad_alloc in a handler must not take the daemon down.
    spdlog::error("admin API: handler failed: {}", e.what());
    if (phase_ == Phase::kHandling) send(error_reply(500, "INTERNAL", "internal error"));
  }
  if (phase_ == Phase::kHandling) watch_client();
}

void HttpSession::watch_client() {
  watching_ = true;
  socket_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](error_code ec, size_t n) {
    self->on_watch(ec, n);
  });
}

void HttpSession::on_watch(error_code ec, size_t bytes) {
  watching_ = false;
  if (ec) {
    if (gone_ && gone_->notify && phase_ == Phase::kHandling) gone_->notify();
    return close();
  }
  buffer_.commit(bytes);  // the next (pipelined) request has begun
  if (resume_after_watch_) {
    resume_after_watch_ = false;
    await_request();
  }
}

void HttpSession::send(Reply reply) {
  if (phase_ != Phase::kHandling) return;  // closed meanwhile (client gone, stop)
  phase_ = Phase::kWriting;
  response_ = {};
  response_.version(11);
  response_.result(reply.status);
  response_.set(http::field::content_type, reply.content_type);
  if (reply.retry_after) response_.set(http::field::retry_after, std::to_string(reply.retry_after->count()));
  if (!reply.allow.empty()) response_.set(http::field::allow, reply.allow);
  if (reply.ask_for_token) response_.set(http::field::www_authenticate, "Bearer");
  response_.keep_alive(keep_alive_ && !state_->stopping);
  response_.body() = std::move(reply.body);
  response_.prepare_payload();
  arm_timer(state_->options.request_timeout);  // a client that never reads is cut too
  http::async_write(socket_, response_, [self = shared_from_this()](error_code ec, size_t) { self->on_written(ec); });
}

void HttpSession::on_written(error_code ec) {
  if (ec || !response_.keep_alive()) return close();
  await_request();
}

// Answers a request that could not be read, then closes: after a framing
// error the stream position is unknown.
void HttpSession::fail(unsigned status, std::string_view code, const std::string& message) {
  phase_ = Phase::kHandling;
  keep_alive_ = false;
  send(error_reply(status, code, message));
}

void HttpSession::arm_timer(std::chrono::milliseconds d) {
  timer_.expires_after(d);
  timer_.async_wait([weak = weak_from_this()](error_code ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    // A re-arm may race a completion already queued: only a deadline that
    // really passed closes the connection.
    if (self->timer_.expiry() <= std::chrono::steady_clock::now()) self->close();
  });
}

void HttpSession::disarm_timer() { timer_.expires_at(std::chrono::steady_clock::time_point::max()); }

void HttpSession::close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  state_->idle_closers.erase(closer_);
  disarm_timer();
  error_code ignored;
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace ephemera::api::detail
