// List selection: label subset match and stable pagination. Pages are cut in
// resource_id order and the continue token names the last id returned, so a
// resource created or removed between pages neither repeats nor shifts others.
#pragma once

#include "mock/resource.h"
#include "mock/result.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ephemera::mock {

inline constexpr int64_t kMaxPageSize = 1000;

struct Selector {
  Labels labels;
  int64_t limit = 0;         // already defaulted and capped
  std::string after_id;      // from the continue token; empty = first page
};

// Parses {"schema":1,"labels":{...},"limit":N,"continue":"..."} (already
// schema-checked). limit <= 0 or absent means `default_limit`.
Result<Selector> parse_selector(const boost::json::object& doc, int64_t default_limit);

// Every selector label is on the resource with the same value.
bool matches(const Labels& resource_labels, const Labels& selector);

struct Page {
  std::vector<const Resource*> items;
  std::string continue_token;  // empty on the last page
};

// `sorted` must be in resource_id order (StateStore::load_all gives that).
Page select_page(const std::vector<Resource>& sorted, const Selector& selector);

}  // namespace ephemera::mock
