#include "domain/policy.h"

#include <catch2/catch.hpp>

using namespace ephemera;
using namespace ephemera::domain;
using namespace std::chrono_literals;

TEST_CASE("layers apply site default, then provider, then request") {
  WorkerPolicy site;
  PolicyOverrides provider, request;
  provider.idle_timeout = 5min;
  provider.ttl_after_completion = 1min;
  request.idle_timeout = 2min;
  auto p = effective_policy(site, provider, request, PolicyLimits{});
  REQUIRE(p);
  CHECK(p->idle_timeout == 2min);
  CHECK(p->ttl_after_completion == 1min);
  CHECK(p->max_lifetime == site.max_lifetime);
}

TEST_CASE("site maxima cap what a request asks for") {
  PolicyLimits limits;
  limits.max_lifetime = 2h;
  PolicyOverrides request;
  request.max_lifetime = 48h;
  auto p = effective_policy(WorkerPolicy{}, {}, request, limits);
  REQUIRE(p);
  CHECK(p->max_lifetime == 2h);
}

TEST_CASE("invalid values are refused naming the field") {
  PolicyOverrides request;
  request.idle_timeout = 0ms;
  auto p = effective_policy(WorkerPolicy{}, {}, request, PolicyLimits{});
  REQUIRE_FALSE(p);
  CHECK(p.status().code() == StatusCode::kInvalidArgument);
  CHECK(p.status().message() == "policy.request.idle_timeout must be positive");
  PolicyOverrides provider;
  provider.orphan_grace = -1ms;
  CHECK(effective_policy(WorkerPolicy{}, provider, {}, PolicyLimits{}).status().message() ==
        "policy.provider.orphan_grace must be zero or positive");
  // A TTL of zero is valid: "delete at once".
  request = {};
  request.ttl_after_completion = 0ms;
  CHECK(effective_policy(WorkerPolicy{}, {}, request, PolicyLimits{}));
}
