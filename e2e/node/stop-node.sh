#!/bin/bash
# stop-node.sh [state-dir]: delete pods (best effort), stop kubelet, stop containers, containerd, control plane, etcd;
# unmount everything under the state dir, delete the CNI bridge, restore sysctls kubelet changed, report leftovers.
S=${1:-/tmp/k8s-node}; T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}; B=$T/k8s-bin
CTR="ctr --address $S/containerd/containerd.sock -n k8s.io"
stopp() { # name [signal]
  local f=$S/pids/$1.pid; [ -f $f ] || return 0; local p=$(cat $f)
  if kill -0 $p 2>/dev/null; then kill -${2:-TERM} $p; for i in $(seq 1 40); do kill -0 $p 2>/dev/null || break; sleep 0.25; done
    kill -0 $p 2>/dev/null && { echo "$1 ($p) did not stop, SIGKILL"; kill -KILL $p; }; fi
  rm -f $f; echo "stopped $1"
}
# graceful pod removal lets CNI DEL run (releases IPs, veths)
if [ -f $S/pids/kubelet.pid ] && kill -0 $(cat $S/pids/kubelet.pid) 2>/dev/null; then
  timeout 60 $B/kubectl --kubeconfig $S/admin.kubeconfig delete pods --all -A --grace-period=1 --wait=true 2>/dev/null || true
fi
stopp kubelet
# remove remaining sandboxes/containers through containerd (tasks then containers)
if [ -S $S/containerd/containerd.sock ]; then
  for c in $($CTR tasks ls -q 2>/dev/null); do $CTR tasks kill -s KILL $c 2>/dev/null; done; sleep 1
  for c in $($CTR tasks ls -q 2>/dev/null); do $CTR tasks delete -f $c 2>/dev/null; done
  for c in $($CTR containers ls -q 2>/dev/null); do $CTR containers delete $c 2>/dev/null; done
fi
stopp containerd
# leftover shims (containerd-shim-runc-v2 started for our namespace, parent gone)
for p in $(pgrep -f "containerd-shim-runc-v2 -namespace k8s.io -address $S/containerd/containerd.sock"); do kill -TERM $p; done
stopp kube-scheduler; stopp kube-controller-manager; stopp kube-apiserver; stopp etcd
# unmount everything under the state dir (deepest first)
for m in $(awk -v s="$S" '$2 ~ "^"s {print $2}' /proc/mounts | sort -r); do umount -l "$m" && echo "umounted $m"; done
# network namespaces made by containerd CRI live in /var/run/netns/cni-*
for ns in $(ip netns list 2>/dev/null | awk '/^cni-/{print $1}'); do ip netns delete $ns && echo "deleted netns $ns"; done
ip link show cni-e2e0 >/dev/null 2>&1 && ip link delete cni-e2e0 && echo "deleted bridge cni-e2e0"
# kubelet cgroups (cgroupfs driver, cgroup v1): remove /kubepods* leaves-first in every hierarchy
for h in /sys/fs/cgroup/*/; do [ -d $h/kubepods ] && find $h/kubepods -depth -type d -exec rmdir {} \; 2>/dev/null; done
for h in /sys/fs/cgroup/*/; do [ -d $h/kubepods.slice ] && find $h/kubepods.slice -depth -type d -exec rmdir {} \; 2>/dev/null; done
# restore sysctls kubelet (protectKernelDefaults=false) may have changed, from start-node.sh's snapshot
[ -f $S/host.before ] && sed -n '/^## sysctl/,/^## /{/ = /p}' $S/host.before | while read k _ v; do sysctl -qw "$k=$v"; done
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
if [ -f $S/preexisting-paths ]; then
  if ! grep -qx MOUNTED:/run/netns $S/preexisting-paths && mountpoint -q /run/netns; then umount /run/netns && echo "umounted /run/netns"; fi
  for h in /run/containerd /var/lib/cni /var/lib/kubelet /usr/libexec/kubernetes /var/log/containers /var/log/pods /run/netns; do
    grep -qx $h $S/preexisting-paths || { [ -e $h ] && rm -rf $h && echo "removed $h"; }
  done
fi
# kubelet's iptables calls (iptables-nft) create empty nf_tables tables ip/ip6 {filter,nat,mangle}; drop the ones absent before, if empty
if [ -f $S/host.before ]; then
  nft list tables 2>/dev/null | while read -r _ fam name; do
    grep -qx "table $fam $name" $S/host.before && continue
    [ -z "$(nft list table $fam $name | grep -E '^\s+(ip|ip6|meta|counter|jump|tcp|udp|oif|iif|mark|ct|fib)')" ] && nft delete table $fam $name && echo "deleted empty nft table $fam $name"
  done
fi
# --- leftovers: processes of this node, and any difference from the host as it was before -------------
leftovers=$(pgrep -a -f "$S/|k8s-bin/.*$S|containerd-shim-runc-v2 -namespace k8s.io -address $S/" | grep -v -e stop-node.sh -e pgrep)
[ -n "$leftovers" ] && echo "LEFTOVER processes:" && echo "$leftovers"
if [ -f $S/host.before ]; then
  hostdiff=$(diff <(cat $S/host.before) <($(dirname "$0")/host-state.sh) | grep -E '^[<>]')
  [ -n "$hostdiff" ] && echo "LEFTOVER host changes (< before, > now):" && echo "$hostdiff"
fi
if [ -n "$leftovers$hostdiff" ]; then exit 3; fi
echo "nothing left behind: no process, mount, link, netns, iptables rule, nf_tables table or cgroup of this node"
