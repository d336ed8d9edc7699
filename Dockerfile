# One image for every Yardmaster service; the first argument names the service:
#
#   docker build -t yardmaster:local .
#   docker run --rm -p 8090:8090 yardmaster:local provider-sim
#   docker run --rm -p 50051:50051 -p 8080:8080 -e KAFKA_BROKERS=... -e REDIS_URL=... yardmaster:local ingress
#
# Services: ingress, classifier, router, worker, aggregator, provider-sim
# (deploy/docker-entrypoint.sh). Configuration is environment variables only; see each
# services/<name>/src/config.ts.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------------------
# Only the package manifests, in their directories, so the `npm ci` layer below is
# reused when only sources change.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package.json package-lock.json /manifests/ \
 && for f in libs/*/package.json services/*/package.json deploy/package.json cli/package.json; do \
      mkdir -p "/manifests/$(dirname "$f")" && cp "$f" "/manifests/$f"; \
    done

# ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY --from=manifests /manifests/ ./
# Dev dependencies are needed to compile. (The `node` devDependency installs a Node 24
# binary for `npm run` on machines whose system Node is older; the image already runs
# Node 24, and it is pruned below.)
RUN npm ci
COPY . .
RUN npm run build
RUN npm prune --omit=dev
# Assemble exactly what runs: manifests, production node_modules (workspace packages are
# relative symlinks into libs/, services/, deploy/, cli/), every package's dist/, and
# the data files read at run time (the router's default catalog, the classifier's
# intent model). Specs and build info are left behind.
RUN set -eu; \
    out=/out/app; mkdir -p "$out"; \
    cp -a package.json package-lock.json node_modules "$out/"; \
    for pkg in libs/* services/* deploy cli; do \
      [ -f "$pkg/package.json" ] || continue; \
      mkdir -p "$out/$pkg"; \
      cp -a "$pkg/package.json" "$out/$pkg/"; \
      if [ -d "$pkg/dist" ]; then cp -a "$pkg/dist" "$out/$pkg/"; fi; \
    done; \
    cp -a services/router/catalog.yaml "$out/services/router/"; \
    cp -a libs/classifier/model "$out/libs/classifier/"; \
    cp -a deploy/docker-entrypoint.sh "$out/deploy/"; \
    chmod 0755 "$out/deploy/docker-entrypoint.sh"; \
    find "$out/libs" "$out/services" "$out/deploy" "$out/cli" \
      \( -name '*.spec.js' -o -name '*.spec.js.map' -o -name '*.spec.d.ts' -o -name '*.spec.d.ts.map' -o -name '*.tsbuildinfo' -o -name '.tsbuildinfo' \) \
      -delete

# ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# Smaller young generation: 25-40% lower peak RSS per service at the same throughput (deploy/src/system.ts SERVICE_NODE_ARGS).
ENV NODE_OPTIONS=--max-semi-space-size=8
WORKDIR /app
# Owned by root and read-only for the service user.
COPY --from=build /out/app/ /app/
# The base image's unprivileged user (uid/gid 1000). Kubernetes manifests set
# runAsUser: 1000 as well, because runAsNonRoot cannot verify a user given by name.
USER node
# gRPC (ingress), HTTP health/API (every service but provider-sim), provider-sim.
EXPOSE 50051 8080 8090
ENTRYPOINT ["/app/deploy/docker-entrypoint.sh"]
CMD ["--help"]
