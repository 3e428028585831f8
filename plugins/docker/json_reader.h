// The shared strict JSON reader (support/json_reader.h), in this plugin's namespace.
#pragma once

#include "docker/result.h"
#include "support/json_reader.h"

namespace ephemera::docker {

namespace json = boost::json;
using plugin_support::Labels;
using plugin_support::ObjectReader;
using plugin_support::parse_document;
using plugin_support::pointer_append;

}  // namespace ephemera::docker
