#!/bin/sh
# Creates the namespace the services use, once: a real cluster starts with none but the system one
# (the dev server creates `default` itself). Safe to run again. Waits for the frontend first.
#
#   TEMPORAL_ADDRESS=temporal:7233 TEMPORAL_NAMESPACE=default deploy/temporal/create-namespace.sh
set -eu

TEMPORAL="${TEMPORAL_CLI:-temporal}"
ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
# How long completed orders' histories stay readable (the server's default is a day).
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-72h}"

attempts=0
until "$TEMPORAL" operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
  attempts=$((attempts + 1))
  if [ "$attempts" -ge 60 ]; then
    echo "Temporal frontend at $ADDRESS did not answer" >&2
    exit 1
  fi
  sleep 2
done

if "$TEMPORAL" operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "Namespace $NAMESPACE exists"
else
  "$TEMPORAL" operator namespace create --address "$ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION"
  echo "Created namespace $NAMESPACE"
fi

# A new namespace reaches every frontend's cache a few seconds later; the search attributes need it there.
attempts=0
until "$TEMPORAL" operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; do
  attempts=$((attempts + 1))
  if [ "$attempts" -ge 30 ]; then
    echo "Namespace $NAMESPACE did not become usable at $ADDRESS" >&2
    exit 1
  fi
  sleep 1
done
