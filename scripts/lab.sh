#!/usr/bin/env bash
# Brings the lab up, previews it, or tears it down, with no Pulumi Cloud account:
# state lives in a local file backend (.lab-state/ in this clone) and the stack
# (default: dev) is created when missing.
#
#   npm run up        # or: bash scripts/lab.sh up [extra pulumi up flags]
#   npm run preview
#   npm run down
#
# Environment: LAB_STACK (default dev), PULUMI_BACKEND_URL (default file://<clone>/.lab-state),
# PULUMI_CONFIG_PASSPHRASE (default empty: the only secret is a local kubeconfig).
set -euo pipefail
cd "$(dirname "$0")/.."

action="${1:-}"
shift || true
case "$action" in
up | preview | down) ;;
*)
    echo "usage: scripts/lab.sh up|preview|down [extra pulumi flags]" >&2
    exit 2
    ;;
esac

stack="${LAB_STACK:-dev}"
started=$SECONDS
step() { printf '\n==> %s\n' "$*"; }
fail() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

step "Checking prerequisites"
command -v node >/dev/null || fail "Node.js is not installed. Install Node.js 20.19 or newer (https://nodejs.org)."
command -v pulumi >/dev/null ||
    fail "the Pulumi CLI is not installed. Install it (curl -fsSL https://get.pulumi.com | sh, or brew install pulumi), then run again."
if [ "$action" = up ] && ! command -v kubectl >/dev/null; then
    echo "warning: kubectl is not installed: the lab deploys, but you need kubectl to run the exported commands." >&2
fi
echo "node $(node --version), pulumi $(pulumi version)"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "Installing dependencies (npm ci)"
    npm ci --no-audit --no-fund
fi

export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.lab-state}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
export PULUMI_SKIP_UPDATE_CHECK=true
case "$PULUMI_BACKEND_URL" in
file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;;
esac

step "Selecting stack $stack (backend $PULUMI_BACKEND_URL)"
if [ "$action" = down ]; then
    pulumi stack select "$stack" --non-interactive ||
        fail "there is no stack $stack in $PULUMI_BACKEND_URL: nothing to tear down."
else
    pulumi stack select "$stack" --create --non-interactive
fi

case "$action" in
up)
    step "Deploying the lab (a new kind cluster takes a minute or two)"
    # --refresh first notices a cluster deleted by hand, so this run recreates it. PULUMI_RUN_PROGRAM
    # (--run-program; older CLIs ignore the variable) refreshes in program order: with Docker stopped the
    # kind cluster's refresh fails first and the Pods are never read, so they are not dropped from the
    # state as unreachable (the provider's deleteUnreachable), and the next run converges.
    # The guardrail policies (policy/) check every resource before it is created.
    PULUMI_RUN_PROGRAM=true pulumi up --refresh --yes --non-interactive --policy-pack policy --stack "$stack" "$@"
    step "Try it: paste any of these"
    pulumi stack output --stack "$stack" logCommands --json
    pulumi stack output --stack "$stack" watchCommands --json
    ;;
preview)
    step "Previewing the lab"
    pulumi preview --diff --non-interactive --policy-pack policy --stack "$stack" "$@"
    ;;
down)
    step "Tearing the lab down (Pods, namespace and the kind cluster)"
    pulumi destroy --yes --non-interactive --stack "$stack" "$@"
    ;;
esac
printf '\nDone in %ss.\n' "$((SECONDS - started))"
