#!/usr/bin/env bash
# Builds (or finds already built) everything the end-to-end suite needs, pinned in
# e2e/toolchain/versions.env, into a cache outside the repo:
#
#   ${LAB_TOOLCHAIN_DIR:-~/.cache/init-sidecar-lab/toolchain}/{bin,k8s-bin,images,kind-node,docker}
#
#   npm run e2e:toolchain                        # build what is missing or out of date
#   bash scripts/e2e-toolchain.sh --check        # only report; exit 1 if anything must be built
#   bash scripts/e2e-toolchain.sh etcd kind      # only these components (see COMPONENTS below)
#   eval "$(bash scripts/e2e-toolchain.sh --env)" # put pulumi, kind, kubectl (and docker, node) first on PATH
#   bash scripts/e2e-toolchain.sh --stop-docker  # stop the dockerd this script started, and clean up
#   LAB_TOOLCHAIN_SKIP="coredns kind-node-image" npm run e2e:toolchain  # leave components out
#
# The node component is .nvmrc's Node.js, fetched from the npm registry by scripts/node.sh (into
# ~/.cache/init-sidecar-lab/node) only where the node on PATH is older.
# Real kind needs a Docker engine: when none answers, the docker component installs Debian's docker.io
# and starts dockerd in the background (log: docker/dockerd.log); where Docker already runs (a
# laptop, a CI runner) it does nothing. kind-node-image builds the kind node image KIND_NODE_IMAGE
# locally (docs/kind-node-image.md), so `kind create cluster` needs no registry.
#
# Idempotent: a component whose binaries report the pinned version (and, for what we build from
# sources in this repo, whose source hash matches its stamp) is skipped, so a warm run takes seconds.
# A cold run took 23 minutes on 2 cores, kind, coredns and the node image included
# (docs/kind-node-image.md). It needs ~20 GB of disk for the Go caches (kept, so version bumps rebuild fast).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../e2e/toolchain/versions.env
. "$REPO/e2e/toolchain/versions.env"
T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}
export LAB_TOOLCHAIN_DIR=$T
LOGS=$T/logs STAMPS=$T/stamps
NODE_SRC=$REPO/e2e/kind-node-image
# The Docker client that matches a dockerd we installed (docker-engine.sh links it there).
PATH=$T/docker/bin:$PATH
COMPONENTS="node apt docker pulumi langhost k8s-provider dynamic-host kubernetes etcd images kind coredns crictl kind-node-image"
MIN_FREE_GB=20

started=$SECONDS
say() { printf '[e2e-toolchain %4ss] %s\n' "$((SECONDS - started))" "$*" >&2; }
fail() {
    say "ERROR: $*"
    exit 1
}

# --- what each component is, and the check that proves it is built ---------------------------------

hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# The stamp of a component built from sources kept in this repo: rebuilt when they change.
stamp_for() {
    case $1 in
    langhost) echo "$PULUMI_VERSION $(hash_of "$REPO"/e2e/toolchain/pulumi-language-nodejs-lite/*)" ;;
    images)
        echo "$BUSYBOX_IMAGE $PAUSE_IMAGE $(hash_of "$NODE_SRC"/build-images.sh "$NODE_SRC"/make-oci-image.sh \
            "$NODE_SRC"/pause/main.go /bin/busybox)"
        ;;
    kind-node-image)
        # Every pin the image holds, and every file it is built from (so any edit rebuilds it).
        echo "$KIND_NODE_IMAGE $KVER $EVER $COREDNS_VERSION $CRICTL_VERSION $BUSYBOX_IMAGE $PAUSE_IMAGE $DEBIAN_SUITE" \
            "$NODE_PACKAGES $TOOLS_IMAGE_PACKAGES $(find "$NODE_SRC" -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)"
        ;;
    esac
}

# Prints the version the built artefacts report; the caller compares it with the pin.
version_of() {
    case $1 in
    node)
        local dir
        dir=$(bash "$REPO/scripts/node.sh" --bin) && "${dir:+$dir/}node" --version
        ;;
    apt) dpkg-query -W -f='${Package} ${Version}\n' $APT_PACKAGES 2>/dev/null | tr '\n' ' ' ;;
    pulumi) "$T/bin/pulumi" version ;;
    langhost) "$T/bin/pulumi-language-nodejs" -version ;;
    k8s-provider)
        # The provider has no -version flag: its schema carries the stamped version.
        PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME=$(mktemp -d) "$T/bin/pulumi" package get-schema \
            "$T/bin/pulumi-resource-kubernetes" | jq -r '"\(.name) \(.version)"'
        ;;
    dynamic-host) grep -q 'dynamic-provider' "$T/bin/pulumi-resource-pulumi-nodejs" && echo "$PULUMI_VERSION" ;;
    kubernetes)
        for b in kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubelet; do "$T/k8s-bin/$b" --version; done
        "$T/k8s-bin/kubeadm" version -o short
        "$T/k8s-bin/kubectl" version --client
        ;;
    etcd) "$T/k8s-bin/etcd" --version | head -1 ;;
    docker) timeout 10 docker info --format '{{.ServerVersion}}' ;;
    kind) "$T/bin/kind" version ;;
    coredns) "$T/kind-node/bin/coredns" -version | head -1 ;;
    crictl) "$T/k8s-bin/crictl" --version ;;
    kind-node-image) docker image inspect -f '{{index .Config.Labels "lab.local.kind-node-stamp"}}' "$KIND_NODE_IMAGE" ;;
    images)
        for f in "$T/images/busybox-${BUSYBOX_IMAGE##*:}.oci.tar" "$T/images/pause-${PAUSE_IMAGE##*:}.oci.tar"; do
            tar -xOf "$f" index.json | jq -r '.manifests[0].annotations["io.containerd.image.name"]'
        done | tr '\n' ' '
        ;;
    esac
}

# Does that version output match the pins? (One word per expected fragment.)
version_ok() {
    local out=$2
    case $1 in
    node)
        local major=${out#v}
        major=${major%%.*}
        [[ $major =~ ^[0-9]+$ ]] && [ "$major" -ge "$(tr -d '[:space:]v' <"$REPO/.nvmrc")" ]
        ;;
    apt) for p in $APT_PACKAGES; do [[ " $out " == *" $p "* ]] || return 1; done ;;
    pulumi | langhost | dynamic-host) [ "$out" = "$PULUMI_VERSION" ] ;;
    k8s-provider) [ "$out" = "kubernetes $K8S_PROVIDER_VERSION" ] ;;
    kubernetes) [ "$(grep -c "$KVER\$" <<<"$out")" -eq 7 ] ;;
    etcd) [ "$out" = "etcd Version: ${EVER#v}" ] ;;
    docker) [ -n "$out" ] ;;
    kind) [[ "$out" == "kind $KIND_VERSION "* ]] ;;
    coredns) [ "$out" = "CoreDNS-${COREDNS_VERSION#v}" ] ;;
    crictl) [ "$out" = "crictl version $CRICTL_VERSION" ] ;;
    kind-node-image) [ "$out" = "$(stamp_for kind-node-image)" ] ;;
    images) [ "$out" = "$BUSYBOX_IMAGE $PAUSE_IMAGE " ] ;;
    esac
}

# Pinned components are current when they report their pinned version; the two built from sources
# in this repo (language host, images) must also carry the stamp of those sources.
is_current() {
    local c=$1
    case $c in
    langhost | images) [ "$(cat "$STAMPS/$c" 2>/dev/null)" = "$(stamp_for "$c")" ] || return 1 ;;
    esac
    version_ok "$c" "$(version_of "$c" 2>/dev/null)"
}

# --- how each component is built ------------------------------------------------------------------

build() {
    case $1 in
    node) bash "$REPO/scripts/node.sh" --install ;;
    apt)
        [ "$(id -u)" = 0 ] || fail "missing Debian packages ($APT_PACKAGES); install them as root: apt-get install -y $APT_PACKAGES"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $APT_PACKAGES
        ;;
    pulumi) bash "$REPO/e2e/toolchain/build-pulumi.sh" cli ;;
    langhost) bash "$REPO/e2e/toolchain/build-pulumi.sh" langhost ;;
    k8s-provider) bash "$REPO/e2e/toolchain/build-pulumi.sh" k8s ;;
    dynamic-host) bash "$REPO/e2e/toolchain/build-pulumi.sh" scripts ;;
    kubernetes) bash "$REPO/e2e/toolchain/build-k8s.sh" ;;
    etcd) bash "$REPO/e2e/toolchain/build-etcd.sh" ;;
    images) bash "$NODE_SRC/build-images.sh" ;;
    docker) bash "$REPO/e2e/toolchain/docker-engine.sh" start ;;
    kind)
        GOMODCACHE=$T/gomodcache GOCACHE=${GOCACHE:-$T/gocache} GOFLAGS=-mod=mod CGO_ENABLED=0 GOBIN=$T/bin \
            nice -n 19 go install -trimpath -ldflags '-s -w' "sigs.k8s.io/kind@$KIND_VERSION"
        ;;
    coredns) bash "$REPO/e2e/toolchain/build-extras.sh" coredns ;;
    crictl) bash "$REPO/e2e/toolchain/build-extras.sh" crictl ;;
    kind-node-image) bash "$NODE_SRC/build-node-image.sh" "$(stamp_for kind-node-image)" ;;
    esac
}

# What a cold build of each costs on 2 cores, so a long silence is expected, not a hang.
expected() {
    case $1 in
    node) echo "~10 s" ;; apt) echo "~30 s" ;; pulumi) echo "~4 min" ;; langhost) echo "~30 s" ;; k8s-provider) echo "~6 min" ;;
    dynamic-host) echo "seconds" ;; kubernetes) echo "~6 min" ;; etcd) echo "~1 min" ;; images) echo "~10 s" ;;
    docker) echo "~30 s" ;; kind) echo "~1 min" ;; coredns) echo "~2 min" ;; crictl) echo "~30 s" ;; kind-node-image) echo "~2 min" ;;
    esac
}

# Runs one build in the background with its output in a log, printing a heartbeat (elapsed time and
# the log's last line) every 30 s, and on failure the log's tail plus the module the proxy refused.
build_with_progress() {
    local c=$1 log=$LOGS/$1.log t0=$SECONDS
    say "$c: building (cold: $(expected "$c")); log: $log"
    build "$c" >"$log" 2>&1 &
    local pid=$! last=$SECONDS
    while kill -0 $pid 2>/dev/null; do
        sleep 2
        if kill -0 $pid 2>/dev/null && ((SECONDS - last >= 30)); then
            say "$c: still building ($((SECONDS - t0)) s): $(tail -1 "$log" | cut -c1-100)"
            last=$SECONDS
        fi
    done
    if ! wait $pid; then
        tail -15 "$log" | sed 's/^/    /' >&2
        local refused
        refused=$(grep -oE '(module|go: downloading|reading) [^ :]+[@ ][^ :]+' "$log" | tail -1 || true)
        fail "$c could not be built${refused:+ (last fetch: $refused)}. Full log: $log"
    fi
    local got
    got=$(version_of "$c" 2>&1) || true
    version_ok "$c" "$got" || fail "$c was built but reports \"$got\", not the pinned version (see e2e/toolchain/versions.env)"
    case $c in langhost | images) stamp_for "$c" >"$STAMPS/$c" ;; esac
    say "$c: built in $((SECONDS - t0)) s; version: $(echo "$got" | tr '\n' ' ' | cut -c1-100)"
}

# --- main --------------------------------------------------------------------------------------------

# The shell exports that make the toolchain's tools the ones a learner's commands find, and tell the
# lab to use the local node image. Only prints; says on stderr what is not built yet.
print_env() {
    local dirs=$T/bin missing=() b node_dir
    [ -x "$T/docker/bin/docker" ] && dirs=$T/docker/bin:$dirs # only where the toolchain installed Docker
    # .nvmrc's Node.js, only where the one on PATH is older (scripts/node.sh fetched it: the node component).
    node_dir=$(bash "$REPO/scripts/node.sh" --bin 2>/dev/null) || missing+=("node")
    [ -z "$node_dir" ] || dirs=$node_dir:$dirs
    printf 'export PATH=%q:"$PATH"\n' "$dirs"
    # Only where the node image was built here: elsewhere kind pulls its own default image.
    if docker image inspect "$KIND_NODE_IMAGE" >/dev/null 2>&1; then
        printf 'export LAB_KIND_NODE_IMAGE=%q\n' "$KIND_NODE_IMAGE"
    fi
    echo 'export PULUMI_SKIP_UPDATE_CHECK=true'
    # The provider plugins are on PATH; never download others.
    echo 'export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true'
    for b in pulumi pulumi-resource-kubernetes kind kubectl; do [ -x "$T/bin/$b" ] || missing+=("$b"); done
    [ ${#missing[@]} -eq 0 ] || echo "e2e-toolchain: not built yet: ${missing[*]} (run: npm run e2e:toolchain)" >&2
}

check_only=0
wanted=()
for arg in "$@"; do
    case $arg in
    --check) check_only=1 ;;
    --env)
        print_env
        exit 0
        ;;
    --stop-docker) exec bash "$REPO/e2e/toolchain/docker-engine.sh" stop ;;
    -h | --help)
        sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    -*) fail "unknown option $arg (options: --check, --env, --stop-docker, --help)" ;;
    *)
        [[ " $COMPONENTS " == *" $arg "* ]] || fail "unknown component \"$arg\"; components: $COMPONENTS"
        wanted+=("$arg")
        ;;
    esac
done
[ ${#wanted[@]} -gt 0 ] || read -r -a wanted <<<"$COMPONENTS"
# LAB_TOOLCHAIN_SKIP="coredns kind-node-image": where a registry serves kindest/node (CI runners).
for c in ${LAB_TOOLCHAIN_SKIP:-}; do
    [[ " $COMPONENTS " == *" $c "* ]] || fail "LAB_TOOLCHAIN_SKIP names an unknown component \"$c\"; components: $COMPONENTS (e.g. LAB_TOOLCHAIN_SKIP=\"coredns kind-node-image\")"
    for i in "${!wanted[@]}"; do [ "${wanted[i]}" != "$c" ] || unset 'wanted[i]'; done
done
[ ${#wanted[@]} -gt 0 ] || fail "LAB_TOOLCHAIN_SKIP=\"$LAB_TOOLCHAIN_SKIP\" leaves nothing to build"

mkdir -p "$T/bin" "$T/k8s-bin" "$T/images" "$LOGS" "$STAMPS"
ln -sfn ../k8s-bin/kubectl "$T/bin/kubectl" # so one directory on PATH (--env) holds every client
say "toolchain cache: $T"

stale=()
for c in "${wanted[@]}"; do
    if is_current "$c"; then
        say "$c: up to date"
    else
        stale+=("$c")
    fi
done

if [ ${#stale[@]} -eq 0 ]; then
    say "everything is built ($(du -sh "$T/bin" "$T/k8s-bin" "$T/images" 2>/dev/null | awk '{print $1}' | tr '\n' '+' | sed 's/+$//'))"
    exit 0
fi
if [ $check_only = 1 ]; then
    say "to build: ${stale[*]} (run: npm run e2e:toolchain)"
    exit 1
fi

# Preconditions of a build, checked before spending minutes on it.
needs_go=0
for c in "${stale[@]}"; do [[ " node apt dynamic-host docker " == *" $c "* ]] || needs_go=1; done
if [ $needs_go = 1 ]; then
    command -v go >/dev/null || fail "Go is not installed: the toolchain compiles from Go modules (go 1.26 or newer)."
    go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
    [ "$go_minor" -ge 26 ] || fail "Go $(go env GOVERSION) is too old: the pinned modules need go1.26 or newer."
    free_gb=$(df -Pk "$T" | awk 'NR==2 {print int($4 / 1048576)}')
    [ "$free_gb" -ge "$MIN_FREE_GB" ] || say "warning: only ${free_gb} GB free under $T; a cold build needs about ${MIN_FREE_GB} GB"
fi
# The Pulumi scripts need jq and the host packages; install those first.
if [[ " ${stale[*]} " == *" apt "* ]]; then
    build_with_progress apt
    stale=("${stale[@]/apt/}")
fi
for c in "${stale[@]}"; do
    [ -n "$c" ] && build_with_progress "$c"
done
say "done in $((SECONDS - started)) s; cache: $(du -sh "$T" | cut -f1) (binaries $(du -shc "$T/bin" "$T/k8s-bin" "$T/images" | tail -1 | cut -f1), the rest are Go caches)"
