#!/bin/sh
# The image's entry point: `api`, `worker` or `payments` picks the service; anything else runs as given.
# `exec node --import tsx ...` leaves no wrapper process between the container runtime and the service,
# so `docker stop`'s SIGTERM reaches the service itself, which drains (worker) or closes (servers).
set -eu
cd /app
case "${1:-api}" in
  api) exec node --import tsx src/api/main.ts ;;
  worker) exec node --import tsx src/worker/main.ts ;;
  payments) exec node --import tsx simulators/payment-gateway/main.ts ;;
  *) exec "$@" ;;
esac
