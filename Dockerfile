# syntax=docker/dockerfile:1
# One image for both processes: `server` (default) and `worker`.
#   docker build -t stripe-leak-guard .
#   docker run --env-file .env -p 3000:3000 stripe-leak-guard
#   docker run --env-file .env stripe-leak-guard worker
# test/e2e/build-and-start.test.ts runs this file's RUN and CMD lines outside
# Docker, so keep each RUN a plain shell command.

# Build stage: the full dependency tree and the TypeScript compiler.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` builds lib/ and the sources are not here yet: skip scripts, build below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies and the compiled output only.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    METRICS_PORT=9464
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would try to compile without the compiler.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/lib ./lib
COPY bin ./bin
COPY app.yml ./
USER node
EXPOSE 3000 9464
# Probes the server's /healthz on PORT; docker-compose.yml points workers at METRICS_PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HEALTHCHECK_PORT || process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/stripe-leak-guard.js"]
CMD ["server"]
