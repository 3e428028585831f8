// A mock provider instance on a fresh temporary state directory, driven by a
// FakeHost, with short-hands for building documents and calling operations.
#pragma once

#include "fake_host.h"
#include "mock/mock_provider.h"

#include <boost/json/object.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace ephemera::mock::test {

namespace json = boost::json;

// A directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Provider config with `settings_members` (JSON members, e.g. R"("thread_safe": false)")
// added next to state_dir.
std::string config_json(const std::filesystem::path& state_dir, const std::string& settings_members = "");

// A spec for worker `worker_id` named `name`; `mock_ext` is the body of
// extensions.mock; `extra_labels` more label members.
std::string spec_json(const std::string& name, const std::string& worker_id,
                      const std::string& mock_ext = "", const std::string& extra_labels = "");
std::string ref_id(const std::string& resource_id);
std::string ref_name(const std::string& name);
std::string selector_json(const std::string& label_members, int64_t limit = 0,
                          const std::string& continue_token = "");

json::object parse(const std::string& text);
// The "pointer" of an error payload ("" when there is none).
std::string pointer_of(const sdk::Reply& reply);

// Writes `text` to `path` atomically, as a test planting a file should.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

class MockFixture {
 public:
  explicit MockFixture(const std::string& settings_members = "");

  MockProvider& provider() { return *provider_; }
  // Closes the instance and opens a new one on the same directory.
  void reopen(const std::string& settings_members = "");
  void close() { provider_.reset(); }

  sdk::Call call(int64_t deadline_ms = 10'000) { return call_.call(host, deadline_ms); }
  sdk::Reply create(const std::string& name, const std::string& mock_ext = "",
                    const std::string& extra_labels = "");
  sdk::Reply get(const std::string& resource_id);
  sdk::Reply stop(const std::string& resource_id, int64_t grace_ms);
  sdk::Reply destroy(const std::string& resource_id);
  sdk::Reply list(const std::string& label_members = "", int64_t limit = 0,
                  const std::string& continue_token = "");
  // create() + REQUIRE ok; returns the resource_id.
  std::string create_ok(const std::string& name, const std::string& mock_ext = "",
                        const std::string& extra_labels = "");

  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path resource_file(const std::string& id) const {
    return dir() / "resources" / (id + ".json");
  }
  void backend_down(bool down);

  TempDir dir_;
  FakeHost host;
  FakeCall call_;

 private:
  std::unique_ptr<MockProvider> provider_;
};

}  // namespace ephemera::mock::test
