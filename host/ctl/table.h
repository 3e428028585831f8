// Aligned text columns for human output: every column as wide as its widest
// cell, two spaces between, no trailing blanks.
#pragma once

#include <string>
#include <vector>

namespace ephemera::ctl {

using Row = std::vector<std::string>;

// The header row first, then the rows; each line ends with '\n'.
std::string format_table(const Row& header, const std::vector<Row>& rows);

}  // namespace ephemera::ctl
