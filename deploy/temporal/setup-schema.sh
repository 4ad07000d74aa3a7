#!/bin/sh
# Sets up, or upgrades, Temporal's two PostgreSQL databases: `temporal` (persistence) and
# `temporal_visibility`, with temporal-sql-tool, as the official admin-tools image carries it.
# Safe to run again: an existing database is kept by create-database, `setup-schema -v 0.0` leaves a newer schema
# alone, and `update-schema` applies only the versions not applied yet (the upgrade path).
#
#   SQL_HOST=postgresql SQL_PORT=5432 SQL_USER=postgres SQL_PASSWORD=... deploy/temporal/setup-schema.sh
#
# docker-compose.yml runs it in temporalio/admin-tools (`temporal-schema`); a test runs it with the
# same tool built from go.temporal.io/server v1.29.1 against a real PostgreSQL.
set -eu

SQL_TOOL="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
# Where admin-tools keeps the server's schema files; the Go module's schema/ folder elsewhere.
SCHEMA_DIR="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}"
export SQL_PLUGIN="${SQL_PLUGIN:-postgres12}"
PERSISTENCE_DATABASE="${TEMPORAL_DATABASE:-temporal}"
VISIBILITY_DATABASE="${TEMPORAL_VISIBILITY_DATABASE:-temporal_visibility}"

for pair in "$PERSISTENCE_DATABASE:temporal" "$VISIBILITY_DATABASE:visibility"; do
  database=${pair%%:*}
  schema=${pair#*:}
  # create-database leaves an existing database alone (the tool treats "already exists" as done).
  "$SQL_TOOL" --db "$database" create-database
  echo "Database $database is there"
  "$SQL_TOOL" --db "$database" setup-schema -v 0.0
  "$SQL_TOOL" --db "$database" update-schema -d "$SCHEMA_DIR/postgresql/v12/$schema/versioned"
  echo "Schema of $database is up to date"
done
