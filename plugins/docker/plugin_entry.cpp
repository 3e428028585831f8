// The only file that touches the C ABI: exports DockerProvider as
// ephemera-docker.so's one entry symbol.
#include "docker/docker_provider.h"

#include <ephemera/provider.hpp>

EPHEMERA_PROVIDER_PLUGIN(ephemera::docker::DockerProvider, "docker", "0.1.0")
