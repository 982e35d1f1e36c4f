#!/bin/bash
# host-state.sh: what a node may change on this host, normalized so two snapshots diff cleanly.
# start-node.sh saves one before the first node of the host starts; the last stop-node.sh compares with it
# (and restores the sysctls from it), so a leaked mount, link, rule or cgroup is reported.
echo "## sysctl (kubelet sets these when protectKernelDefaults is false)"
sysctl vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys \
    kernel.keys.root_maxbytes 2>/dev/null
echo "## links"
ip -br link | awk '{print $1}' | sed 's/@.*//' | sort
echo "## network namespaces"
ip netns list 2>/dev/null | awk '{print $1}' | sort
echo "## mounts"
awk '{print $2, $3}' /proc/mounts | sort
echo "## iptables"
{ iptables-save; ip6tables-save; } 2>/dev/null | grep -E '^[-:*]' | sed -E 's/ \[[0-9:]+\]$//' | sort
echo "## nf_tables tables"
nft list tables 2>/dev/null | sort
echo "## kubepods cgroups (and the e2e-<slot> cgroup roots the nodes' kubelets use)"
ls -d /sys/fs/cgroup/kubepods* /sys/fs/cgroup/*/kubepods* /sys/fs/cgroup/e2e-* /sys/fs/cgroup/*/e2e-* 2>/dev/null | sort
