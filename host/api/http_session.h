// HttpSession: one accepted connection. Reads requests with Beast (header and
// body limits), cuts clients that idle or trickle, answers through the router,
// keeps the connection alive between requests. Internal to host/api.
//
// Phases: idle (waiting for a first byte; idle_timeout) → reading (the whole
// request must arrive within request_timeout) → handling (no deadline of ours;
// the client is watched for hang-ups) → writing (request_timeout) → idle.
#pragma once

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <list>
#include <memory>
#include <optional>

#include "api/http_exchange.h"
#include "api/server_state.h"

namespace ephemera::api::detail {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  using Socket = boost::asio::local::stream_protocol::socket;

  HttpSession(std::shared_ptr<ServerState> state, Socket socket);
  ~HttpSession();
  void start();
  // Closes the connection if it is between requests (AdminApi::stop).
  void close_if_idle();

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kClosed };

  void await_request();
  void read_request();
  void on_read(boost::system::error_code ec);
  void dispatch();
  void watch_client();
  void on_watch(boost::system::error_code ec, size_t bytes);
  void send(Reply reply);
  void on_written(boost::system::error_code ec);
  void fail(unsigned status, std::string_view code, const std::string& message);
  void arm_timer(std::chrono::milliseconds d);
  void disarm_timer();
  void close();

  std::shared_ptr<ServerState> state_;
  Socket socket_;
  boost::asio::steady_timer timer_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::shared_ptr<ClientGone> gone_;
  std::list<std::function<void()>>::iterator closer_;
  Phase phase_ = Phase::kIdle;
  bool keep_alive_ = true;
  bool watching_ = false;            // a read is pending to notice hang-ups while handling
  bool resume_after_watch_ = false;  // await_request once that read completes
};

}  // namespace ephemera::api::detail
