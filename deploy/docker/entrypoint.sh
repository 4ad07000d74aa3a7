#!/bin/sh
# The image's entry point: `api`, `worker` or `payments` picks the service; anything else runs as given.
# `exec node ...` leaves no wrapper process between the container runtime and the service,
# so `docker stop`'s SIGTERM reaches the service itself, which drains (worker) or closes (servers).
set -eu
cd /app
case "${1:-api}" in
  api) exec node --import tsx src/api/main.ts ;;
  worker)
    # Compiled at build time (scripts/build-worker.ts), with the memory flags of bench/README.md
    # "Worker memory": WORKER_MAX_HEAP_MB and WORKER_MAX_SEMI_SPACE_MB, 0 for V8's own sizes.
    heap="${WORKER_MAX_HEAP_MB:-256}"
    semi="${WORKER_MAX_SEMI_SPACE_MB:-4}"
    set --
    [ "$heap" = 0 ] || set -- "$@" "--max-old-space-size=$heap"
    [ "$semi" = 0 ] || set -- "$@" "--max-semi-space-size=$semi"
    exec node "$@" dist/worker/main.mjs ;;
  payments) exec node --import tsx simulators/payment-gateway/main.ts ;;
  *) exec "$@" ;;
esac
