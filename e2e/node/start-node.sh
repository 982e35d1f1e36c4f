#!/bin/bash
# start-node.sh [state-dir]: etcd -> kube-apiserver -> controller-manager + scheduler -> containerd (+image import) -> kubelet
# Assumes gen-certs.sh and build-images.sh already ran; it writes the configs itself (write-configs.sh) for its slot.
# Several nodes may run at once: each takes a slot (slots.sh) that sets its ports, bridge and cgroup root.
set -euo pipefail
. "$(dirname "$0")/slots.sh"
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
S=$(cd $S && pwd)   # the registry and the leftover checks match on the absolute path
# Take the lowest free slot (a slot whose node has no process left is stale: say so and take it over).
# The first node of the host snapshots it: stop-node.sh restores the sysctls from it and, when the
# last node stops, reports anything left behind.
reg_lock
SLOT=""
for n in $(seq 0 $((MAX_SLOTS - 1))); do
  [ -f $REG/nodes/$n ] && [ "$(slot_dir $n)" = "$S" ] && { slot_live $n && { echo "this node is already running (slot $n)" >&2; exit 1; }; SLOT=$n; break; }
done
if [ -z "$SLOT" ]; then
  for n in $(seq 0 $((MAX_SLOTS - 1))); do
    if [ ! -f $REG/nodes/$n ]; then SLOT=$n; break; fi
    if ! slot_live $n; then
      echo "slot $n is stale (node $(slot_dir $n) has no process left): taking it over; clean that one with: e2e/node/stop-node.sh $(slot_dir $n)" >&2
      SLOT=$n; break
    fi
  done
fi
[ -n "$SLOT" ] || { echo "all $MAX_SLOTS node slots are taken (see $REG/nodes): stop a node first" >&2; exit 1; }
slot_vars $SLOT
# a node the registry does not know (started by older scripts, or its registry lost) holding the slot's ports must be named, not fought with
for port in $ETCD_PORT $APISERVER_PORT $KUBELET_PORT; do
  holder=$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
  if [ -n "$holder" ]; then
    # the holder's state dir, from the paths a node's etcd, API server or kubelet is given
    other=$(tr '\0' ' ' < /proc/$holder/cmdline | sed -nE 's#.*[ =](/[^ =]+)/(etcd|pki/ca\.crt|kubelet/config\.yaml)( .*|$)#\1#p')
    [ -n "$other" ] && [ -d "$other/pids" ] || other=""
    echo "port $port (slot $SLOT) is taken by $(cat /proc/$holder/comm) (pid $holder)${other:+, a node whose state is $other}." >&2
    if [ -n "$other" ]; then echo "Another node is running, perhaps left by an interrupted run; stop it with: e2e/node/stop-node.sh $other" >&2
    else echo "The node of slot $SLOT needs ports $ETCD_PORT-$ETCD_METRICS_PORT, $APISERVER_PORT, $KUBELET_HEALTHZ_PORT-$SCHED_PORT on 127.0.0.1: free that port first." >&2; fi
    exit 1
  fi
done
[ -f $REG/host.before ] || $(dirname "$0")/host-state.sh > $REG/host.before
# remember which host paths (created outside the state dir by containerd 1.6 / kubelet / CNI) already existed, so the last stop only removes ours
HOSTPATHS="/run/containerd /var/lib/cni /var/lib/kubelet /usr/libexec/kubernetes /var/log/containers /var/log/pods /run/netns"
[ -f $REG/preexisting-paths ] || { for h in $HOSTPATHS; do [ -e $h ] && echo $h; done; mountpoint -q /run/netns && echo MOUNTED:/run/netns; true; } > $REG/preexisting-paths
echo "$S $$" > $REG/nodes/$SLOT
echo $SLOT > $S/slot
reg_unlock
echo "slot $SLOT: API server 127.0.0.1:$APISERVER_PORT, etcd $ETCD_PORT, kubelet $KUBELET_PORT, bridge $BRIDGE $SUBNET, cgroups $CGROUP_ROOT"
# configs and kubeconfigs for the slot's ports, bridge and cgroup root
$(dirname "$0")/write-configs.sh $S > /dev/null
# kubelet wants its cgroupRoot to exist in every hierarchy; a new cpuset needs cpus/mems before tasks join
for d in $(cgroup_dirs $CGROUP_ROOT); do mkdir -p $d; done
c=/sys/fs/cgroup/cpuset$CGROUP_ROOT
if [ -d $c ]; then for f in cpus mems; do [ -n "$(cat $c/cpuset.$f)" ] || cat $c/../cpuset.$f > $c/cpuset.$f; done; fi
run etcd $B/etcd --name e2e --data-dir $S/etcd \
  --listen-client-urls http://127.0.0.1:$ETCD_PORT --advertise-client-urls http://127.0.0.1:$ETCD_PORT \
  --listen-peer-urls http://127.0.0.1:$ETCD_PEER_PORT --initial-advertise-peer-urls http://127.0.0.1:$ETCD_PEER_PORT \
  --initial-cluster e2e=http://127.0.0.1:$ETCD_PEER_PORT --listen-metrics-urls http://127.0.0.1:$ETCD_METRICS_PORT \
  --unsafe-no-fsync --snapshot-count 10000
waitfor etcd 30 curl -sf http://127.0.0.1:$ETCD_PORT/health
run kube-apiserver $B/kube-apiserver --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port=$APISERVER_PORT \
  --endpoint-reconciler-type=none \
  --etcd-servers=http://127.0.0.1:$ETCD_PORT --service-cluster-ip-range=10.96.0.0/16 \
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
  --bind-address=127.0.0.1 --secure-port=$KCM_PORT --leader-elect=false \
  --service-account-private-key-file=$P/sa.key --root-ca-file=$P/ca.crt \
  --cluster-signing-cert-file=$P/ca.crt --cluster-signing-key-file=$P/ca.key \
  --use-service-account-credentials=true --allocate-node-cidrs=false --profiling=false
run kube-scheduler $B/kube-scheduler --kubeconfig=$S/scheduler.kubeconfig \
  --authentication-kubeconfig=$S/scheduler.kubeconfig --authorization-kubeconfig=$S/scheduler.kubeconfig \
  --bind-address=127.0.0.1 --secure-port=$SCHED_PORT --leader-elect=false --profiling=false
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
