// Human output of ephemeractl: from the API's JSON answers to tables and
// short lines. `-o json` bypasses all of this and prints the body as is.
#pragma once

#include <string>

#include "ctl/args.h"
#include "ctl/time_text.h"

namespace ephemera::ctl {

// The table or line for one successful answer of `command`. A body that is
// not the JSON expected is printed as is rather than dropped.
std::string render(Command command, const std::string& body, SysTime now);

// One event per line, for `events` (and each page of `events --follow`).
std::string render_events(const std::string& body);

}  // namespace ephemera::ctl
