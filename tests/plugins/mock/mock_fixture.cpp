#include "mock_fixture.h"

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <random>

namespace ephemera::mock::test {

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("ephemera-mock-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string config_json(const std::filesystem::path& state_dir, const std::string& settings_members) {
  return R"({"schema":1,"provider":"mock-test","site":"lab","instance_id":"i-1","settings":{"state_dir":")" +
         state_dir.string() + "\"" + (settings_members.empty() ? "" : "," + settings_members) + "}}";
}

std::string spec_json(const std::string& name, const std::string& worker_id,
                      const std::string& mock_ext, const std::string& extra_labels) {
  return R"({"schema":1,"worker_id":")" + worker_id + R"(","name":")" + name +
         R"(","labels":{"ephemera.dev/managed-by":"ephemera","ephemera.dev/instance":"i-1","ephemera.dev/worker-id":")" +
         worker_id + "\"" + (extra_labels.empty() ? "" : "," + extra_labels) +
         R"(},"image":"registry.local/runner:3","command":["sh","-c","run-job"],"env":{"JOB_TOKEN":"s3cret"},"extensions":{"mock":{)" +
         mock_ext + "}}}";
}

std::string ref_id(const std::string& resource_id) {
  return R"({"schema":1,"resource_id":")" + resource_id + "\"}";
}

std::string ref_name(const std::string& name) { return R"({"schema":1,"name":")" + name + "\"}"; }

std::string selector_json(const std::string& label_members, int64_t limit,
                          const std::string& continue_token) {
  return R"({"schema":1,"labels":{)" + label_members + R"(},"limit":)" + std::to_string(limit) +
         R"(,"continue":")" + continue_token + "\"}";
}

json::object parse(const std::string& text) { return boost::json::parse(text).as_object(); }

std::string pointer_of(const sdk::Reply& reply) {
  if (reply.payload.empty()) return "";
  json::object doc = parse(reply.payload);
  const json::value* p = doc.if_contains("pointer");
  return p == nullptr ? "" : std::string(p->as_string());
}

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  static std::atomic<int> counter{0};
  std::filesystem::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp" +
                                                    std::to_string(counter++));
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
  }
  std::filesystem::rename(tmp, path);
}

MockFixture::MockFixture(const std::string& settings_members) { reopen(settings_members); }

void MockFixture::reopen(const std::string& settings_members) {
  provider_.reset();
  sdk::Reply r = MockProvider::open(host.host(), config_json(dir(), settings_members), provider_);
  REQUIRE(r.status == EPH_OK);
  REQUIRE(provider_ != nullptr);
}

sdk::Reply MockFixture::create(const std::string& name, const std::string& mock_ext,
                               const std::string& extra_labels) {
  return provider_->create(call(), spec_json(name, "w-" + name, mock_ext, extra_labels));
}

std::string MockFixture::create_ok(const std::string& name, const std::string& mock_ext,
                                   const std::string& extra_labels) {
  sdk::Reply r = create(name, mock_ext, extra_labels);
  INFO(r.message);
  REQUIRE(r.status == EPH_OK);
  return std::string(parse(r.payload).at("resource_id").as_string());
}

sdk::Reply MockFixture::get(const std::string& resource_id) {
  return provider_->get(call(), ref_id(resource_id));
}

sdk::Reply MockFixture::stop(const std::string& resource_id, int64_t grace_ms) {
  return provider_->stop(call(), ref_id(resource_id), std::chrono::milliseconds(grace_ms));
}

sdk::Reply MockFixture::destroy(const std::string& resource_id) {
  return provider_->destroy(call(), ref_id(resource_id), std::chrono::milliseconds(1000), false);
}

sdk::Reply MockFixture::list(const std::string& label_members, int64_t limit,
                             const std::string& continue_token) {
  return provider_->list(call(), selector_json(label_members, limit, continue_token));
}

void MockFixture::backend_down(bool down) {
  if (down)
    std::ofstream(dir() / "DOWN") << "maintenance\n";
  else
    std::filesystem::remove(dir() / "DOWN");
}

}  // namespace ephemera::mock::test
