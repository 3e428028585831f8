// GET /v1/events, including the long-poll follow: wait (bounded in time and
// in number of waiters) until an event after `after` exists.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/array.hpp>

#include "api/json_detail.h"
#include "api/replies.h"
#include "api/routes.h"

namespace ephemera::api::detail {
namespace json = boost::json;
namespace {

constexpr uint64_t kDefaultLimit = 500;
constexpr uint64_t kMaxLimit = 5000;
constexpr std::chrono::seconds kDefaultFollowTimeout(30);

struct EventsQuery {
  uint64_t after = 0;
  size_t limit = kDefaultLimit;
  std::optional<std::string> worker;
  bool follow = false;
  std::chrono::milliseconds timeout = kDefaultFollowTimeout;
};

Result<EventsQuery> events_query(const Target& t, const ApiOptions& options) {
  EventsQuery q;
  auto after = t.number("after", 0);
  auto limit = t.number("limit", kDefaultLimit);
  auto follow = t.flag("follow", false);
  auto timeout = t.duration("timeout", kDefaultFollowTimeout);
  for (const Status* s : {&after.status(), &limit.status(), &follow.status(), &timeout.status()}) {
    if (!s->is_ok()) return *s;
  }
  if (*limit == 0 || *limit > kMaxLimit) {
    return Status(StatusCode::kInvalidArgument, "query parameter 'limit': must be 1..5000");
  }
  q.after = *after;
  q.limit = static_cast<size_t>(*limit);
  q.worker = t.get("worker");
  q.follow = *follow;
  q.timeout = std::min(*timeout, options.max_follow_timeout);
  return q;
}

// `cursor`: where the reader continues when the page is empty.
Reply page_reply(const store::EventPage& page, uint64_t cursor) {
  json::array events;
  for (const auto& e : page.events) events.emplace_back(event_object(e));
  const uint64_t last = page.events.empty() ? cursor : std::max(cursor, page.events.back().seq);
  return json_reply(200, json::object{{"events", std::move(events)}, {"last_seq", last}});
}

Reply gone_reply(const store::EventPage& page, uint64_t after) {
  return error_reply(410, "GONE",
                     "events after " + std::to_string(after) + " were pruned; the retention horizon is " +
                         std::to_string(page.horizon) + ": resync from GET /v1/workers");
}

class Follower : public std::enable_shared_from_this<Follower> {
 public:
  Follower(std::shared_ptr<ServerState> state, EventsQuery q, Respond respond)
      : state_(std::move(state)), q_(std::move(q)), cursor_(q_.after), respond_(std::move(respond)),
        timer_(state_->io) {}

  void start(ClientGone& gone) {
    ++state_->followers;
    std::weak_ptr<Follower> weak = weak_from_this();
    // A client that hangs up stops the wait at once: nothing is buffered for it.
    gone.notify = [weak] {
      if (auto self = weak.lock()) self->finish(std::nullopt);
    };
    timer_.expires_after(q_.timeout);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->finish(std::nullopt);
    });
    arm();
  }

 private:
  // The backend may keep `wake` until some event comes; it holds only a weak
  // reference so a timed-out follower is freed.
  void arm() {
    std::weak_ptr<Follower> weak = weak_from_this();
    state_->backend.on_event_after(cursor_, [weak] {
      if (auto self = weak.lock()) self->on_wake();
    });
  }

  void on_wake() {
    if (done_) return;
    auto page = state_->backend.read_events(cursor_, q_.limit, q_.worker);
    if (!page) return finish(error_reply(page.status()));
    if (page->gone) return finish(gone_reply(*page, cursor_));
    if (!page->events.empty()) return finish(page_reply(*page, cursor_));
    // Events of other workers woke us: move the cursor past them and wait on.
    auto all = state_->backend.read_events(cursor_, q_.limit, std::nullopt);
    if (!all || all->events.empty()) return finish(std::nullopt);  // nothing to wait past: answer empty
    cursor_ = all->events.back().seq;
    arm();
  }

  // nullopt: the empty page (timeout, client gone).
  void finish(std::optional<Reply> reply) {
    if (done_) return;
    done_ = true;
    --state_->followers;
    timer_.cancel();
    respond_(reply ? std::move(*reply) : page_reply(store::EventPage{}, cursor_));
  }

  std::shared_ptr<ServerState> state_;
  EventsQuery q_;
  uint64_t cursor_;
  Respond respond_;
  boost::asio::steady_timer timer_;
  bool done_ = false;
};

}  // namespace

void read_events(Call& call) {
  auto q = events_query(call.target, call.state->options);
  if (!q) return call.respond(error_reply(q.status()));
  auto page = call.backend().read_events(q->after, q->limit, q->worker);
  if (!page) return call.respond(error_reply(page.status()));
  if (page->gone) return call.respond(gone_reply(*page, q->after));
  if (!q->follow || !page->events.empty()) return call.respond(page_reply(*page, q->after));
  if (call.state->followers >= call.state->options.max_followers) {
    return call.respond(error_reply(Status(StatusCode::kResourceExhausted, "too many event followers")));
  }
  auto follower = std::make_shared<Follower>(call.state, std::move(*q), call.respond);
  follower->start(*call.gone);
}

}  // namespace ephemera::api::detail
