#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows/*.yml) with actionlint, shellcheck included.
#
#   npm run lint:workflows            # or: bash scripts/actionlint.sh [actionlint flags]
#
# actionlint is built from the Go module proxy (no GitHub download) into
#   ${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}/bin/actionlint
# once, with its version stamped the way actionlint's release (.goreleaser.yaml) does; later runs reuse
# it. shellcheck is required: without it actionlint silently skips every `run:` script. When missing
# it is installed with apt-get (as root, or through passwordless sudo, as on GitHub's runners).
# Building needs Go 1.25 or newer (actionlint's go.mod), or a Go that may fetch that toolchain (GOTOOLCHAIN=auto).
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_MODULE=github.com/rhysd/actionlint
ACTIONLINT_VERSION=v1.7.12
T=${LAB_TOOLCHAIN_DIR:-$HOME/.cache/init-sidecar-lab/toolchain}
BIN=$T/bin
ACTIONLINT=$BIN/actionlint

say() { printf 'actionlint.sh: %s\n' "$*" >&2; }
fail() {
    printf 'actionlint.sh: error: %s\n' "$*" >&2
    exit 1
}

installed_version() { # the first line of `actionlint -version`, e.g. 1.7.12
    [ -x "$ACTIONLINT" ] && "$ACTIONLINT" -version 2>/dev/null | head -n 1
}

build_actionlint() {
    command -v go >/dev/null ||
        fail "Go is not installed, and actionlint $ACTIONLINT_VERSION is built from source. Install Go (https://go.dev/dl/, or apt-get install golang), then run again."
    export GOMODCACHE=$T/gomodcache GOCACHE=$T/gocache GOFLAGS=-buildvcs=false CGO_ENABLED=0
    local started=$SECONDS log tmp
    mkdir -p "$BIN"
    log=$(mktemp)
    tmp=$(mktemp -d "$BIN/.actionlint-build.XXXXXX")
    # shellcheck disable=SC2064 # expand now: these are locals
    trap "rm -rf '$tmp' '$log'" EXIT
    say "building actionlint $ACTIONLINT_VERSION from the Go module proxy ($(go env GOPROXY)) with $(go version | cut -d' ' -f3) into $ACTIONLINT"

    say "fetching $ACTIONLINT_MODULE@$ACTIONLINT_VERSION"
    if ! go mod download -x "$ACTIONLINT_MODULE@$ACTIONLINT_VERSION" 2>"$log"; then
        cat "$log" >&2 # -x: the URLs go tried
        fail "could not fetch $ACTIONLINT_MODULE@$ACTIONLINT_VERSION from the Go module proxy ($(go env GOPROXY)); see go's message above."
    fi
    say "fetched in $((SECONDS - started)) s; fetching its dependencies and compiling"

    # `go install pkg@version` builds with actionlint's own go.mod and go.sum, so every dependency is
    # checked against its recorded hash. GOBIN is a temporary folder: a failed build leaves no binary.
    # go's own "go: downloading ..." lines are the progress shown here.
    if ! GOBIN=$tmp go install -trimpath \
        -ldflags "-s -w -X $ACTIONLINT_MODULE.version=${ACTIONLINT_VERSION#v} -X '$ACTIONLINT_MODULE.installedFrom=built from the Go module proxy by scripts/actionlint.sh'" \
        "$ACTIONLINT_MODULE/cmd/actionlint@$ACTIONLINT_VERSION" 2>&1 | tee "$log" >&2; then
        local missing
        # go names the package it was building first, then the module it could not fetch, if any.
        missing=$(grep -Eo '[a-z0-9.-]+\.[a-z]+(/[^ :@/]+)+@v[^ :/]+:' "$log" | grep -vF "$ACTIONLINT_MODULE/cmd/actionlint@" |
            tr -d : | sort -u | tr '\n' ' ' || true)
        if [ -z "$missing" ] && grep -qF "$ACTIONLINT_MODULE" "$log"; then missing="$ACTIONLINT_MODULE@$ACTIONLINT_VERSION "; fi
        if [ -n "$missing" ]; then
            fail "could not build actionlint $ACTIONLINT_VERSION: the Go module proxy ($(go env GOPROXY)) did not serve ${missing% } (see go's message above)."
        fi
        fail "could not build actionlint $ACTIONLINT_VERSION; see go's message above."
    fi
    mv -f "$tmp/actionlint" "$ACTIONLINT"
    say "built $("$ACTIONLINT" -version | head -n 1) in $((SECONDS - started)) s"
}

ensure_shellcheck() {
    command -v shellcheck >/dev/null && return
    local why="shellcheck is not installed, and actionlint needs it to check the workflows' run: scripts"
    local sudo=(env DEBIAN_FRONTEND=noninteractive) how="as root"
    if [ "$(id -u)" -ne 0 ]; then
        sudo -n true 2>/dev/null ||
            fail "$why. Install it (sudo apt-get install shellcheck, or brew install shellcheck), then run again."
        sudo=(sudo -n "${sudo[@]}") how="through sudo"
    fi
    command -v apt-get >/dev/null ||
        fail "$why. Install it (https://github.com/koalaman/shellcheck#installing), then run again."
    say "$why: installing it with apt-get install -y shellcheck ($how)"
    if ! "${sudo[@]}" apt-get install -y -qq shellcheck >/dev/null; then
        say "apt-get install failed; updating the package lists and trying once more"
        if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq shellcheck >/dev/null; }; then
            fail "could not install shellcheck with apt-get (see apt-get's message above)."
        fi
    fi
    command -v shellcheck >/dev/null || fail "apt-get reported success but shellcheck is still not on PATH."
    say "installed $(shellcheck --version | sed -n 's/^version: /shellcheck /p')"
}

found=$(installed_version || true)
if [ "$found" = "${ACTIONLINT_VERSION#v}" ]; then
    say "actionlint $found already built at $ACTIONLINT; nothing to build"
else
    [ -z "$found" ] || say "$ACTIONLINT reports version $found, not ${ACTIONLINT_VERSION#v}: rebuilding"
    build_actionlint
fi
ensure_shellcheck

shopt -s nullglob
workflows=(.github/workflows/*.yml)
[ ${#workflows[@]} -gt 0 ] || fail "no workflows found in .github/workflows/*.yml"
"$ACTIONLINT" "$@" "${workflows[@]}"
echo "actionlint ${ACTIONLINT_VERSION#v} (shellcheck $(shellcheck --version | sed -n 's/^version: //p')): ${#workflows[@]} workflow file(s) OK"
