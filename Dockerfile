# syntax=docker/dockerfile:1.7
#
# One image per service, all built from the same workspace build:
#
#   docker build --build-arg SERVICE=registration -t learning-society/registration .
#
# The runtime stage is a PRUNED WORKSPACE holding ONE service, not `pnpm deploy`:
# pnpm 10's deploy wants inject-workspace-packages=true for the whole workspace
# (libraries then reach services as copies, refreshed only by an install, which
# would change everyone's edit-and-test loop), and `deploy --legacy` resolves
# versions again instead of taking the lockfile's. infra/deploy/prune.sh
# installs the same lockfile again with --prod, only for SERVICE and the
# workspace packages it runs on (--filter-prod ignores devDependencies), and
# deletes the rest, so workspace packages still find each other through pnpm's
# symlinks at the paths compose and k8s use (/app/libs/events/dist/src/cli.js),
# and their "exports" still point at the dist/ tsc built. All services' images
# share the build stage; sizes in infra/deploy/README.md.
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
ARG SERVICE
RUN test -n "${SERVICE}" || { echo 'build with --build-arg SERVICE=<name of a services/ directory>' >&2; exit 1; }
# SERVICE's production dependencies and the workspace packages it uses, installed
# afresh from the store; other services, tests and tools deleted.
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    bash infra/deploy/prune.sh "${SERVICE}" --store-dir=/pnpm/store

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
RUN test -f "/app/services/${SERVICE}/dist/src/main.js" \
    || { echo "services/${SERVICE}/dist/src/main.js was not built" >&2; exit 1; }
ENV SERVICE=${SERVICE}
WORKDIR /app/services/${SERVICE}
# The base image's "node" user, by number so Kubernetes' runAsNonRoot can check it.
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
# The topic provisioning job runs the same image with:
#   node /app/libs/events/dist/src/cli.js provision
