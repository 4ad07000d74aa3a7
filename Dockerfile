# One image for the three services; the command picks which: `api` (the default), `worker`, `payments`.
#   docker build -t orders .
#   docker run orders worker
# Checked without a Docker engine (none on the machine it was written on): hadolint lints this file and
# test/deploy/dockerfile.test.ts checks its stages, its user, that every COPY'd path exists and is not
# left out by .dockerignore, and that the entry point names real files. It has not been built.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Production dependencies only. tsx, the Temporal SDK (with the bundler, used in the next stage only)
# and drizzle's migrator are runtime dependencies; the type checker, test runner and drizzle-kit are not.
FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
ENV NODE_ENV=production
# patches/ before the install: npm ci's postinstall applies them (postgres 3.4.9's socket-after-close fix).
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The workflow code, bundled once here so that no worker bundles at start (WORKFLOW_BUNDLE_PATH below).
# Two bundles: the traced one carries the OpenTelemetry workflow interceptor, for workers with
# OTEL_EXPORTER_OTLP_ENDPOINT set; the worker refuses a bundle that does not match its tracing.
FROM production-dependencies AS workflow-bundle
COPY tsconfig.json ./
COPY src ./src
COPY scripts/bundle-workflows.ts scripts/build-worker.ts ./scripts/
# The worker runs compiled, with plain node (dist/worker/main.mjs): tsx's loader cost it about 45 MB of RSS.
COPY devstack ./devstack
RUN node --import tsx scripts/bundle-workflows.ts --out dist/workflow-bundle.js \
 && node --import tsx scripts/bundle-workflows.ts --tracing --out dist/workflow-bundle-traced.js \
 && node --import tsx scripts/build-worker.ts

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# Two malloc arenas: glibc's default, eight per core, kept about 40 MB more of the worker's RSS.
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    MALLOC_ARENA_MAX=2
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
# What the services read at run time. The committed migrations run at every start.
COPY src ./src
COPY drizzle ./drizzle
# The stand-in payment provider (`payments`), with its own migrations; an image for a real provider can leave it out.
COPY simulators ./simulators
COPY --from=workflow-bundle /app/dist ./dist
COPY deploy/docker/entrypoint.sh /usr/local/bin/orders-entrypoint
# The base image's `node` user, by number (uid and gid 1000): Kubernetes' runAsNonRoot can only verify a
# numeric user. Nothing here needs root, and the files under /app belong to root, so the services cannot change them.
USER 1000:1000
# API, API metrics, payment simulator, worker metrics, Temporal SDK metrics.
EXPOSE 3000 9466 3001 9464 9465
ENTRYPOINT ["/usr/local/bin/orders-entrypoint"]
CMD ["api"]
