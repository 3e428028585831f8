// ephemeractl's whole run, from argv to exit code, over an HttpClient seam:
// the binary passes the unix-socket client, tests a fake one.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "ctl/args.h"
#include "ctl/http_client.h"

namespace ephemera::ctl {

struct Streams {
  std::istream& in;  // --spec -
  std::ostream& out;
  std::ostream& err;
};

// `client` null: one is made for the socket the arguments name. Returns the
// process exit code (ExitCode values).
int run_ctl(const std::vector<std::string>& argv, const Environment& env, HttpClient* client, Streams io);

std::string help_text();

}  // namespace ephemera::ctl
