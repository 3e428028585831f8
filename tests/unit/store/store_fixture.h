// Shared by the store tests: a temporary state dir and event builders.
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "domain/event.h"
#include "domain/transitions.h"
#include "store/sqlite_event_store.h"

namespace ephemera::store::testing {

using domain::Event;
using domain::EventType;
using namespace std::chrono_literals;

inline const WallTime kT0 = WallTime(std::chrono::milliseconds(1'760'000'000'000));

// A fresh directory, removed with everything in it at scope end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ephemera-store-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline domain::CreationIntent intent_for(const std::string& id, size_t spec_bytes = 20) {
  domain::CreationIntent in;
  in.provider = "mock";
  in.resource_name = "eph-site-" + id;
  in.labels = {{"ephemera.io/managed-by", "ephemerad"}, {"ephemera.io/worker-id", id}};
  in.spec_hash = "sha256:0123456789abcdef";
  in.redacted_spec = "{\"image\":\"" + std::string(spec_bytes, 'x') + "\"}";
  return in;
}

inline Event created(const std::string& id, WallTime at = kT0, size_t spec_bytes = 20) {
  return domain::worker_created(id, intent_for(id, spec_bytes), at);
}

inline Event event(EventType type, const std::string& id, WallTime at = kT0) {
  Event e;
  e.type = type;
  e.worker_id = id;
  e.at = at;
  if (type == EventType::kWorkerInitializing) e.resource_id = "res-" + id;
  return e;
}

// Created → Initializing → Ready → Terminating → Terminated → CleanedUp, the
// last at `cleaned_at`.
inline std::vector<Event> whole_life(const std::string& id, WallTime cleaned_at) {
  std::vector<Event> out = {created(id), event(EventType::kWorkerInitializing, id),
                            event(EventType::kWorkerReady, id), event(EventType::kWorkerTerminating, id),
                            event(EventType::kWorkerTerminated, id),
                            event(EventType::kWorkerCleanedUp, id, cleaned_at)};
  out[3].reason = out[4].reason = "completed";
  return out;
}

inline std::unique_ptr<SqliteEventStore> open_store(const StoreOptions& options) {
  auto store = SqliteEventStore::open(options);
  INFO(store.status().to_string());
  REQUIRE(store);
  return std::move(*store);
}

// Appends and insists it worked.
inline Appended must_append(EventStore& store, std::vector<Event> events) {
  auto r = store.append(std::move(events));
  INFO(r.status().to_string());
  REQUIRE(r);
  return std::move(*r);
}

inline std::vector<Event> all_events(EventStore& store) {
  auto page = store.read_events(0, 1'000'000, std::nullopt);
  REQUIRE(page);
  return page->events;
}

}  // namespace ephemera::store::testing
