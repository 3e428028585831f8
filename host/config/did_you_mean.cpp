#include "config/did_you_mean.h"

#include <algorithm>
#include <numeric>

namespace ephemera::config {

size_t levenshtein(std::string_view a, std::string_view b) {
  // One row of the classic table is enough.
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  // Two edits, or a quarter of a long word ("ttl_after_complete").
  const size_t kMaxDistance = std::max<size_t>(2, word.size() / 4);
  std::optional<std::string> best;
  size_t best_distance = kMaxDistance + 1;
  for (const std::string& c : candidates) {
    size_t d = levenshtein(word, c);
    if (d < best_distance && d < word.size()) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace ephemera::config
