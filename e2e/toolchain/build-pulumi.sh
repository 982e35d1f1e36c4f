#!/bin/bash
# Builds the Pulumi toolchain for the lab's end-to-end tests into
#   ${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}/bin
# from the Go module proxy only (no GitHub access). Run through scripts/e2e-toolchain.sh, which
# skips what is already built. See docs/decisions/0004 for what was learned building it. Measured on 2 cores, go1.26.8, 2026-11-25:
#   pulumi CLI v3.274.1 ............ deps 47 s + compile 144 s (cold GOCACHE)
#   pulumi-resource-kubernetes ..... deps 10 s + go generate 29 s + compile 316 s
#   pulumi-language-nodejs (lite) .. 25 s cold (11 s after the CLI build)
# Usage: bash e2e/toolchain/build-pulumi.sh [all|cli|langhost|k8s|scripts|verify]   (default: all)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}
BIN=$T/bin
export GOMODCACHE=$T/gomodcache GOCACHE=$T/gocache GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOMAXPROCS=2
# shellcheck source=versions.env
. "$HERE/versions.env"
K8S_PSEUDO=$K8S_PROVIDER_PSEUDO
K8S_VERSION=$K8S_PROVIDER_VERSION
TAGS=osusergo,grpcnotrace
mkdir -p $BIN $T/src

timed() { local s=$(date +%s); "$@"; echo ">>> $* : $(( $(date +%s) - s )) s" >&2; }

# Common replaces of pulumi/pkg + pulumi/sdk go.mod (replace lines of dependencies are ignored
# by Go, so a wrapper module must repeat the non-local ones).
write_wrapper_gomod() { # $1 module name
  cat > go.mod <<EOF
module $1

go 1.26.6

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e

replace golang.org/x/text => golang.org/x/text v0.41.0
EOF
}

build_cli() {
  local W=$T/src/pulumi-wrapper
  mkdir -p $W && cd $W
  [ -f go.mod ] || write_wrapper_gomod local/pulumi-wrapper
  # `go get -tool` records the main package as a tool dependency, so go.mod/go.sum stay complete.
  timed nice -n 19 go get -tool github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$PULUMI_VERSION
  timed nice -n 19 go build -p 2 -trimpath -tags $TAGS \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    -o $BIN/pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

# Upstream github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 is NOT served by the
# proxy here (403 "This module version is not available." for @v/list, @latest, commit hashes and
# pseudo-versions), so a minimal language host written against sdk/v3 is built instead.
# If a pseudo-version becomes available, set LANGHOST_PSEUDO=v3.0.0-<time>-<hash12> to build upstream.
build_langhost() {
  if [ -n "${LANGHOST_PSEUDO:-}" ]; then
    local W=$T/src/pulumi-wrapper
    cd $W
    timed nice -n 19 go get -tool github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$LANGHOST_PSEUDO
    timed nice -n 19 go build -p 2 -trimpath -tags $TAGS \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
      -o $BIN/pulumi-language-nodejs github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
    return
  fi
  # Our own minimal host, kept in the repo (go.mod pins sdk/v3 and repeats its replaces).
  cd "$HERE/pulumi-language-nodejs-lite"
  timed nice -n 19 go build -p 2 -trimpath -tags $TAGS \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    -o $BIN/pulumi-language-nodejs .
}

build_k8s() {
  # Module zip lacks the generated schema-embed.json / terraform-mapping-embed.json: copy the
  # module out of the read-only module cache, drop the local sdk replace, generate, build.
  local SRC DST=$T/src/pulumi-kubernetes-provider
  SRC=$(go mod download -json github.com/pulumi/pulumi-kubernetes/provider/v4@$K8S_PSEUDO | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  rm -rf $DST; cp -r "$SRC" $DST; chmod -R u+w $DST; cd $DST
  go mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4
  # keep the version go.mod already requires (a bare `go get` would upgrade it to the newest)
  timed nice -n 19 go get github.com/pulumi/pulumi-kubernetes/sdk/v4@$K8S_PROVIDER_SDK
  (cd cmd/pulumi-resource-kubernetes && timed env VERSION=$K8S_VERSION nice -n 19 go generate ./...)
  timed nice -n 19 go build -p 2 -trimpath -tags $TAGS \
    -ldflags "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$K8S_VERSION" \
    -o $BIN/pulumi-resource-kubernetes ./cmd/pulumi-resource-kubernetes
}

install_scripts() {
  # pulumi-resource-pulumi-nodejs (dynamic-provider host) is a shell script shipped in the pulumi
  # repo at sdk/nodejs/dist/, which is inside the sdk/v3 module zip. pulumi-analyzer-policy no
  # longer exists upstream (policy packs run through the language host's RunPlugin).
  local S
  S=$(go mod download -json github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  install -m 0755 "$S/nodejs/dist/pulumi-resource-pulumi-nodejs" $BIN/pulumi-resource-pulumi-nodejs
}

verify() {
  $BIN/pulumi version
  $BIN/pulumi-language-nodejs -version
  PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME=$(mktemp -d) $BIN/pulumi package get-schema $BIN/pulumi-resource-kubernetes \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print("pulumi-resource-kubernetes schema:", d["name"], d["version"])'
  ls -la $BIN; du -sh $BIN $GOMODCACHE $GOCACHE
}

case "${1:-all}" in
  cli) build_cli ;;
  langhost) build_langhost ;;
  k8s) build_k8s ;;
  scripts) install_scripts ;;
  verify) verify ;;
  all) build_cli; build_langhost; build_k8s; install_scripts; verify ;;
  *) echo "usage: $0 [all|cli|langhost|k8s|scripts|verify]" >&2; exit 2 ;;
esac
