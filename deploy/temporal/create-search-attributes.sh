#!/bin/sh
# Registers the order search attributes on a Temporal cluster: the step a real cluster needs once
# per namespace (the dev server registers them itself at launch, with --search-attribute).
# Safe to run again: attributes that exist already are left alone.
#
#   TEMPORAL_ADDRESS=temporal.example:7233 TEMPORAL_NAMESPACE=orders deploy/temporal/create-search-attributes.sh
#
# Each line is `temporal operator search-attribute create --name NAME --type TYPE`. The names and
# types are those of src/workflows/search-attributes.ts; a test keeps the two the same.
set -eu

TEMPORAL="${TEMPORAL_CLI:-temporal}"
ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"

existing=$("$TEMPORAL" operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" --output json)

for attribute in OrderStatus=Keyword CustomerId=Keyword OrderTotal=Double; do
  name=${attribute%%=*}
  type=${attribute#*=}
  if printf '%s' "$existing" | grep -q "\"$name\""; then
    echo "Search attribute $name exists in namespace $NAMESPACE"
  else
    "$TEMPORAL" operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" --name "$name" --type "$type"
    echo "Created search attribute $name ($type) in namespace $NAMESPACE"
  fi
done
