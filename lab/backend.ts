import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { shellQuote } from "../components/kubectlCommands";
import { expandHome } from "../host/kubeconfig";

/**
 * Where the lab's Pulumi state lives and which passphrase protects its secrets, decided once for
 * every entry point: `npm run up/preview/down` (scripts/lab.sh runs this file), `npm run classroom`,
 * `npm run verify` and the end-to-end harness. {@link decideBackend} is pure (environment in,
 * decisions out); the rest reads the host and applies them.
 *
 * The rules, in order:
 * - backend: a `--backend` flag, else `PULUMI_BACKEND_URL`, else the CLI's current `pulumi login`
 *   when `LAB_BACKEND=login`, else (`LAB_BACKEND` unset or `local`) `file://<clone>/.lab-state`,
 *   a local backend that needs no account. Using the local one while logged in says so, with how
 *   to switch, so a login is never ignored silently.
 * - passphrase (self-managed backends only: Pulumi Cloud keeps the stack's secrets itself):
 *   `PULUMI_CONFIG_PASSPHRASE` or `PULUMI_CONFIG_PASSPHRASE_FILE` when set, else an empty one (the
 *   only secret of a kind stack is the kubeconfig of a cluster on this machine). An empty
 *   `PULUMI_CONFIG_PASSPHRASE` beside a `_FILE` is removed: Pulumi would take it and ignore the file.
 */

export const LAB_BACKEND_VALUES = ["local", "login"] as const;
export const PULUMI_CLOUD = "https://api.pulumi.com";

/** A setting the user can fix; the message names it, the bad value and a good one. */
export class BackendError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "BackendError";
    }
}

export interface BackendInput {
    /** The environment the entry point runs in (LAB_BACKEND, PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE[_FILE]). */
    env: Readonly<Record<string, string | undefined>>;
    /** The clone: the local backend is `<repo>/.lab-state`. */
    repo: string;
    /** A backend given on the command line (`npm run classroom -- --backend URL`); it wins. */
    flag?: string;
    /** The backend of the CLI's `pulumi login`, if any ({@link readCurrentLogin}). */
    currentLogin?: string;
    /** Whether a file exists (the passphrase file is checked before Pulumi runs). */
    fileExists?: (file: string) => boolean;
    /** The stack about to be used, when the entry point knows it (`npm run up`: `$LAB_STACK`, default dev). */
    stack?: string;
}

/** The stack whose settings file is committed, with the salt of the empty passphrase (see Pulumi.dev.yaml). */
export const COMMITTED_STACK = "dev";

export interface BackendDecision {
    /** The backend URL every Pulumi command uses. */
    backend: string;
    /** What chose it. */
    source: "--backend" | "PULUMI_BACKEND_URL" | "LAB_BACKEND=login" | "local";
    /** Variables to set for Pulumi (the backend URL included, so child processes agree). */
    set: Record<string, string>;
    /** Variables to remove from the environment. */
    unset: string[];
    /** A file backend's directory, to create before Pulumi runs. */
    localDir?: string;
    /** Lines for the user: which backend and passphrase, and how to choose others. */
    notes: string[];
}

/** Pulumi Cloud (or a self-hosted Pulumi Cloud) manages secrets itself; other backends need a passphrase. */
export function isSelfManaged(backend: string): boolean {
    return !/^https?:\/\//i.test(backend);
}

function checkUrl(setting: string, value: string, example: string): string {
    if (!/^[a-z][a-z0-9+.-]*:\/\/./i.test(value)) {
        throw new BackendError(
            `${setting} must be a backend URL (file:///path, s3://bucket, https://api.pulumi.com, ...); ` +
                `got ${JSON.stringify(value)}. Example: ${example}`,
        );
    }
    return value;
}

/** The decisions for one run. Pure: throws a {@link BackendError} on a setting the user must fix. */
export function decideBackend(input: BackendInput): BackendDecision {
    const { env, repo } = input;
    const localUrl = `file://${path.join(repo, ".lab-state")}`;
    const labBackend = env.LAB_BACKEND || undefined;
    if (labBackend !== undefined && !(LAB_BACKEND_VALUES as readonly string[]).includes(labBackend)) {
        throw new BackendError(
            `LAB_BACKEND must be "local" (this clone's .lab-state/) or "login" (the backend of \`pulumi login\`); ` +
                `got ${JSON.stringify(labBackend)}. Example: LAB_BACKEND=login npm run up ` +
                `(any other backend: PULUMI_BACKEND_URL=s3://my-bucket npm run up)`,
        );
    }
    const envUrl = env.PULUMI_BACKEND_URL || undefined;
    if (input.flag === undefined && envUrl !== undefined && labBackend !== undefined) {
        throw new BackendError(
            `LAB_BACKEND=${labBackend} and PULUMI_BACKEND_URL=${envUrl} both choose the backend; unset one. ` +
                `Example: unset LAB_BACKEND`,
        );
    }

    let backend: string;
    let source: BackendDecision["source"];
    const notes: string[] = [];
    if (input.flag !== undefined) {
        backend = checkUrl("--backend", input.flag, `--backend ${localUrl}`);
        source = "--backend";
    } else if (envUrl !== undefined) {
        backend = checkUrl("PULUMI_BACKEND_URL", envUrl, `PULUMI_BACKEND_URL=${localUrl}`);
        source = "PULUMI_BACKEND_URL";
    } else if (labBackend === "login") {
        if (input.currentLogin === undefined) {
            throw new BackendError(
                "LAB_BACKEND=login, but the Pulumi CLI is not logged in. Run `pulumi login` (Pulumi Cloud) " +
                    "or `pulumi login file://~` first, or unset LAB_BACKEND to keep the state in .lab-state/. " +
                    "Example: pulumi login && LAB_BACKEND=login npm run up",
            );
        }
        backend = input.currentLogin;
        source = "LAB_BACKEND=login";
    } else {
        backend = localUrl;
        source = "local";
    }
    notes.push(`backend: ${backend} (${describeSource(source)})`);
    if (source === "local") {
        notes.push(
            input.currentLogin === undefined
                ? "  another one: LAB_BACKEND=login (your `pulumi login`) or PULUMI_BACKEND_URL=<url>"
                : `  you are logged in to ${input.currentLogin}: LAB_BACKEND=login uses it instead`,
        );
    }

    const set: Record<string, string> = { PULUMI_BACKEND_URL: backend, PULUMI_SKIP_UPDATE_CHECK: "true" };
    const unset: string[] = [];
    if (isSelfManaged(backend)) {
        const file = env.PULUMI_CONFIG_PASSPHRASE_FILE || undefined;
        const phrase = env.PULUMI_CONFIG_PASSPHRASE;
        if (input.stack === COMMITTED_STACK && (file !== undefined || (phrase !== undefined && phrase !== ""))) {
            // Pulumi would answer "incorrect passphrase"; and a new salt in that file would be committed.
            throw new BackendError(
                `the ${COMMITTED_STACK} stack's settings file (Pulumi.${COMMITTED_STACK}.yaml) is committed with the salt ` +
                    `of the empty passphrase, so it cannot take ${file !== undefined ? "PULUMI_CONFIG_PASSPHRASE_FILE" : "PULUMI_CONFIG_PASSPHRASE"}. ` +
                    "For a passphrase of your own use a stack of your own, whose file git ignores. " +
                    "Example: LAB_STACK=mine npm run up",
            );
        }
        if (file !== undefined) {
            if (input.fileExists !== undefined && !input.fileExists(file)) {
                throw new BackendError(
                    `PULUMI_CONFIG_PASSPHRASE_FILE=${file}: there is no such file. ` +
                        "Example: PULUMI_CONFIG_PASSPHRASE_FILE=~/.lab-passphrase (a file holding the passphrase)",
                );
            }
            if (phrase === "") {
                unset.push("PULUMI_CONFIG_PASSPHRASE");
                notes.push(`passphrase: from ${file} (an empty PULUMI_CONFIG_PASSPHRASE would hide it: removed)`);
            } else if (phrase !== undefined) {
                notes.push(`passphrase: PULUMI_CONFIG_PASSPHRASE (Pulumi ignores ${file} when both are set)`);
            } else {
                notes.push(`passphrase: from ${file}`);
            }
        } else if (phrase !== undefined) {
            notes.push(
                phrase === "" ? "passphrase: empty (PULUMI_CONFIG_PASSPHRASE)" : "passphrase: PULUMI_CONFIG_PASSPHRASE",
            );
        } else {
            set.PULUMI_CONFIG_PASSPHRASE = "";
            notes.push("passphrase: empty; set PULUMI_CONFIG_PASSPHRASE(_FILE) before a stack's first run for one");
        }
    }
    const localDir = backend.startsWith("file://") ? backend.slice("file://".length) : undefined;
    return { backend, source, set, unset, ...(localDir === undefined ? {} : { localDir }), notes };
}

function describeSource(source: BackendDecision["source"]): string {
    switch (source) {
        case "local":
            return "this clone's local state, no account needed";
        case "LAB_BACKEND=login":
            return "your `pulumi login`, as LAB_BACKEND=login asks";
        default:
            return `from ${source}`;
    }
}

/**
 * The backend of the CLI's current `pulumi login` (`current` in PULUMI_HOME's credentials.json),
 * or Pulumi Cloud when only PULUMI_ACCESS_TOKEN is set; undefined when not logged in.
 */
export function readCurrentLogin(
    env: Readonly<Record<string, string | undefined>>,
    home = os.homedir(),
): string | undefined {
    const pulumiHome = env.PULUMI_HOME || path.join(home, ".pulumi");
    try {
        const credentials = JSON.parse(fs.readFileSync(path.join(pulumiHome, "credentials.json"), "utf8")) as {
            current?: unknown;
        };
        if (typeof credentials.current === "string" && credentials.current !== "") return credentials.current;
    } catch {
        // No credentials file (never logged in) or an unreadable one: treated as not logged in.
    }
    return env.PULUMI_ACCESS_TOKEN ? PULUMI_CLOUD : undefined;
}

/** Decides from this process's environment and host, and applies the decisions to `process.env`. */
export function useLabBackend(repo: string, flag?: string, stack?: string): BackendDecision {
    const decision = decideBackend({
        env: process.env,
        repo,
        flag,
        stack,
        currentLogin: readCurrentLogin(process.env),
        fileExists: fs.existsSync,
    });
    Object.assign(process.env, decision.set);
    for (const name of decision.unset) delete process.env[name];
    if (decision.localDir !== undefined) fs.mkdirSync(expandHome(decision.localDir, os.homedir()), { recursive: true });
    return decision;
}

/** The decisions as sh commands, for `eval` in scripts/lab.sh. */
export function shellExports(decision: BackendDecision): string {
    return [
        ...Object.entries(decision.set).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
        ...decision.unset.map((name) => `unset ${name}`),
        `LAB_BACKEND_NOTES=${shellQuote(decision.notes.join("\n"))}`,
    ].join("\n");
}

// scripts/lab.sh: `eval "$(node -r ts-node/register/transpile-only lab/backend.ts)"`.
if (require.main === module) {
    try {
        const stack = process.env.LAB_STACK || COMMITTED_STACK;
        process.stdout.write(`${shellExports(useLabBackend(path.resolve(__dirname, ".."), undefined, stack))}\n`);
    } catch (err) {
        if (!(err instanceof BackendError)) throw err;
        process.stderr.write(`error: ${err.message}\n`);
        process.exit(2);
    }
}
