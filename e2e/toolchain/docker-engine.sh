#!/bin/bash
# The Docker engine real kind runs on, for a Linux box that has none (scripts/e2e-toolchain.sh runs
# `start` as its docker component; `--stop-docker` runs `stop`).
#
#   docker-engine.sh start   # a daemon answers already: nothing to do. Else install Debian's docker.io
#                            # (root) and start dockerd in the background, log in $T/docker/dockerd.log
#   docker-engine.sh stop    # stop the dockerd that `start` started (never another one), then remove
#                            # what it leaves behind: docker0 and its networks' bridges, their
#                            # iptables rules and chains, the pid file
#
# Hosts whose capability bounding set lacks a capability that `docker run --privileged` (kind's
# nodes) asks for make runc fail with "unable to apply caps: operation not permitted"; there, and
# only there, dockerd gets runc-capdrop as its default runtime.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$HERE/versions.env"
T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}
D=$T/docker
OURS=$D/started.pid # the pid of the dockerd we started; nothing else is ever stopped
PATH=$D/bin:$PATH   # the client matching a dockerd we installed, once linked
say() { echo ">>> $(date +%T) $*"; }
fail() {
    echo "ERROR: $*" >&2
    exit 1
}
answers() { timeout 10 docker info >/dev/null 2>&1; }

# Capabilities 0..cap_last_cap the bounding set lacks (privileged containers ask for all of them).
missing_caps() {
    local bnd last i out=""
    bnd=$((16#$(awk '/^CapBnd:/ {print $2}' /proc/self/status)))
    last=$(cat /proc/sys/kernel/cap_last_cap)
    for ((i = 0; i <= last; i++)); do (((bnd >> i) & 1)) || out+="$i "; done
    echo "$out"
}

start() {
    if answers; then
        say "a Docker daemon answers ($(docker info --format '{{.ServerVersion}}')): using it"
        return
    fi
    if [ -f "$OURS" ] && kill -0 "$(cat "$OURS")" 2>/dev/null; then
        fail "the dockerd started earlier (pid $(cat "$OURS")) runs but does not answer; see $D/dockerd.log, or restart it: bash scripts/e2e-toolchain.sh --stop-docker && npm run e2e:toolchain"
    fi
    [ "$(id -u)" = 0 ] || fail "no Docker daemon answers (docker info). Start Docker, or run this as root to install and start Debian's docker.io."
    if ! command -v dockerd >/dev/null; then
        say "installing $DOCKER_APT_PACKAGES (apt)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $DOCKER_APT_PACKAGES
    fi
    mkdir -p "$D/bin"
    # The client that matches this daemon goes first on PATH (--env): a newer one elsewhere on PATH
    # (e.g. /usr/local/bin/docker) may speak an API version this daemon lacks.
    ln -sfn /usr/bin/docker "$D/bin/docker"
    local args=(--pidfile "$D/dockerd.pid") missing
    missing=$(missing_caps)
    if [ -n "$missing" ]; then
        say "the capability bounding set lacks capability number(s) ${missing% } (capabilities(7); 24 is CAP_SYS_RESOURCE): privileged containers get runc-capdrop"
        install -m 0755 "$HERE/runc-capdrop" "$D/runc-capdrop"
        args+=(--add-runtime "lab-runc=$D/runc-capdrop" --default-runtime lab-runc)
    fi
    say "starting dockerd ${args[*]} (log: $D/dockerd.log)"
    setsid nohup dockerd "${args[@]}" >>"$D/dockerd.log" 2>&1 </dev/null &
    echo $! >"$OURS"
    for _ in $(seq 60); do
        if answers; then
            say "dockerd answers: $(docker info --format '{{.ServerVersion}} {{.Driver}} cgroup v{{.CgroupVersion}} runtime {{.DefaultRuntime}}')"
            return
        fi
        kill -0 "$(cat "$OURS")" 2>/dev/null || break
        sleep 1
    done
    tail -20 "$D/dockerd.log" >&2
    fail "dockerd did not answer within 60 s; full log: $D/dockerd.log"
}

# Deletes every rule of a table that mentions Docker's chains or bridges, then Docker's chains.
clean_iptables() {
    local table=$1 rule chain
    iptables -t "$table" -S | grep -E '^-A .*(DOCKER|docker0|br-[0-9a-f]{12})' | while read -r rule; do
        eval "iptables -t $table ${rule/#-A/-D}" || true
    done
    for chain in $(iptables -t "$table" -S | awk '$1 == "-N" && $2 ~ /^DOCKER/ {print $2}'); do
        iptables -t "$table" -F "$chain" && iptables -t "$table" -X "$chain" || true
    done
}

stop() {
    if [ ! -f "$OURS" ]; then
        say "no dockerd was started by the toolchain: nothing to stop"
        return
    fi
    local pid
    pid=$(cat "$OURS")
    if kill -0 "$pid" 2>/dev/null; then
        say "stopping dockerd (pid $pid; it stops its containers first)"
        kill -TERM "$pid"
        for _ in $(seq 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -0 "$pid" 2>/dev/null && fail "dockerd (pid $pid) did not stop within 30 s"
    fi
    local link
    for link in $(ip -o link show type bridge | awk -F': ' '{print $2}' | grep -E '^(docker0|br-[0-9a-f]{12})$' || true); do
        say "removing bridge $link"
        ip link delete "$link"
    done
    say "removing Docker's iptables rules and chains"
    clean_iptables nat
    clean_iptables filter
    rm -f "$OURS" "$D/dockerd.pid"
    say "stopped; the images and volumes stay in /var/lib/docker for the next start"
}

case ${1:-} in
start) start ;;
stop) stop ;;
*) fail "usage: docker-engine.sh start|stop" ;;
esac
