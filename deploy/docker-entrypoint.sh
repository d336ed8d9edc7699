#!/bin/sh
# Entry point of the Yardmaster image: one image, every service.
#
#   docker run ghcr.io/yardmaster/yardmaster:0.1.0 <service> [node args for the service...]
#
# <service> is one of the directories under services/. The service replaces this
# shell (exec), so it receives SIGTERM directly and shuts down gracefully.
set -eu

SERVICES="ingress classifier router worker aggregator provider-sim"
# The repository root (the image's /app): this script lives in <root>/deploy/.
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  echo "usage: docker-entrypoint.sh <service>" >&2
  echo "  <service>: one of: $SERVICES" >&2
  echo "  or: docker-entrypoint.sh keys create|list|revoke … (API keys, see README)" >&2
}

if [ "$#" -eq 0 ]; then
  echo "docker-entrypoint: no service given" >&2
  usage
  exit 64
fi

service="$1"
shift

case "$service" in
  ingress|classifier|router|worker|aggregator|provider-sim)
    exec node --enable-source-maps "$ROOT/services/$service/dist/main.js" "$@"
    ;;
  keys)
    # API keys in the Redis of REDIS_URL: `docker run … keys create --tenant acme`.
    exec node --enable-source-maps "$ROOT/cli/dist/main.js" keys "$@"
    ;;
  -h|--help|help)
    usage
    exit 0
    ;;
  *)
    echo "docker-entrypoint: unknown service \"$service\"" >&2
    usage
    exit 64
    ;;
esac
