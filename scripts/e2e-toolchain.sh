#!/usr/bin/env bash
# Builds (or finds already built) everything the end-to-end suite needs, pinned in
# e2e/toolchain/versions.env, into a cache outside the repo:
#
#   ${LAB_TOOLCHAIN_DIR:-~/.cache/init-sidecar-lab/toolchain}/{bin,k8s-bin,images}
#
#   npm run e2e:toolchain                 # build what is missing or out of date
#   bash scripts/e2e-toolchain.sh --check # only report; exit 1 if anything must be built
#   bash scripts/e2e-toolchain.sh etcd    # only these components (see COMPONENTS below)
#
# Idempotent: a component whose binaries report the pinned version (and, for the language host and
# the images, which we build from sources in this repo, whose source hash matches its stamp) is
# skipped, so a warm run takes about a second. A cold run took 27 minutes on
# 2 cores, and needs ~20 GB of disk for the Go caches (kept, so version bumps rebuild fast).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../e2e/toolchain/versions.env
. "$REPO/e2e/toolchain/versions.env"
T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}
export LAB_TOOLCHAIN_DIR=$T
LOGS=$T/logs STAMPS=$T/stamps
COMPONENTS="apt pulumi langhost k8s-provider dynamic-host kubernetes etcd images"
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
        echo "$BUSYBOX_IMAGE $PAUSE_IMAGE $(hash_of "$REPO"/e2e/node/build-images.sh "$REPO"/e2e/node/make-oci-image.sh \
            "$REPO"/e2e/node/pause/main.go /bin/busybox)"
        ;;
    esac
}

# Prints the version the built artefacts report; the caller compares it with the pin.
version_of() {
    case $1 in
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
        for b in kube-apiserver kube-controller-manager kube-scheduler kubelet; do "$T/k8s-bin/$b" --version; done
        "$T/k8s-bin/kubectl" version --client
        ;;
    etcd) "$T/k8s-bin/etcd" --version | head -1 ;;
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
    apt) for p in $APT_PACKAGES; do [[ " $out " == *" $p "* ]] || return 1; done ;;
    pulumi | langhost | dynamic-host) [ "$out" = "$PULUMI_VERSION" ] ;;
    k8s-provider) [ "$out" = "kubernetes $K8S_PROVIDER_VERSION" ] ;;
    kubernetes) [ "$(grep -c "$KVER\$" <<<"$out")" -eq 5 ] ;;
    etcd) [ "$out" = "etcd Version: ${EVER#v}" ] ;;
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
    apt)
        [ "$(id -u)" = 0 ] || fail "missing Debian packages ($APT_PACKAGES); install them as root: apt-get install -y $APT_PACKAGES"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $APT_PACKAGES
        ;;
    pulumi) bash "$REPO/e2e/toolchain/build-pulumi.sh" cli ;;
    langhost) bash "$REPO/e2e/toolchain/build-pulumi.sh" langhost ;;
    k8s-provider) bash "$REPO/e2e/toolchain/build-pulumi.sh" k8s ;;
    dynamic-host) bash "$REPO/e2e/toolchain/build-pulumi.sh" scripts ;;
    kubernetes) bash "$REPO/e2e/node/build-k8s-server.sh" ;;
    etcd) bash "$REPO/e2e/node/build-etcd.sh" ;;
    images) rm -f "$T"/images/*.oci.tar && bash "$REPO/e2e/node/build-images.sh" ;;
    esac
}

# What a cold build of each costs on 2 cores, so a long silence is expected, not a hang.
expected() {
    case $1 in
    apt) echo "~30 s" ;; pulumi) echo "~4 min" ;; langhost) echo "~30 s" ;; k8s-provider) echo "~6 min" ;;
    dynamic-host) echo "seconds" ;; kubernetes) echo "~5 min" ;; etcd) echo "~1 min" ;; images) echo "~10 s" ;;
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

check_only=0
wanted=()
for arg in "$@"; do
    case $arg in
    --check) check_only=1 ;;
    -h | --help)
        sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    -*) fail "unknown option $arg (options: --check, --help)" ;;
    *)
        [[ " $COMPONENTS " == *" $arg "* ]] || fail "unknown component \"$arg\"; components: $COMPONENTS"
        wanted+=("$arg")
        ;;
    esac
done
[ ${#wanted[@]} -gt 0 ] || read -r -a wanted <<<"$COMPONENTS"

mkdir -p "$T/bin" "$T/k8s-bin" "$T/images" "$LOGS" "$STAMPS"
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
for c in "${stale[@]}"; do [[ " apt dynamic-host " == *" $c "* ]] || needs_go=1; done
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
