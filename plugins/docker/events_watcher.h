// The watch: one plugin-owned thread streaming
//   GET /events?filters={"type":["container"],"label":["ephemera.dev/instance=<id>"]}
// and pushing each status change to the host. dockerd keeps no durable
// event log (a ring of 256, emptied by its own restart; a slow reader misses
// events), so after every (re)connection the host is asked to reconcile by
// listing; `since` = the last timeNano narrows the gap and the inclusive
// replay is de-duplicated. Reconnects back off exponentially, capped.
//
// Thread-safety: start()/stop() are not called concurrently with each
// other (the ABI's watch_start/watch_stop contract); stop() joins the thread
// promptly — the stream is woken, not waited out — and no push happens
// after it returns.
#pragma once

#include "docker/docker_client.h"
#include "docker/event_mapping.h"

#include <ephemera/provider.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace ephemera::docker {

class EventsWatcher {
 public:
  EventsWatcher(sdk::Host host, DockerClient& client, std::string instance_id,
                std::chrono::milliseconds backoff_max);
  ~EventsWatcher();
  EventsWatcher(const EventsWatcher&) = delete;
  EventsWatcher& operator=(const EventsWatcher&) = delete;

  void start();  // no-op when running
  void stop();   // no-op when stopped

  // The stream's path (without the API version prefix), for tests.
  std::string target(int64_t since_time_nano) const;

 private:
  void run();
  // One connection: true when the daemon accepted the stream.
  bool session();
  void on_line(std::string_view line);
  bool sleep_unless_stopped(std::chrono::milliseconds how_long);

  const sdk::Host host_;
  DockerClient& client_;
  const std::string instance_label_;
  const std::chrono::milliseconds backoff_max_;
  StreamControl control_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  // Owned by the thread.
  EventDeduper dedup_;
  EventMapper mapper_;
  LineSplitter lines_;
};

}  // namespace ephemera::docker
