# One image for the api and the worker (README, "Operating"): the command chooses.
#   docker run … xkld                                   the api (the default command)
#   docker run … xkld node -r ./scripts/register-dist-paths.js dist/apps/worker/src/main.js
#   docker run … xkld npm run migrate                   migrations (and `npm run seed` for the demo data)
# Give it a stop timeout above the drain settings (`docker stop -t 45`, compose `stop_grace_period`), and
# `--init` (compose `init: true`) so that PID 1 passes signals on and reaps children.

# Build: every dependency, the TypeScript compiled into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund --omit=optional
COPY . .
RUN npm run build

# Runtime: production dependencies, the build, and the few source files read at run time.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund --omit=dev --omit=optional && npm cache clean --force
COPY --from=build /app/dist ./dist
# register-dist-paths.js resolves the @app/* aliases with tsconfig.json's paths; the pages' views and assets are
# read from apps/web (apps/web/src/assets.ts); healthcheck.js is the HEALTHCHECK below.
COPY tsconfig.json ./
COPY scripts/register-dist-paths.js scripts/healthcheck.js ./scripts/
COPY apps/web/views ./apps/web/views
COPY apps/web/assets ./apps/web/assets
# The image's own user (uid 1000), not root: nothing here is writable by it, nor needs to be.
USER node
EXPOSE 3000
# Liveness of the api (GET /api/v1/health/live on 127.0.0.1:$PORT); a worker container is healthy while its
# process runs. Node's fetch: no curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "/app/scripts/healthcheck.js"]
# Node itself, not `npm run`, so that SIGTERM reaches the process that drains.
CMD ["node", "-r", "./scripts/register-dist-paths.js", "dist/apps/api/src/main.js"]
