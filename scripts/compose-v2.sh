#!/usr/bin/env bash
# Builds Docker Compose v2 (the "docker compose" CLI plugin) from the Go
# module proxy, pinned, and caches the binary: Debian 12 has no package for
# it. scripts/deps.sh docker runs this; make compose-test uses the plugin
# through DOCKER_CONFIG=$KENSA_DOCKER_CONFIG, so the host's own docker is
# left alone.
#   scripts/compose-v2.sh    prints the path of the plugin directory's binary
# The module's go.mod has exclude directives, so `go install …@version`
# refuses it: it is built inside a writable copy of the module instead. About
# two minutes on two cores, once; the binary is about 100 MB.
set -euo pipefail
VERSION=v2.40.3
GO=${GO:-go}
cache=${KENSA_COMPOSE_CACHE:-/var/cache/kensa-test/compose}
config=${KENSA_DOCKER_CONFIG:-/var/cache/kensa-test/docker-config}
bin=$cache/docker-compose-$VERSION
plugin=$config/cli-plugins/docker-compose

if [ ! -x "$bin" ]; then
  echo "deps: building Docker Compose $VERSION from the Go module proxy (about 2 minutes)" >&2
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/build.XXXXXX")
  trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
  dir=$(cd "$work" && GOFLAGS= GOWORK=off GOTOOLCHAIN=local GO111MODULE=on $GO mod download -json "github.com/docker/compose/v2@$VERSION" | jq -r .Dir)
  [ -d "$dir" ] || { echo "deps: go mod download of docker/compose $VERSION failed" >&2; exit 1; }
  cp -r "$dir" "$work/src"
  chmod -R u+w "$work/src"
  (cd "$work/src" && GOFLAGS=-mod=mod GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 \
    $GO build -trimpath -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$VERSION" -o "$work/docker-compose" ./cmd)
  mv "$work/docker-compose" "$bin"
fi
mkdir -p "$(dirname "$plugin")"
ln -sf "$bin" "$plugin"
"$plugin" version >/dev/null
echo "$plugin"
