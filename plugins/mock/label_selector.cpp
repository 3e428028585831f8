#include "mock/label_selector.h"

#include "mock/json_reader.h"

#include <algorithm>

namespace ephemera::mock {
namespace {

// Versioned so a future token format can tell old tokens apart.
constexpr std::string_view kTokenPrefix = "after1:";

}  // namespace

Result<Selector> parse_selector(const json::object& doc, int64_t default_limit) {
  ObjectReader r(doc, "");
  Selector s;
  s.labels = r.string_map("labels").value_or(Labels{});
  int64_t limit = r.integer("limit").value_or(0);
  std::string token = r.string("continue").value_or("");
  if (r.error()) return *r.error();
  s.limit = std::min(limit <= 0 ? default_limit : limit, kMaxPageSize);
  if (!token.empty()) {
    if (!token.starts_with(kTokenPrefix) || token.size() == kTokenPrefix.size())
      return invalid_argument("/continue", "/continue: not a token this plugin issued");
    s.after_id = token.substr(kTokenPrefix.size());
  }
  return s;
}

bool matches(const Labels& resource_labels, const Labels& selector) {
  return std::all_of(selector.begin(), selector.end(), [&](const auto& kv) {
    auto it = resource_labels.find(kv.first);
    return it != resource_labels.end() && it->second == kv.second;
  });
}

Page select_page(const std::vector<Resource>& sorted, const Selector& selector) {
  Page page;
  auto it = std::upper_bound(sorted.begin(), sorted.end(), selector.after_id,
                             [](const std::string& id, const Resource& r) { return id < r.resource_id; });
  for (; it != sorted.end(); ++it) {
    if (!matches(it->labels, selector.labels)) continue;
    if (static_cast<int64_t>(page.items.size()) == selector.limit) {
      page.continue_token = std::string(kTokenPrefix) + page.items.back()->resource_id;
      break;
    }
    page.items.push_back(&*it);
  }
  return page;
}

}  // namespace ephemera::mock
