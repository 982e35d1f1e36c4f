#!/bin/bash
# Builds the kind node image $KIND_NODE_IMAGE (versions.env) into the local Docker engine, from
# Debian packages and the binaries the toolchain built (kubernetes, etcd, coredns, crictl, images):
#   1. two Debian root filesystems with mmdebstrap, cached by their package lists: the node's
#      (systemd, containerd, runc, CNI plugins, iptables...) and a small one for the image that
#      needs iptables/ip (kube-proxy);
#   2. one OCI archive per image kubeadm and kind will run, named as kubeadm asks for them;
#   3. `docker build` of the node from the node rootfs, files/, kubeadm/kubelet/kubectl;
#   4. the archives imported into the node's containerd (not unpacked), then `docker commit`, so
#      `kind create cluster` needs no registry.
# Run by scripts/e2e-toolchain.sh (component kind-node-image); needs root, Docker, mmdebstrap.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}
# shellcheck source=../toolchain/versions.env
. "$REPO/e2e/toolchain/versions.env"
K=$T/k8s-bin N=$T/kind-node
STAMP=${1:?usage: build-node-image.sh <stamp>}
MIRROR=${LAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$N/rootfs" "$N/images"
step() { echo ">>> $(date +%T) $*"; }

# The files kind runs or reads in a node; a missing one (a clone without it) builds an image that
# cannot start, so stop here instead.
for f in usr/local/bin/entrypoint kind/bin/kubelet-cgroup-root kind/manifests/default-cni.yaml \
    kind/manifests/default-storage.yaml etc/containerd/config.toml etc/systemd/system/kubelet.service; do
    [ -s "$HERE/files/$f" ] || { echo "ERROR: $HERE/files/$f is missing: the node image would not start" >&2; exit 1; }
done

# --- 1. root filesystems ---------------------------------------------------------------------------
rootfs() { # rootfs <name> <variant> <packages>
    local name=$1 variant=$2 packages=$3 key
    key="$DEBIAN_SUITE $variant $packages"
    if [ -f "$N/rootfs/$name.tar" ] && [ "$(cat "$N/rootfs/$name.key" 2>/dev/null)" = "$key" ]; then
        step "rootfs $name: cached"
        return
    fi
    step "rootfs $name: mmdebstrap $variant $DEBIAN_SUITE + $packages"
    mmdebstrap --variant="$variant" --mode=root --format=tar --quiet \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' --include="$packages" \
        "$DEBIAN_SUITE" "$N/rootfs/$name.tar.tmp" "$MIRROR"
    mv "$N/rootfs/$name.tar.tmp" "$N/rootfs/$name.tar"
    echo "$key" >"$N/rootfs/$name.key"
}
rootfs node minbase "$NODE_PACKAGES"
rootfs tools essential "$TOOLS_IMAGE_PACKAGES"

# --- 2. the images the cluster runs ------------------------------------------------------------------
# The binaries must be the pinned ones (another toolchain run may have rebuilt one since).
expect() { # expect <what> <wanted> <command...>
    local what=$1 want=$2 got
    shift 2
    got=$("$@" 2>&1 | head -1) || true
    [[ "$got" == *"$want"* ]] || { echo "ERROR: $what reports \"$got\", expected $want (run: npm run e2e:toolchain)" >&2; exit 1; }
}
for b in kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubelet; do expect "$b" "$KVER" "$K/$b" --version; done
expect kubeadm "$KVER" "$K/kubeadm" version -o short
expect kubectl "$KVER" "$K/kubectl" version --client
expect etcd "${EVER#v}" "$K/etcd" --version
expect coredns "${COREDNS_VERSION#v}" "$N/bin/coredns" -version
expect crictl "$CRICTL_VERSION" "$K/crictl" --version

W=$(mktemp -d)
trap 'rm -rf "$W"; docker rm -f "lab-kind-node-preload-$$" >/dev/null 2>&1 || true' EXIT
LABNET_TAG=$(cat "$HERE"/labnet/* | sha256sum | cut -c1-12)
step "labnet $LABNET_TAG: go build"
(cd "$HERE/labnet" && CGO_ENABLED=0 GOCACHE=${GOCACHE:-$T/gocache} GOFLAGS=-buildvcs=false \
    go build -trimpath -ldflags '-s -w' -o "$N/bin/labnet" .)

PATH_ENV='"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]'
image() { # image <ref> <archive> <config-fragment> <base: scratch|tools> <binary>...
    local ref=$1 out=$N/images/$2 cfg=$3 base=$4 root=$W/root-$2
    shift 4
    mkdir -p "$root/usr/local/bin" "$root/tmp" "$root/etc"
    chmod 1777 "$root/tmp"
    if [ "$base" = tools ]; then
        tar -xf "$N/rootfs/tools.tar" -C "$root"
        # Perl came in with usrmerge, which only the install needed: 3,000 of the root's 4,800 files,
        # which the node's containerd would unpack on every kind create cluster, beside the lab's Pods.
        rm -rf "$root"/usr/bin/perl* "$root"/usr/lib/x86_64-linux-gnu/perl* "$root"/usr/lib/x86_64-linux-gnu/libperl.so* \
            "$root"/usr/share/perl "$root"/usr/share/perl5 "$root"/usr/share/lintian "$root"/usr/share/bash-completion
    fi
    cp "$@" "$root/usr/local/bin/"
    # TLS clients (coredns forwarding to https upstreams, etc.) want the CA bundle.
    [ "$base" = tools ] || cp -r /etc/ssl "$root/etc/"
    step "image $ref"
    bash "$HERE/make-oci-image.sh" "$ref" "$root" "$out" "$cfg"
    rm -rf "$root"
}
rm -f "$N"/images/*.oci.tar
image "registry.k8s.io/kube-apiserver:$KVER" kube-apiserver.oci.tar "{$PATH_ENV}" scratch "$K/kube-apiserver"
image "registry.k8s.io/kube-controller-manager:$KVER" kube-controller-manager.oci.tar "{$PATH_ENV}" scratch "$K/kube-controller-manager"
image "registry.k8s.io/kube-scheduler:$KVER" kube-scheduler.oci.tar "{$PATH_ENV}" scratch "$K/kube-scheduler"
image "registry.k8s.io/kube-proxy:$KVER" kube-proxy.oci.tar "{$PATH_ENV}" tools "$K/kube-proxy"
image "registry.k8s.io/etcd:${EVER#v}-0" etcd.oci.tar "{$PATH_ENV}" scratch "$K/etcd"
image "registry.k8s.io/coredns/coredns:$COREDNS_VERSION" coredns.oci.tar \
    "{$PATH_ENV,\"Entrypoint\":[\"/usr/local/bin/coredns\"]}" scratch "$N/bin/coredns"
image "lab.local/labnet:$LABNET_TAG" labnet.oci.tar "{$PATH_ENV,\"Entrypoint\":[\"/usr/local/bin/labnet\"]}" scratch "$N/bin/labnet"
cp "$T/images/busybox-${BUSYBOX_IMAGE##*:}.oci.tar" "$T/images/pause-${PAUSE_IMAGE##*:}.oci.tar" "$N/images/"

# --- 3. the node ---------------------------------------------------------------------------------------
BASE=lab.local/kind-node-base:$(sha256sum <"$N/rootfs/node.key" | cut -c1-12)
if ! docker image inspect "$BASE" >/dev/null 2>&1; then
    step "docker import $BASE"
    docker import "$N/rootfs/node.tar" "$BASE" >/dev/null
fi
C=$W/context
mkdir -p "$C/bin"
cp -r "$HERE/files" "$C/files"
cp "$K/kubeadm" "$K/kubelet" "$K/kubectl" "$K/crictl" "$C/bin/"
echo "$KVER" >"$C/version"
sed -i "s|^\(\s*sandbox_image = \).*|\1\"$PAUSE_IMAGE\"|" "$C/files/etc/containerd/config.toml"
sed -i "s|LABNET_TAG|$LABNET_TAG|" "$C/files/kind/manifests/default-cni.yaml"
step "docker build (node without images)"
docker build --quiet --build-arg "BASE=$BASE" -t "$KIND_NODE_IMAGE-noimages" -f "$HERE/Dockerfile" "$C"

# --- 4. preload the images into the node's containerd ----------------------------------------------
P=lab-kind-node-preload-$$
step "preloading $(ls "$N/images" | tr '\n' ' ')"
docker run -d --name "$P" --privileged --entrypoint /bin/sleep -v "$N/images:/kind/images:ro" \
    "$KIND_NODE_IMAGE-noimages" infinity >/dev/null
docker exec "$P" bash -c 'containerd >/tmp/containerd.log 2>&1 & for _ in $(seq 100); do ctr version >/dev/null 2>&1 && break; sleep 0.1; done
    set -e
    for a in /kind/images/*.oci.tar; do ctr -n k8s.io images import --no-unpack "$a"; done
    ctr -n k8s.io images ls -q | sort
    pkill containerd; while pgrep -x containerd >/dev/null; do sleep 0.1; done'
docker commit -c 'ENTRYPOINT ["/usr/local/bin/entrypoint"]' -c 'CMD ["/sbin/init"]' \
    -c "LABEL lab.local.kind-node-stamp=\"$STAMP\"" "$P" "$KIND_NODE_IMAGE" >/dev/null
docker rm -f "$P" >/dev/null
docker rmi "$KIND_NODE_IMAGE-noimages" >/dev/null
# The image this one replaced, now untagged (kept while a cluster still runs on it).
docker image prune -f --filter label=lab.local.kind-node-stamp >/dev/null
docker image ls "${KIND_NODE_IMAGE%:*}"
