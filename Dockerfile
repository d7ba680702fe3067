# syntax=docker/dockerfile:1
# One image for every workpipe service: APP picks which one runs.
#
#   docker build -t workpipe:local .
#   docker run --rm -e APP=ingestor -e HTTP_PORT=3000 -p 3000:3000 workpipe:local
#   docker run --rm workpipe:local node dist/tools/simulator/main.js      # any built entry point
#
# docker-compose.yml builds it once and runs ingestor, processor, retrier, stats and the simulator from it.

ARG NODE_IMAGE=node:20-slim

# ---- build: all dependencies, compile TypeScript to dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# patches/: fixes to dependencies that npm ci applies (postinstall: patch-package)
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- production dependencies only (no jest, testcontainers, nest cli...) ----
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
# The `node` user (uid 1000) ships with the official image: the services never need root.
USER node

# Which service to run: ingestor | processor | retrier | stats (built to dist/apps/<app>/src/main.js,
# as the start:<app> scripts in package.json). A `command:` (or `docker run ... <cmd>`) overrides it.
ARG APP=ingestor
ENV APP=${APP}
EXPOSE 3000 3001 3002 3003 4010
# exec: node becomes the main process and gets SIGTERM directly, for a clean shutdown.
CMD ["sh", "-c", "exec node \"dist/apps/${APP}/src/main.js\""]
