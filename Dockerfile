# syntax=docker/dockerfile:1.7
#
# One image per service, all built from the same workspace build:
#
#   docker build --build-arg SERVICE=registration -t learning-society/registration .
#
# The runtime stage is a PRUNED WORKSPACE, not `pnpm deploy`: pnpm 10's deploy
# wants inject-workspace-packages=true for the whole workspace (libraries then
# reach services as copies, refreshed only by an install, which would change
# everyone's edit-and-test loop), and `deploy --legacy` resolves versions again
# instead of taking the lockfile's. Here the same lockfile is installed again
# with --prod, only for the services and what they depend on at run time
# (--filter-prod ignores devDependencies), so workspace packages still find
# each other through pnpm's symlinks and their "exports" still point at the
# dist/ tsc built. All services' images share every layer but the last few.
#
# Signals: tini is PID 1 and forwards SIGTERM to node, which drains (see
# services/*/src/main.ts, SHUTDOWN_GRACE_MS). No HEALTHCHECK: compose and
# Kubernetes probe /readyz and /healthz themselves.

# Node 20 as on the development machines (package.json "engines": >=20.19.0).
# Pin by digest as well where the registry is reachable: node:20.20.2-bookworm-slim@sha256:…
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS base
# Must equal package.json's "packageManager" (infra/deploy's test checks it).
ARG PNPM_VERSION=10.24.0
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0 \
    CI=true
RUN corepack enable pnpm && corepack prepare "pnpm@${PNPM_VERSION}" --activate
WORKDIR /app

FROM base AS build
# The lockfile alone fills the store, so this layer is reused until it changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm fetch --store-dir=/pnpm/store
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline --store-dir=/pnpm/store
# tsc -b over every project: libraries, services, tools.
RUN pnpm build

FROM build AS prune
# Production dependencies of services/* and of the workspace packages they use,
# installed afresh from the store; then what only tests and tools use.
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    rm -rf node_modules libs/*/node_modules services/*/node_modules proto/node_modules infra/*/node_modules \
 && pnpm install --frozen-lockfile --offline --prod --store-dir=/pnpm/store \
      --filter-prod '{./services/*}...' \
 && rm -rf infra libs/testing proto/test proto/dist/test \
      libs/*/test libs/*/dist/test libs/*/bench libs/*/dist/bench \
      services/*/test services/*/dist/test services/*/bench services/*/dist/bench \
 && find . -name '*.tsbuildinfo' -not -path './node_modules/*' -delete

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
# V8 sizes its heap from the host's memory and collects lazily: a service whose live set is
# tens of MB then holds hundreds (registration's import bench: 317 MB RSS by default, 188 MB
# with this cap, at the same speed). Keep it well under the pod's memory limit.
ENV NODE_OPTIONS=--max-old-space-size=192
# The one writable place (the root file system is read-only): a volume mounted here, shared
# by a service's replicas, starts out owned by the service's user.
RUN install -d -o 1000 -g 1000 /data
# Owned by root and only readable by the service's user: the code cannot be rewritten at run time.
COPY --from=prune /app /app
ARG SERVICE
RUN test -n "${SERVICE}" || { echo 'build with --build-arg SERVICE=<name of a services/ directory>' >&2; exit 1; } \
 && test -f "/app/services/${SERVICE}/dist/src/main.js" \
    || { echo "services/${SERVICE}/dist/src/main.js was not built" >&2; exit 1; }
ENV SERVICE=${SERVICE}
WORKDIR /app/services/${SERVICE}
# The base image's "node" user, by number so Kubernetes' runAsNonRoot can check it.
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
# The topic provisioning job runs the same image with:
#   node /app/libs/events/dist/src/cli.js provision
