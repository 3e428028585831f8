// The pure half of the watch: reading `GET /events` lines, de-duplicating the
// inclusive replay a reconnect with `since` brings, and turning an event into
// the worker info the host is pushed. No I/O, so unit tests pin all of it.
#pragma once

#include "docker/json_reader.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

namespace ephemera::docker {

struct DockerEvent {
  int64_t time_nano = 0;
  std::string id;
  std::string action;      // create, start, die, destroy, oom, ...
  Labels attributes;       // container labels plus name, image, exitCode, ...
};

// One line of the stream; nullopt for anything that is not a container event.
std::optional<DockerEvent> parse_event(std::string_view line);

// `since` for a reconnect: "secs.nanos" of the last event seen. Replay is
// inclusive, which EventDeduper absorbs.
std::string since_param(int64_t time_nano);

// Drops events already delivered. The stream is ordered by time, so only
// events at the newest timestamp can come again: it remembers the keys
// (timeNano, id, action) at that timestamp and everything older is a repeat.
// Memory stays bounded however long the stream runs.
class EventDeduper {
 public:
  bool accept(const DockerEvent& e);
  int64_t high_water() const { return high_water_; }

 private:
  int64_t high_water_ = 0;
  std::set<std::tuple<int64_t, std::string, std::string>> at_high_water_;
};

// Event → worker info to push, or nullopt for actions that change no state
// (kill, stop, exec_*, attach...). Remembers OOM kills until the die that
// follows, so that die is reported as reason "oom".
class EventMapper {
 public:
  std::optional<json::object> map(const DockerEvent& e);

 private:
  std::set<std::string> oom_killed_;
};

// Splits newline-delimited JSON out of stream chunks.
class LineSplitter {
 public:
  template <class OnLine>
  void feed(std::string_view chunk, OnLine&& on_line) {
    buffer_.append(chunk);
    size_t start = 0;
    for (size_t nl; (nl = buffer_.find('\n', start)) != std::string::npos; start = nl + 1)
      if (nl > start) on_line(std::string_view(buffer_).substr(start, nl - start));
    buffer_.erase(0, start);
  }
  void clear() { buffer_.clear(); }

 private:
  std::string buffer_;
};

}  // namespace ephemera::docker
