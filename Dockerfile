# One image for the three services (api, worker, payments); docker-compose.yml picks the entry point.
# UNTESTED: there was no Docker engine where this was written. `npm start` is the tested way to run.
FROM node:20-slim

WORKDIR /app
ENV NODE_ENV=production

# Dependencies first, so that a source change does not reinstall them.
# tsx, the Temporal SDK (with its bundler for the workflow code) and drizzle's migrator are all runtime
# dependencies; only the type checker, the test runner and drizzle-kit are dev-only.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Only what the services read at run time. The committed migrations run at every start.
COPY tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
# The stand-in payment provider that docker-compose.yml runs as `payments`, with its own migrations.
# A deployment against a real provider can leave this line out.
COPY simulators ./simulators

USER node
# API, payment gateway, worker metrics, Temporal SDK metrics.
EXPOSE 3000 3001 9464 9465

# `node --import tsx` rather than `npx tsx`: no wrapper process between docker and the service, so
# `docker stop`'s SIGTERM reaches the service itself, which drains (worker) or closes (servers) gracefully.
CMD ["node", "--import", "tsx", "src/api/main.ts"]
