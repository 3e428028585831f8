#!/usr/bin/env bash
# Runs a command with the private daemon's environment (STATE_DIR/env.sh:
# DOCKER_HOST, DOCKER_CONFIG, EPHEMERA_TEST_IMAGE, ...). Used by ctest.
# Usage: with-docker-env.sh STATE_DIR COMMAND [ARG...]
set -euo pipefail
state=$1
shift
if [[ ! -f $state/env.sh ]]; then
  echo "with-docker-env: $state/env.sh missing; did docker:dockerd_up run?" >&2
  exit 1
fi
# shellcheck disable=SC1091
. "$state/env.sh"
exec "$@"
