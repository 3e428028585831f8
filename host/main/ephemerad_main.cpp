// ephemerad: everything lives in ephemera_host; main() only forwards.
#include "app/ephemerad_cli.h"

int main(int argc, char** argv) { return ephemera::app::ephemerad_main(argc, argv); }
