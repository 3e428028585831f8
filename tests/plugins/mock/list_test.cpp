#include "mock_fixture.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace ephemera::mock;
using namespace ephemera::mock::test;
using ephemera::sdk::Reply;

namespace {

std::set<std::string> ids_of(const Reply& r) {
  INFO(r.message);
  REQUIRE(r.status == EPH_OK);
  std::set<std::string> ids;
  json::object page = parse(r.payload);
  for (const auto& item : page.at("items").as_array())
    ids.insert(std::string(item.at("resource_id").as_string()));
  return ids;
}

// Every page of a listing, following continue tokens.
std::vector<std::vector<std::string>> all_pages(MockFixture& f, const std::string& labels,
                                                int64_t limit) {
  std::vector<std::vector<std::string>> pages;
  std::string token;
  do {
    Reply r = f.list(labels, limit, token);
    REQUIRE(r.status == EPH_OK);
    json::object page = parse(r.payload);
    pages.emplace_back();
    for (const auto& item : page.at("items").as_array())
      pages.back().emplace_back(item.at("resource_id").as_string());
    token = std::string(page.at("continue").as_string());
  } while (!token.empty() && pages.size() < 100);
  return pages;
}

}  // namespace

TEST_CASE("list selects by label subset", "[mock][list]") {
  MockFixture f;
  std::string ci = f.create_ok("a", "", R"("team":"ci")");
  std::string ml = f.create_ok("b", "", R"("team":"ml")");
  std::string ci2 = f.create_ok("c", "", R"("team":"ci","tier":"gold")");
  CHECK(ids_of(f.list()) == std::set<std::string>{ci, ml, ci2});
  CHECK(ids_of(f.list(R"("team":"ci")")) == std::set<std::string>{ci, ci2});
  CHECK(ids_of(f.list(R"("team":"ci","tier":"gold")")) == std::set<std::string>{ci2});
  CHECK(ids_of(f.list(R"("ephemera.dev/instance":"i-1")")).size() == 3);
  CHECK(ids_of(f.list(R"("ephemera.dev/instance":"someone-else")")).empty());
  CHECK(ids_of(f.list(R"("team":"ci","nope":"x")")).empty());
}

TEST_CASE("list items are worker info with the state at the host's now", "[mock][list]") {
  MockFixture f;
  f.create_ok("a", R"("run_ms": 10, "exit_code": 2)");
  f.host.advance(std::chrono::milliseconds(10));
  json::object item = parse(f.list().payload).at("items").as_array().at(0).as_object();
  CHECK(item.at("state").as_string() == "exited");
  CHECK(item.at("exit_code").as_int64() == 2);
  CHECK(item.at("name").as_string() == "a");
}

TEST_CASE("list paginates with limit and continue", "[mock][list]") {
  MockFixture f;
  std::set<std::string> created;
  for (int i = 0; i < 7; ++i) created.insert(f.create_ok("w" + std::to_string(i)));
  auto pages = all_pages(f, "", 3);
  REQUIRE(pages.size() == 3);
  CHECK(pages[0].size() == 3);
  CHECK(pages[1].size() == 3);
  CHECK(pages[2].size() == 1);
  std::set<std::string> seen;
  for (const auto& page : pages) seen.insert(page.begin(), page.end());
  CHECK(seen == created);

  SECTION("an exact multiple ends with a full page and an empty token") {
    auto exact = all_pages(f, "", 7);
    REQUIRE(exact.size() == 1);
    CHECK(exact[0].size() == 7);
  }
  SECTION("pagination combines with a label filter") {
    f.create_ok("x1", "", R"("team":"ci")");
    f.create_ok("x2", "", R"("team":"ci")");
    auto ci = all_pages(f, R"("team":"ci")", 1);
    REQUIRE(ci.size() == 2);
  }
}

TEST_CASE("limit <= 0 uses page_size", "[mock][list]") {
  MockFixture f(R"("page_size": 2)");
  for (int i = 0; i < 5; ++i) f.create_ok("w" + std::to_string(i));
  CHECK(all_pages(f, "", 0).size() == 3);
  CHECK(all_pages(f, "", -5).size() == 3);
}

TEST_CASE("a removal between pages neither repeats nor skips the rest", "[mock][list]") {
  MockFixture f;
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(f.create_ok("w" + std::to_string(i)));
  std::sort(ids.begin(), ids.end());
  Reply first = f.list("", 2);
  json::object page = parse(first.payload);
  std::string token(page.at("continue").as_string());
  REQUIRE(f.destroy(ids[2]).status == EPH_OK);
  auto rest = ids_of(f.list("", 10, token));
  CHECK(rest == std::set<std::string>{ids[3], ids[4], ids[5]});
}

TEST_CASE("a continue token the plugin did not issue is INVALID_ARGUMENT", "[mock][list]") {
  MockFixture f;
  Reply r = f.list("", 2, "garbage");
  CHECK(r.status == EPH_INVALID_ARGUMENT);
  CHECK(pointer_of(r) == "/continue");
}
