# shellcheck shell=bash disable=SC2034  # sourced; the variables are for the scripts that source it
# slots.sh (sourced): several nodes on one host. Each running node holds a "slot" in a host-wide
# registry; everything that would collide on the host (ports, CNI bridge and subnet, kubelet cgroup
# root) is derived from the slot number. Slot 0 keeps the single-node ports (2379-2381, 6443, 10248-10259).
#   $REG/lock            flock'ed while the registry changes
#   $REG/nodes/<slot>    "<state-dir> <pid of the start/stop script working on it>"
#   $REG/host.before     the host before the first node started (restored/compared when the last one stops)
#   $REG/preexisting-paths  shared host paths that existed before the first node
REG=/run/init-sidecar-lab
MAX_SLOTS=10

slot_vars() { # slot -> port/bridge/subnet/cgroup variables (ports shift by 100 per slot: no overlap up to 10 slots)
    SLOT=$1
    local o=$((SLOT * 100))
    ETCD_PORT=$((2379 + o)) ETCD_PEER_PORT=$((2380 + o)) ETCD_METRICS_PORT=$((2381 + o))
    APISERVER_PORT=$((6443 + o)) KUBELET_PORT=$((10250 + o)) KUBELET_HEALTHZ_PORT=$((10248 + o))
    KCM_PORT=$((10257 + o)) SCHED_PORT=$((10259 + o))
    BRIDGE=cni-e2e$SLOT SUBNET=10.244.$SLOT.0/24 CNI_NET=e2e-bridge-$SLOT CGROUP_ROOT=/e2e-$SLOT
}

# The lock file may be removed by the last node's stop while we wait: retry until we hold the live one.
reg_lock() {
    mkdir -p $REG/nodes
    while :; do
        exec 9>>$REG/lock
        flock 9
        [ -e $REG/lock ] && [ "$(stat -c %i $REG/lock)" = "$(stat -L -c %i /proc/self/fd/9)" ] && return 0
        exec 9>&-
        mkdir -p $REG/nodes
    done
}
reg_unlock() { exec 9>&-; }

# A slot is live while the script working on it runs or any of its node's processes does.
slot_live() { # slot
    local f=$REG/nodes/$1 dir pid p
    [ -f "$f" ] || return 1
    read -r dir pid < "$f"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && return 0
    for p in "$dir"/pids/*.pid; do [ -f "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null && return 0; done
    return 1
}
# A cgroup path (e.g. the slot's cgroup root) in every hierarchy: one on cgroup v2, each mounted v1 hierarchy otherwise.
cgroup_dirs() { # path
    if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then echo "/sys/fs/cgroup$1"; return; fi
    local h
    for h in /sys/fs/cgroup/*/; do mountpoint -q "$h" && echo "${h%/}$1"; done
}
slot_dir() { local dir _; read -r dir _ < "$REG/nodes/$1"; echo "$dir"; }
