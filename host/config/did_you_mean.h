// Near-miss suggestions for config keys and enum values: a typo should name
// its fix ("did you mean 'idle_timeout'?") instead of only being refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ephemera::config {

// Edit distance (insert, delete, substitute each cost 1).
size_t levenshtein(std::string_view a, std::string_view b);

// The closest candidate within distance 2, or a quarter of a long word (and closer than the word is long,
// so "ab" does not suggest "xy"); ties go to the first candidate.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ephemera::config
