#!/bin/bash
# start-node.sh [state-dir]: etcd -> kube-apiserver -> controller-manager + scheduler -> containerd (+image import) -> kubelet
# Assumes gen-certs.sh, write-configs.sh and build-images.sh already ran.
set -euo pipefail
S=${1:-/tmp/k8s-node}; T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}; B=$T/k8s-bin; P=$S/pki; IMG=${IMG:-$T/images}
mkdir -p $S/logs $S/pids
run() { # name cmd...
  local n=$1; shift
  setsid "$@" > $S/logs/$n.log 2>&1 < /dev/null &
  echo $! > $S/pids/$n.pid; LASTPID=$!; LASTNAME=$n; echo "started $n pid $(cat $S/pids/$n.pid)"
}
waitfor() { # desc timeout cmd...   (fails early if the last started process died)
  local d=$1 to=$2; shift 2; local t0=$(date +%s)
  until "$@" > /dev/null 2>&1; do
    if ! kill -0 $LASTPID 2>/dev/null; then echo "$LASTNAME DIED:"; tail -5 $S/logs/$LASTNAME.log; return 1; fi
    if (( $(date +%s) - t0 > to )); then echo "TIMEOUT waiting for $d"; return 1; fi; sleep 0.5; done
  echo "$d ready after $(( $(date +%s) - t0 )) s"
}
T0=$(date +%s)
# the node's ports are fixed: a node left running by an interrupted run must be named, not fought with
for port in 2379 6443 10250; do
  holder=$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
  if [ -n "$holder" ]; then
    other=$(tr '\0' ' ' < /proc/$holder/cmdline | grep -oE '/[^ ]*lab-[a-z]+-[A-Za-z0-9]+' | head -1 || true)
    echo "port $port is taken by $(cat /proc/$holder/comm) (pid $holder)${other:+, a node whose state is under ${other%/*}}." >&2
    if [ -n "$other" ]; then echo "Another node is running, perhaps left by an interrupted run; stop it with: e2e/node/stop-node.sh ${other%/*}" >&2
    else echo "The node needs ports 2379-2381, 6443, 10248-10259 on 127.0.0.1: free that port first." >&2; fi
    exit 1
  fi
done
# the host as it was before this node: stop-node.sh restores the sysctls from it and reports anything left behind
[ -f $S/host.before ] || $(dirname "$0")/host-state.sh > $S/host.before
# remember which host paths (created outside the state dir by containerd 1.6 / kubelet / CNI) already existed, so stop-node.sh only removes ours
HOSTPATHS="/run/containerd /var/lib/cni /var/lib/kubelet /usr/libexec/kubernetes /var/log/containers /var/log/pods /run/netns"
[ -f $S/preexisting-paths ] || { for h in $HOSTPATHS; do [ -e $h ] && echo $h; done; mountpoint -q /run/netns && echo MOUNTED:/run/netns; true; } > $S/preexisting-paths
run etcd $B/etcd --name e2e --data-dir $S/etcd \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster e2e=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
  --unsafe-no-fsync --snapshot-count 10000
waitfor etcd 30 curl -sf http://127.0.0.1:2379/health
run kube-apiserver $B/kube-apiserver --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port=6443 \
  --endpoint-reconciler-type=none \
  --etcd-servers=http://127.0.0.1:2379 --service-cluster-ip-range=10.96.0.0/16 \
  --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --client-ca-file=$P/ca.crt --tls-cert-file=$P/apiserver.crt --tls-private-key-file=$P/apiserver.key \
  --kubelet-client-certificate=$P/apiserver-kubelet-client.crt --kubelet-client-key=$P/apiserver-kubelet-client.key \
  --kubelet-certificate-authority=$P/ca.crt --kubelet-preferred-address-types=Hostname,InternalIP \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file=$P/sa.pub --service-account-signing-key-file=$P/sa.key \
  --profiling=false
waitfor kube-apiserver 90 $B/kubectl --kubeconfig $S/admin.kubeconfig get --raw /readyz
run kube-controller-manager $B/kube-controller-manager --kubeconfig=$S/controller-manager.kubeconfig \
  --authentication-kubeconfig=$S/controller-manager.kubeconfig --authorization-kubeconfig=$S/controller-manager.kubeconfig \
  --bind-address=127.0.0.1 --secure-port=10257 --leader-elect=false \
  --service-account-private-key-file=$P/sa.key --root-ca-file=$P/ca.crt \
  --cluster-signing-cert-file=$P/ca.crt --cluster-signing-key-file=$P/ca.key \
  --use-service-account-credentials=true --allocate-node-cidrs=false --profiling=false
run kube-scheduler $B/kube-scheduler --kubeconfig=$S/scheduler.kubeconfig \
  --authentication-kubeconfig=$S/scheduler.kubeconfig --authorization-kubeconfig=$S/scheduler.kubeconfig \
  --bind-address=127.0.0.1 --secure-port=10259 --leader-elect=false --profiling=false
if [ "${CONTAINERD2:-0}" = 1 ]; then  # containerd 2.x from k8s-bin/containerd2 (its shim must come first in PATH)
  export PATH=$B/containerd2:$PATH; run containerd $B/containerd2/containerd --config $S/containerd/config.toml
else run containerd /usr/bin/containerd --config $S/containerd/config.toml; fi
waitfor containerd 30 ctr --address $S/containerd/containerd.sock version
for f in $IMG/*.oci.tar; do
  ctr --address $S/containerd/containerd.sock -n k8s.io images import --all-platforms $f
done
ctr --address $S/containerd/containerd.sock -n k8s.io images ls -q
run kubelet $B/kubelet --config=$S/kubelet/config.yaml --kubeconfig=$S/kubelet.kubeconfig --root-dir=$S/kubelet/root --v=2
waitfor "node Ready" 120 sh -c "$B/kubectl --kubeconfig $S/admin.kubeconfig get node $(hostname) -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -q True"
echo "node up in $(( $(date +%s) - T0 )) s"
