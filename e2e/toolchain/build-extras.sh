#!/bin/bash
# coredns (the kind node image's DNS, COREDNS_VERSION), crictl (CRICTL_VERSION: kind's `load docker-image`
# and `export logs` run it in the node), and the optional containerd 2.x (github.com/containerd/containerd/v2), from the Go module proxy.
set -euo pipefail
T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}; OUT=$T/k8s-bin
export GOMODCACHE=$T/gomodcache GOCACHE=${GOCACHE:-$T/gocache} GOFLAGS=-buildvcs=false CGO_ENABLED=0
what=${1:-crictl}
# shellcheck source=versions.env
. "$(dirname "$0")/versions.env"
case $what in
coredns)
  W=$T/src/coredns-wrapper; mkdir -p $W $T/kind-node/bin; cd $W; rm -f go.mod go.sum
  printf 'module example.local/coredns-wrapper\n\ngo 1.26.0\n\nrequire github.com/coredns/coredns %s\n\ntool github.com/coredns/coredns\n' $COREDNS_VERSION > go.mod
  t0=$(date +%s); nice -n 19 go mod tidy; t1=$(date +%s)
  nice -n 19 go build -p 2 -trimpath -ldflags "-s -w" -o $T/kind-node/bin/coredns github.com/coredns/coredns
  t2=$(date +%s); echo "coredns: tidy $((t1-t0)) s, compile $((t2-t1)) s"; ls -la $T/kind-node/bin/coredns ;;
crictl)
  W=$T/src/crictl-wrapper; mkdir -p $W; cd $W; rm -f go.mod go.sum
  printf 'module example.local/crictl-wrapper\n\ngo 1.26.0\n\nrequire sigs.k8s.io/cri-tools %s\n\ntool sigs.k8s.io/cri-tools/cmd/crictl\n' $CRICTL_VERSION > go.mod
  t0=$(date +%s); nice -n 19 go mod tidy; t1=$(date +%s)
  nice -n 19 go build -p 2 -trimpath -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION" -o $OUT/crictl sigs.k8s.io/cri-tools/cmd/crictl
  t2=$(date +%s); echo "crictl: tidy $((t1-t0)) s, compile $((t2-t1)) s"; ls -la $OUT/crictl ;;
containerd)
  CVER=${CVER:-v2.4.2}
  W=$T/src/containerd-wrapper; mkdir -p $W; cd $W; rm -f go.mod go.sum
  printf 'module example.local/containerd-wrapper\n\ngo 1.26.0\n\nrequire github.com/containerd/containerd/v2 %s\n\ntool github.com/containerd/containerd/v2/cmd/containerd\ntool github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2\ntool github.com/containerd/containerd/v2/cmd/ctr\n' $CVER > go.mod
  t0=$(date +%s); nice -n 19 go mod tidy; t1=$(date +%s)
  mkdir -p $OUT/containerd2
  nice -n 19 go build -p 2 -trimpath -tags "no_btrfs no_devmapper no_zfs" -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=$CVER" \
    -o $OUT/containerd2/ github.com/containerd/containerd/v2/cmd/containerd github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 github.com/containerd/containerd/v2/cmd/ctr
  t2=$(date +%s); echo "containerd $CVER: tidy $((t1-t0)) s, compile $((t2-t1)) s"; ls -la $OUT/containerd2 ;;
esac
