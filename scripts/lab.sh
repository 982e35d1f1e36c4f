#!/usr/bin/env bash
# Brings the lab up, previews it, or tears it down, with no Pulumi Cloud account:
# by default the state lives in a local file backend (.lab-state/ in this clone),
# and the stack (default: dev) is created when missing.
#
#   npm run up        # or: bash scripts/lab.sh up [extra pulumi up flags]
#   npm run preview
#   npm run down
#   npm run pulumi -- config set kubeContext my-cluster   # any pulumi command, on the lab's backend and stack
#
# Environment: LAB_STACK (default dev). The backend and passphrase (LAB_BACKEND=login,
# PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, PULUMI_CONFIG_PASSPHRASE_FILE) are decided by
# lab/backend.ts, as for npm run classroom and npm run verify.
set -euo pipefail
cd "$(dirname "$0")/.."

action="${1:-}"
shift || true
case "$action" in
up | preview | down | pulumi) ;;
*)
    echo "usage: scripts/lab.sh up|preview|down [extra pulumi flags], or scripts/lab.sh pulumi <pulumi command>" >&2
    exit 2
    ;;
esac

stack="${LAB_STACK:-dev}"
started=$SECONDS
# Progress goes to stderr: `npm run pulumi -- stack output --json` keeps a clean stdout.
step() { printf '\n==> %s\n' "$*" >&2; }
fail() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

step "Checking prerequisites"
lab_node=$(tr -d '[:space:]v' <.nvmrc) # the lab's Node.js major, written once
command -v node >/dev/null || fail "Node.js is not installed. Install Node.js $lab_node or newer (https://nodejs.org/en/download)."
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt "$lab_node" ]; then
    echo "warning: Node.js $(node --version) is older than the lab's Node.js $lab_node (.nvmrc; @pulumi/pulumi requires it): nvm install, or for this shell: eval \"\$(bash scripts/node.sh --env)\"" >&2
fi
command -v pulumi >/dev/null ||
    fail "the Pulumi CLI is not installed. Install it (curl -fsSL https://get.pulumi.com | sh, or brew install pulumi), then run again."
if [ "$action" = up ] && ! command -v kubectl >/dev/null; then
    echo "warning: kubectl is not installed: the lab deploys, but you need kubectl to run the exported commands." >&2
fi
echo "node $(node --version), pulumi $(pulumi version)" >&2

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "Installing dependencies (npm ci)"
    npm ci --no-audit --no-fund >&2
fi

# Exports PULUMI_BACKEND_URL and the passphrase settings, and LAB_BACKEND_NOTES (which and why).
decisions=$(node -r ts-node/register/transpile-only lab/backend.ts) || exit 2
eval "$decisions"

# The host check (doctor/, npm run doctor): stops up before anything is created when a required tool is missing.
[ "$action" != up ] || node_modules/.bin/ts-node --transpile-only doctor/cli.ts --stack "$stack" || fail "the host is not ready for the lab (see above); npm run doctor checks again."

step "Selecting stack $stack"
echo "$LAB_BACKEND_NOTES" >&2
if [ "$action" = down ]; then
    pulumi stack select "$stack" --non-interactive ||
        fail "there is no stack $stack in $PULUMI_BACKEND_URL: nothing to tear down."
else
    pulumi stack select "$stack" --create --non-interactive >&2
fi

case "$action" in
up)
    # An existing cluster gets the lab's images from this host's Docker now (a new one as it is created),
    # so its nodes never pull them. Only says what it did: a load that cannot happen never stops up.
    node_modules/.bin/ts-node --transpile-only lab/imageHost.ts --stack "$stack" || true
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
pulumi)
    [ $# -gt 0 ] || fail "name a pulumi command, e.g. npm run pulumi -- config set kubeContext my-cluster"
    step "pulumi $*"
    # The stack is selected above; a key without "<project>:" is the lab's own (init-sidecar-lab:).
    exec pulumi "$@"
    ;;
esac
printf '\nDone in %ss.\n' "$((SECONDS - started))" >&2
