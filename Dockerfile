# syntax=docker/dockerfile:1
# The iact-bot image: built in one stage (TypeScript compiled, Prisma client
# generated offline), run in another that holds only the production
# dependencies, the compiled app and the SQL migrations, as a non-root user.
#
#   docker build -t iact-bot .
#   docker run --env-file .env -p 3000:3000 iact-bot            # serve (the default)
#   docker run --env-file .env iact-bot migrate                 # any other iact-bot command
#
# docs/deploy.md explains the settings, the database and the compose setup.

# Node 24 is the LTS line the app and its tests run on (package.json engines).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Install scripts are skipped: the only one that matters (Prisma's engine
# download) needs the network and is not used; generation runs offline below.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY scripts/prisma-generate.mjs ./scripts/
COPY prisma ./prisma
COPY src ./src
# npm run build = the Prisma client into src/store/generated, then tsc into dist/.
RUN npm run build

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Owned by root and read-only for the app's user: the process cannot rewrite its own code.
COPY --from=production-dependencies /app/node_modules ./node_modules
# package.json: the version in /api/openapi.json; app.yml: the setup flow's manifest.
COPY package.json app.yml ./
# `iact-bot migrate` (and the server at start) reads the SQL from here.
COPY prisma/migrations ./prisma/migrations
COPY --from=build /app/dist ./dist
# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# Liveness only: /health answers while the process serves, even when MySQL is down (/ready tells that).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]
