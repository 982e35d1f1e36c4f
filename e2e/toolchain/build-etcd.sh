#!/bin/bash
# Build etcd (server; main package = module root go.etcd.io/etcd/server/v3) and etcdctl via a wrapper module.
set -euo pipefail
T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}
. "$(dirname "$0")/versions.env"   # EVER and the other pins
export GOMODCACHE=$T/gomodcache GOCACHE=${GOCACHE:-$T/gocache} GOFLAGS=-buildvcs=false CGO_ENABLED=0
W=$T/src/etcd-wrapper; OUT=$T/k8s-bin
mkdir -p $W $OUT; cd $W; rm -f go.mod go.sum
t0=$(date +%s)
cat > go.mod <<EOM
module example.local/etcd-wrapper

go 1.26.0

require go.etcd.io/etcd/server/v3 $EVER

tool go.etcd.io/etcd/server/v3
EOM
nice -n 19 go mod tidy
t1=$(date +%s); echo "etcd resolve+download: $((t1-t0)) s"
nice -n 19 go build -p 2 -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$EVER" -o $OUT/etcd go.etcd.io/etcd/server/v3
t2=$(date +%s); echo "etcd compile: $((t2-t1)) s; total $((t2-t0)) s"
ls -la $OUT/etcd
