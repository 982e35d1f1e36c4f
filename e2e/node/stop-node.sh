#!/bin/bash
# stop-node.sh [state-dir]: delete pods (best effort), stop kubelet, stop containers, containerd, control plane, etcd;
# unmount everything under the state dir, delete the node's netns, CNI bridge and cgroups, report its leftovers.
# Other nodes may still run (slots.sh): what the nodes share (sysctls, KUBE-* chains, host paths, nf_tables
# tables) is cleaned, and the whole host compared with the first node's snapshot, only when the last one stops.
. "$(dirname "$0")/slots.sh"
S=${1:-/tmp/k8s-node}; T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}; B=$T/k8s-bin
[ -d "$S" ] && S=$(cd "$S" && pwd)
CTR="ctr --address $S/containerd/containerd.sock -n k8s.io"
stopp() { # name [signal]
  local f=$S/pids/$1.pid; [ -f $f ] || return 0; local p=$(cat $f)
  if kill -0 $p 2>/dev/null; then kill -${2:-TERM} $p; for i in $(seq 1 40); do kill -0 $p 2>/dev/null || break; sleep 0.25; done
    kill -0 $p 2>/dev/null && { echo "$1 ($p) did not stop, SIGKILL"; kill -KILL $p; }; fi
  rm -f $f; echo "stopped $1"
}
# Our slot, marked as being stopped by this script so no start takes it over meanwhile. A slot another
# node took over (ours was stale) is not ours any more: its bridge and cgroups are left to that node.
SLOT=$(cat $S/slot 2>/dev/null); OWN=0
if [ -n "$SLOT" ]; then
  slot_vars $SLOT; reg_lock
  [ -f $REG/nodes/$SLOT ] && [ "$(slot_dir $SLOT)" = "$S" ] && { echo "$S $$" > $REG/nodes/$SLOT; OWN=1; }
  reg_unlock
  [ $OWN = 1 ] || echo "slot $SLOT is no longer this node's: leaving its bridge and cgroups alone"
fi
# No graceful pod deletion first (it cost 4 s): the whole node goes, so its containers are killed below,
# and what CNI DEL would undo goes with it (the veths with their netns, the bridge, IPAM state in $S).
stopp kubelet
# Our network namespaces (other nodes' cni-* netns are not ours to delete): the sandboxes' OCI specs, from
# containerd or the task bundles it left, and any netns whose eth0 is plugged into our bridge.
NETNS=$( {
  if [ -S $S/containerd/containerd.sock ]; then
    for c in $($CTR containers ls -q 2>/dev/null); do $CTR containers info $c 2>/dev/null | jq -r '.Spec.linux.namespaces[]? | select(.type == "network") | .path // empty'; done
  fi
  cat $S/containerd/state/io.containerd.runtime.v2.task/k8s.io/*/config.json 2>/dev/null | jq -r '.linux.namespaces[]? | select(.type == "network") | .path // empty'
  if [ $OWN = 1 ]; then
    for ns in $(ip netns list 2>/dev/null | awk '/^cni-/{print $1}'); do
      peer=$(ip -n $ns -o link show eth0 2>/dev/null | sed -n 's/^[0-9]*: eth0@if\([0-9]*\):.*/\1/p')
      [ -n "$peer" ] && ip -o link show master $BRIDGE 2>/dev/null | grep -q "^$peer: " && echo /var/run/netns/$ns
    done
  fi
} | sed -n 's#^/\(var/\)\{0,1\}run/netns/\(cni-[^/]*\)$#\2#p' | sort -u )
# remove remaining sandboxes/containers through containerd (tasks then containers)
if [ -S $S/containerd/containerd.sock ]; then
  for c in $($CTR tasks ls -q 2>/dev/null); do $CTR tasks kill -s KILL $c 2>/dev/null; done; sleep 1
  for c in $($CTR tasks ls -q 2>/dev/null); do $CTR tasks delete -f $c 2>/dev/null; done
  for c in $($CTR containers ls -q 2>/dev/null); do $CTR containers delete $c 2>/dev/null; done
fi
stopp containerd
# leftover shims (containerd-shim-runc-v2 started for our namespace, parent gone)
for p in $(pgrep -f "containerd-shim-runc-v2 -namespace k8s.io -address $S/containerd/containerd.sock"); do kill -TERM $p; done
# each takes about 2 s to shut down gracefully: stop the three together (7 s one by one), then etcd under them
stopp kube-scheduler & stopp kube-controller-manager & stopp kube-apiserver & wait
stopp etcd
# unmount everything under the state dir (deepest first)
for m in $(awk -v s="$S/" 'index($2, s) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m" && echo "umounted $m"; done
for ns in $NETNS; do [ -e /run/netns/$ns ] && ip netns delete $ns && echo "deleted netns $ns"; done
if [ $OWN = 1 ]; then
  ip link show $BRIDGE >/dev/null 2>&1 && ip link delete $BRIDGE && echo "deleted bridge $BRIDGE"
  # kubelet cgroups (cgroupfs driver) live under the slot's cgroupRoot: remove that subtree leaves-first
  for d in $(cgroup_dirs $CGROUP_ROOT); do [ -d $d ] && find $d -depth -type d -exec rmdir {} \; 2>/dev/null; done
  rm -f /var/lib/cni/results/$CNI_NET-* 2>/dev/null
fi
# kubelet's /var/log/containers symlinks into this node's pod logs
[ -d /var/log/containers ] && find /var/log/containers -maxdepth 1 -lname "$S/*" -delete
# --- this node's leftovers: processes, mounts, netns, and (if the slot is ours) bridge and cgroups -----
leftovers=$(pgrep -a -f "$S/|k8s-bin/.*$S|containerd-shim-runc-v2 -namespace k8s.io -address $S/" | grep -v -e stop-node.sh -e pgrep)
[ -n "$leftovers" ] && leftovers="processes:"$'\n'"$leftovers"
mine=$(awk -v s="$S/" 'index($2, s) == 1 {print "mount " $2}' /proc/mounts
  for ns in $NETNS; do [ -e /run/netns/$ns ] && echo "netns $ns"; done
  if [ $OWN = 1 ]; then
    ip link show $BRIDGE >/dev/null 2>&1 && echo "link $BRIDGE"
    for d in $(cgroup_dirs $CGROUP_ROOT); do [ -d $d ] && echo "cgroup $d"; done
  fi)
[ -n "$mine" ] && leftovers="$leftovers${leftovers:+$'\n'}$mine"
[ -n "$leftovers" ] && echo "LEFTOVER of this node:" && echo "$leftovers"
# --- the last node out cleans what the nodes share and compares the host with the first node's snapshot ---
hostdiff=""
reg_lock
[ $OWN = 1 ] && rm -f $REG/nodes/$SLOT
others=""; stale=""
for f in $REG/nodes/*; do
  [ -f "$f" ] || continue; n=${f##*/}
  if slot_live $n; then others="$others $n"; else stale="$stale $n"; fi
done
if [ -n "$others" ]; then
  echo "other nodes still run (slots$others): host-wide cleanup left to the last one"
else
  for n in $stale; do echo "slot $n is stale (node $(slot_dir $n) has no process left): forgetting it; its leftovers show below"; done
fi
if [ -z "$others" ] && [ -f $REG/host.before ]; then
  before=$REG/host.before
  # netns, bridges and cgroups no running node owns (a stale node's), absent from the snapshot
  for ns in $(ip netns list 2>/dev/null | awk '/^cni-/{print $1}'); do
    sed -n '/^## network namespaces/,/^## /p' $before | grep -qx "$ns" || { ip netns delete $ns && echo "deleted netns $ns"; }
  done
  for l in $(ip -br link | awk '{sub(/@.*/, "", $1); print $1}' | grep '^cni-e2e'); do
    sed -n '/^## links/,/^## /p' $before | grep -qx "$l" || { ip link delete $l && echo "deleted bridge $l"; }
  done
  for d in /sys/fs/cgroup/kubepods* /sys/fs/cgroup/*/kubepods* /sys/fs/cgroup/e2e-* /sys/fs/cgroup/*/e2e-*; do
    [ -d "$d" ] && ! grep -qx "$d" $before && find $d -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  # restore sysctls kubelet (protectKernelDefaults=false) may have changed
  sed -n '/^## sysctl/,/^## /{/ = /p}' $before | while read k _ v; do sysctl -qw "$k=$v"; done
  # iptables: kubelet creates KUBE-* canary / firewall chains; drop any KUBE-* chain we find
  for t in filter nat mangle; do
    for fam in iptables ip6tables; do
      for c in $($fam -t $t -S 2>/dev/null | awk '/^-N KUBE-/{print $2}'); do $fam -t $t -F $c 2>/dev/null; done
      $fam -t $t -S 2>/dev/null | grep -E '^-A .* -j KUBE-' | sed 's/^-A/-D/' | while read -r r; do $fam -t $t $r; done
      for c in $($fam -t $t -S 2>/dev/null | awk '/^-N KUBE-/{print $2}'); do $fam -t $t -X $c 2>/dev/null && echo "deleted $fam $t $c"; done
    done
  done
  # host paths created by containerd 1.6 (shim sockets /run/containerd/s), libcni cache (/var/lib/cni), kubelet
  # (/var/lib/kubelet/device-plugins, /var/log/containers symlinks) and CNI netns bind mount (/run/netns) — remove if they weren't there before
  if [ -f $REG/preexisting-paths ]; then
    if ! grep -qx MOUNTED:/run/netns $REG/preexisting-paths && mountpoint -q /run/netns; then umount /run/netns && echo "umounted /run/netns"; fi
    for h in /run/containerd /var/lib/cni /var/lib/kubelet /usr/libexec/kubernetes /var/log/containers /var/log/pods /run/netns; do
      grep -qx $h $REG/preexisting-paths || { [ -e $h ] && rm -rf $h && echo "removed $h"; }
    done
  fi
  # kubelet's iptables calls (iptables-nft) create empty nf_tables tables ip/ip6 {filter,nat,mangle}; drop the ones absent before, if empty
  nft list tables 2>/dev/null | while read -r _ fam name; do
    grep -qx "table $fam $name" $before && continue
    [ -z "$(nft list table $fam $name | grep -E '^\s+(ip|ip6|meta|counter|jump|tcp|udp|oif|iif|mark|ct|fib)')" ] && nft delete table $fam $name && echo "deleted empty nft table $fam $name"
  done
  hostdiff=$(diff $before <($(dirname "$0")/host-state.sh) | grep -E '^[<>]')
  [ -n "$hostdiff" ] && echo "LEFTOVER host changes (< before the first node, > now):" && echo "$hostdiff"
fi
# no node left: drop the registry, lock file included (a start waiting on it notices and takes a new one)
[ -z "$others" ] && rm -rf $REG
reg_unlock
if [ -n "$leftovers$hostdiff" ]; then exit 3; fi
if [ -n "$others" ]; then
  echo "nothing left behind: no process, mount, netns, link or cgroup of this node"
else
  echo "nothing left behind: no process, mount, link, netns, iptables rule, nf_tables table or cgroup of this node"
fi
