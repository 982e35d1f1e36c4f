#!/bin/bash
# Build kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kubectl, kubeadm, kube-proxy from k8s.io/kubernetes@$KVER
# via a wrapper module that replaces every staging module with the published v0.<minor>.<patch>.
set -euo pipefail
T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}
. "$(dirname "$0")/versions.env"   # KVER and the other pins
SVER=v0.${KVER#v1.}                      # v1.37.2 -> v0.37.2
export GOMODCACHE=$T/gomodcache GOCACHE=${GOCACHE:-$T/gocache} GOFLAGS=-buildvcs=false CGO_ENABLED=0
W=$T/src/k8s-all-wrapper; OUT=$T/k8s-bin
mkdir -p $W $OUT; cd $W; rm -f go.mod go.sum
t0=$(date +%s)
go mod download k8s.io/kubernetes@$KVER
KMOD=$(go mod download -json k8s.io/kubernetes@$KVER | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
cat > go.mod <<EOM
module example.local/k8s-wrapper

go 1.26.0

godebug default=go1.26

require k8s.io/kubernetes $KVER
EOM
# every "k8s.io/x => ./staging/src/k8s.io/x" replace in kubernetes' go.mod becomes "k8s.io/x => k8s.io/x $SVER"
# (sample-* modules are not served by the proxy and are not needed: skip them)
for m in $(grep -E '=> \./staging' "$KMOD" | awk '{print $1}' | grep -v '^k8s.io/sample-'); do
  echo "replace $m => $m $SVER" >> go.mod
done
PKGS="k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubectl k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kube-proxy"
for p in $PKGS; do echo "tool $p" >> go.mod; done
nice -n 19 go mod tidy
t1=$(date +%s); echo "k8s wrapper resolve+download: $((t1-t0)) s"
MAJ=$(echo $KVER | cut -d. -f1 | tr -d v); MIN=$(echo $KVER | cut -d. -f2)
LD="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LD="$LD -X $pkg.gitVersion=$KVER -X $pkg.gitMajor=$MAJ -X $pkg.gitMinor=$MIN -X $pkg.gitTreeState=clean -X $pkg.gitCommit=0000000000000000000000000000000000000000 -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
done
nice -n 19 go build -p 2 -trimpath -ldflags "$LD" -o $OUT/ $PKGS
t2=$(date +%s); echo "k8s compile (7 binaries, one go build): $((t2-t1)) s; total $((t2-t0)) s"
ls -la $OUT
