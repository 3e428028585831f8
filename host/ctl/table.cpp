#include "ctl/table.h"

#include <algorithm>

namespace ephemera::ctl {
namespace {

void append_row(std::string& out, const Row& row, const std::vector<size_t>& widths) {
  std::string line;
  for (size_t i = 0; i < row.size(); ++i) {
    line += row[i];
    if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out += line;
  out += '\n';
}

}  // namespace

std::string format_table(const Row& header, const std::vector<Row>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto widen = [&](const Row& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  };
  widen(header);
  for (const Row& row : rows) widen(row);
  std::string out;
  append_row(out, header, widths);
  for (const Row& row : rows) {
    Row fitted = row;
    fitted.resize(header.size());  // a short row gets empty cells, never a crash
    append_row(out, fitted, widths);
  }
  return out;
}

}  // namespace ephemera::ctl
