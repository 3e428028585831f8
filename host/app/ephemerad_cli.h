// The ephemerad command line; main() only forwards to it.
#pragma once

namespace ephemera::app {
int ephemerad_main(int argc, char** argv);
}  // namespace ephemera::app
