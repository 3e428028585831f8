#include <catch2/catch.hpp>

#include <set>

#include "engine/worker_spec.h"

using namespace ephemera;

TEST_CASE("worker ids: w- and 13 base32 digits holding all 64 bits, inline in a std::string") {
  CHECK(engine::worker_id_from_bits(0) == "w-aaaaaaaaaaaaa");
  CHECK(engine::worker_id_from_bits(~uint64_t{0}) == "w-p777777777777");  // top digit holds 4 bits
  CHECK(engine::worker_id_from_bits(1) == "w-aaaaaaaaaaaab");
  CHECK(engine::worker_id_from_bits(uint64_t{1} << 63) == "w-iaaaaaaaaaaaa");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = engine::new_worker_id();
    REQUIRE(id.size() == 15);
    CHECK(id.capacity() == 15);  // the small-string buffer: no allocation per copy
    CHECK(id.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567", 2) == std::string::npos);
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
  CHECK(engine::resource_name("site", "w-aaaaaaaaaaaab") == "eph-site-w-aaaaaaaaaaaab");
}
