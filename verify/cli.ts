import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { PROJECT } from "../config";
import { BackendError, COMMITTED_STACK, useLabBackend } from "../lab/backend";
import { OUTPUT_FORMATS, OutputFormat, VerifyReport, exitCodeOf, renderJson, renderJunit, renderText } from "./report";
import { MAX_TIMEOUT_SECONDS, parseTimeoutSeconds } from "./run";
import { LabTarget, Outputs, TargetError, targetFromNamespace, targetFromOutputs } from "./target";

/**
 * `npm run verify`: after `npm run up`, reads the live Pods and says in plain
 * words whether the lab behaves as the guide says. Each check waits for the
 * lab until it passes or its timeout ends. Exit 0 when every check passes,
 * 1 when one fails, 2 when the lab cannot be found or read (or bad usage).
 */

export const USAGE = `usage: npm run verify [-- options]

Reads the stack's outputs (default stack: dev, or $LAB_STACK) to find the Pods and the lessons it deployed,
then checks them live.
Each check waits until it passes or its own timeout ends (2 to 2.5 minutes), so verify right after
npm run up (even with waitForReady false) waits for the lab; a failure says what it saw and how to fix it.
  --stack NAME          the stack to check, on npm run up's backend (file://<repo>/.lab-state, or LAB_BACKEND=login,
                        or $PULUMI_BACKEND_URL)
  --namespace NS        skip the stack: check the Pods in this namespace directly
  --context CTX         kube context (with --namespace; default: the current context)
  --kubeconfig FILE     kubeconfig file (with --namespace; default: $KUBECONFIG or ~/.kube/config)
  --timeout SECONDS     every check's timeout, 1-${MAX_TIMEOUT_SECONDS} (default: each check's own)
  --output FORMAT       text (default), json or junit
  --report FILE         write the --output format to FILE (the text report still goes to the terminal)
Exit status: 0 every check passed, 1 a check failed, 2 the lab could not be found or read.
Examples:
  npm run verify -- --stack dev
  npm run verify -- --output junit --report verify.xml`;

const REPO = path.join(__dirname, "..");

/** A problem with the command line itself: the usage follows the message. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export interface VerifyOptions {
    help: boolean;
    stack?: string;
    namespace?: string;
    context?: string;
    kubeconfig?: string;
    timeoutSeconds?: number;
    output: OutputFormat;
    report?: string;
}

/** Parses argv (without node and the script). Pure. */
export function parseVerifyArgs(argv: readonly string[]): VerifyOptions {
    let values;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                stack: { type: "string" },
                namespace: { type: "string" },
                context: { type: "string" },
                kubeconfig: { type: "string" },
                timeout: { type: "string" },
                output: { type: "string" },
                report: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
        }));
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    if (values.help) return { help: true, output: "text" };
    const output = values.output ?? "text";
    if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) {
        throw new UsageError(
            `--output must be one of ${OUTPUT_FORMATS.join(", ")}; got ${JSON.stringify(output)}. Example: --output junit`,
        );
    }
    let timeoutSeconds: number | undefined;
    try {
        timeoutSeconds = values.timeout === undefined ? undefined : parseTimeoutSeconds(values.timeout);
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    if (values.stack !== undefined && values.namespace !== undefined) {
        throw new UsageError(
            "give --stack or --namespace, not both. Example: --namespace lab-dev --context kind-lab-dev",
        );
    }
    if (values.namespace === undefined && (values.context !== undefined || values.kubeconfig !== undefined)) {
        throw new UsageError(
            "--context and --kubeconfig go with --namespace (a stack knows its own cluster). " +
                "Example: --namespace lab-dev --context kind-lab-dev",
        );
    }
    if (values.report === "") throw new UsageError("--report needs a file name. Example: --report verify.json");
    return {
        help: false,
        stack: values.stack,
        namespace: values.namespace,
        context: values.context,
        kubeconfig: values.kubeconfig,
        timeoutSeconds,
        output: output as OutputFormat,
        report: values.report,
    };
}

/** The report in a format. */
export function renderAs(format: OutputFormat, report: VerifyReport, suiteName: string): string {
    switch (format) {
        case "text":
            return renderText(report);
        case "json":
            return renderJson(report);
        case "junit":
            return renderJunit([{ name: suiteName, report }]);
    }
}

function onPath(command: string): boolean {
    return (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, command)));
}

/** The Pulumi CLI's own `error:` line when there is one (the Automation API wraps it in noise). */
export function firstLine(err: unknown): string {
    const lines = String(err instanceof Error ? err.message : err)
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "");
    return (
        lines
            .find((l) => l.startsWith("error:"))
            ?.slice("error:".length)
            .trim() ??
        lines[0] ??
        "unknown error"
    );
}

/** Runs the Pulumi CLI in `cwd` with this process's environment (the lab's backend); resolves to its stdout. */
export type PulumiRunner = (args: readonly string[], cwd: string) => Promise<string>;

const runPulumi: PulumiRunner = (args, cwd) =>
    new Promise((resolve, reject) => {
        execFile(
            "pulumi",
            [...args],
            { cwd, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" }, maxBuffer: 64 * 1024 * 1024 },
            (err, stdout, stderr) => (err ? reject(new Error(stderr.trim() || err.message)) : resolve(stdout)),
        );
    });

/** The stack does not exist on the backend (named as the Automation API names its own). */
export class StackNotFoundError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackNotFoundError";
    }
}

/** `pulumi <command> --json --stack NAME`, parsed (`command` says whether with --show-secrets). */
async function stackJson(command: string[], stackName: string, workDir: string, run: PulumiRunner) {
    try {
        const args = [...command, "--json", "--non-interactive", "--stack", stackName];
        return JSON.parse(await run(args, workDir)) as Record<string, unknown>;
    } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (/no stack named .* found/.test(message)) throw new StackNotFoundError(message);
        throw err;
    }
}

/**
 * A stack's outputs, secrets shown: one Pulumi CLI run (the Automation API's stackOutputs makes two
 * in a row, and loading it takes longer than both).
 */
export async function readStackOutputs(stackName: string, workDir: string, run = runPulumi): Promise<Outputs> {
    const outputs = await stackJson(["stack", "output", "--show-secrets"], stackName, workDir, run);
    return Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { value }]));
}

/**
 * A stack's outputs and its kubeconfig setting, read at once with `--stack` (the directory's selected
 * stack stays as it was), with the CLI directly: `npm run timeline -- --once` starts that much sooner.
 */
export async function readStackTarget(stackName: string, workDir: string, run = runPulumi): Promise<LabTarget> {
    const [outputs, config] = await Promise.all([
        readStackOutputs(stackName, workDir, run),
        // kubeconfigPath is no secret: without --show-secrets the CLI need not derive the passphrase's key.
        stackJson(["config"], stackName, workDir, run),
    ]);
    const setting = config[`${PROJECT}:kubeconfigPath`] as { value?: unknown } | undefined;
    return targetFromOutputs(stackName, outputs, typeof setting?.value === "string" ? setting.value : undefined);
}

/** Reads the stack's outputs (and, in existing-cluster mode, its kubeconfig setting). */
export async function targetFromStack(stackName: string, run = runPulumi): Promise<LabTarget> {
    let backend: string;
    try {
        // The same backend and passphrase as npm run up, applied to this process's environment.
        backend = useLabBackend(REPO).backend;
    } catch (err) {
        if (err instanceof BackendError) throw new TargetError(err.message);
        throw err;
    }
    const workDir = process.env.LAB_PROJECT_DIR ?? REPO;
    if (!onPath("pulumi")) {
        throw new TargetError(
            "the Pulumi CLI is not on PATH, so the stack's outputs cannot be read. " +
                "Install it, or name the Pods' namespace: npm run verify -- --namespace lab-dev --context kind-lab-dev",
        );
    }
    try {
        return await readStackTarget(stackName, workDir, run);
    } catch (err) {
        if (err instanceof TargetError) throw err;
        throw new TargetError(
            `could not read stack "${stackName}" (${backend}): ${firstLine(err)}\n` +
                "Run `npm run up` first, or name the Pods' namespace: npm run verify -- --namespace lab-dev",
        );
    }
}

/**
 * Runs verify; returns the exit code. Every message goes to `out`/`err` (the terminal by default);
 * `readStack` finds a stack's lab (tests give one without the Pulumi CLI).
 */
export async function main(
    argv: readonly string[],
    out: (text: string) => void = (t) => process.stdout.write(t),
    err: (text: string) => void = (t) => process.stderr.write(t),
    readStack: (stack: string) => Promise<LabTarget> = targetFromStack,
    /** How often the checks look at the cluster (tests against a fake API server look faster). */
    pollMs = 2000,
): Promise<number> {
    try {
        const options = parseVerifyArgs(argv);
        if (options.help) {
            out(`${USAGE}\n`);
            return 0;
        }
        const target = options.namespace
            ? targetFromNamespace(options.namespace, options.kubeconfig, options.context)
            : await readStack(options.stack ?? (process.env.LAB_STACK || COMMITTED_STACK));
        // Machine-readable output on stdout stays clean: progress goes to stderr.
        err(`Checking the lab (${target.description}) ...\n`);
        if (target.notice) err(`Note: ${target.notice}\n`);
        const { verifyLab } = await import("./lab");
        const report = await verifyLab(target, {
            timeoutSeconds: options.timeoutSeconds,
            pollMs,
            progress: (line) => err(`  ${line}\n`),
        });
        const suite = target.stack ? `lab ${target.stack}` : `lab ${target.namespace}`;
        if (options.report) {
            const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.report);
            fs.writeFileSync(file, renderAs(options.output, report, suite));
            out(renderText(report));
            err(`Wrote the ${options.output} report to ${file}\n`);
        } else {
            out(renderAs(options.output, report, suite));
        }
        return exitCodeOf(report);
    } catch (e) {
        err(`verify: ${e instanceof Error ? e.message : String(e)}\n`);
        if (e instanceof UsageError) err(`${USAGE}\n`);
        return 2;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
