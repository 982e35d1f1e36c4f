import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { expandHome } from "../host/kubeconfig";
import { InvalidValueError, plainToken } from "../components/validation";
import { BackendError, useLabBackend } from "../lab/backend";
import { COMMANDS, Command, PlanError, planClassroom } from "./plan";
import {
    RosterError,
    checkStudentName,
    countedStudents,
    dashedValueProblem,
    parseRosterText,
    parseStudentList,
    rosterReadProblem,
} from "./roster";
import { failureReason } from "./progress";
import { runSteps } from "./runner";
import { StudentStacks } from "./stacks";
import { exitCode, renderLogs, renderSummary } from "./summary";
import {
    buildClassReport,
    classExitCode,
    classRow,
    defaultReportBase,
    renderClassCsv,
    renderClassTable,
    verifyClass,
} from "./verify";
import { renderJson, renderJunit } from "../verify/report";
import { Topology, kindHostNotes, studentConfig } from "./topology";
import { readHostFacts } from "../host/capacity";
import { MAX_TIMEOUT_SECONDS, parseTimeoutSeconds } from "../verify/run";

/**
 * `npm run classroom -- <command> [options]`: one lab stack per student, on the
 * Pulumi Automation API. Argument parsing is pure and unit-tested; main() wires
 * it to the real stacks (automation.ts).
 */

export const REPO = path.resolve(__dirname, "..");
export const DEFAULT_PARALLEL = 4;
export const MAX_PARALLEL = 64;

export const USAGE = `Usage: npm run classroom -- <command> [options]

One lab stack per student (the stack is named after the student), on the
Pulumi Automation API. State goes where npm run up keeps it unless --backend.

Commands:
  up          create the missing student stacks and converge the others (pulumi up --refresh each)
  preview     preview every student's stack; leaves no stack and no config change behind
  status      each student stack: last update (kind, result, time), resource count, log command
  logs        each student's ready-to-paste kubectl commands (the stack outputs)
  destroy     destroy the students' stacks and remove them
  kubeconfig  write a student's kubeconfig (shared topology): --student alice [--out alice.kubeconfig]
  verify      check every student's live lab (npm run verify each, --parallel at a time): a row per
              student (checks passed, first failing check and why, how long since the Pods started),
              written to CSV and JSON too. Each stack says where its lab runs, in either topology.

The class (one of them; up and preview need it):
  --students a,b,c      comma-separated names
  --roster FILE         one name per line; '#' starts a comment; blank lines are ignored
  --count N             student-01 ... student-NN
  A name is lowercase letters, digits and '-', at most 36 characters, unique, not "dev";
  the kind cluster and the namespace are lab-<name>.

Where the labs run (up, preview):
  --topology cluster    (default) one kind cluster per student: the program's default kind mode
  --topology shared     every student on one existing cluster, each in a namespace of their own:
    --kubeconfig FILE   that cluster's kubeconfig (required)
    --context NAME      its context (default: the kubeconfig's current context)

Options:
  --backend URL         where the stacks live: file:///path, s3://bucket, https://api.pulumi.com, ...
                        (default: as npm run up: $PULUMI_BACKEND_URL, LAB_BACKEND=login, or file://<repo>/.lab-state)
  --parallel N          stacks worked on at once, 1-${MAX_PARALLEL} (default ${DEFAULT_PARALLEL})
  --prune               up: destroy and remove the classroom's stacks of students no longer listed
  --adopt               up, preview, destroy: take over a same-named stack the classroom did not make
  --keep-stacks         destroy: destroy the resources, keep the empty stacks
  --all                 destroy without a class list: every stack the classroom made on the backend
  --no-refresh          up: no refresh first (faster; misses a kind cluster deleted by hand)
  --verbose             Pulumi's own output, each line prefixed with the student's name
  --timeout SECONDS     verify: every check's timeout, 1-${MAX_TIMEOUT_SECONDS} (default: each check's own, 2-2.5 min)
  --csv FILE            verify: the class table as CSV (default classroom-verify-<UTC time>.csv)
  --json FILE           verify: every student's full report as JSON (default classroom-verify-<UTC time>.json)
  --junit FILE          verify: also JUnit XML, one testsuite per student
  -h, --help            this text

Environment: as npm run up: LAB_BACKEND, PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE(_FILE) (default empty).
Exit status: 0 when every student's step succeeded (verify: passed every check), 1 when any failed,
2 on bad usage.

Examples:
  npm run classroom -- up --count 12
  npm run classroom -- up --roster class.txt --topology shared --kubeconfig ~/.kube/shared.yaml --prune
  npm run classroom -- logs --roster class.txt
  npm run classroom -- verify --roster class.txt --parallel 8 --csv class.csv
  npm run classroom -- kubeconfig --student alice --out alice.kubeconfig
  npm run classroom -- destroy --all
`;

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export type RosterSource =
    { kind: "students"; list: string } | { kind: "roster"; file: string } | { kind: "count"; count: string };

export interface CliOptions {
    command: Command | "kubeconfig" | "verify" | "help";
    roster?: RosterSource;
    topology: Topology;
    backend?: string;
    parallel: number;
    prune: boolean;
    adopt: boolean;
    keepStacks: boolean;
    all: boolean;
    refresh: boolean;
    verbose: boolean;
    student?: string;
    out?: string;
    /** verify: overrides every check's timeout. */
    timeoutSeconds?: number;
    /** verify: where the CSV, JSON and JUnit reports go (defaults: timestamped names). */
    csv?: string;
    json?: string;
    junit?: string;
}

export const OPTIONS = {
    students: { type: "string" },
    roster: { type: "string" },
    count: { type: "string" },
    topology: { type: "string" },
    kubeconfig: { type: "string" },
    context: { type: "string" },
    backend: { type: "string" },
    parallel: { type: "string" },
    prune: { type: "boolean" },
    adopt: { type: "boolean" },
    "keep-stacks": { type: "boolean" },
    all: { type: "boolean" },
    "no-refresh": { type: "boolean" },
    verbose: { type: "boolean" },
    student: { type: "string" },
    out: { type: "string" },
    timeout: { type: "string" },
    csv: { type: "string" },
    json: { type: "string" },
    junit: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

/** Parses argv (without node and the script). Pure: paths are not resolved, files not read. */
export function parseCommandLine(argv: readonly string[]): CliOptions {
    let parsed;
    try {
        parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (err) {
        const message = (err as Error).message;
        // `--students -bob`: the parser only says "ambiguous"; name the value and a fix.
        const option = /^Option '(--[a-z-]+)' argument is ambiguous/.exec(message)?.[1];
        const value = option === undefined ? undefined : argv[argv.indexOf(option) + 1];
        if (option !== undefined && value !== undefined) throw new UsageError(dashedValueProblem(option, value));
        throw new UsageError(`${message.replace(/\.$/, "")}. Run with --help for the options.`);
    }
    const { values, positionals } = parsed;
    if (values.help || positionals[0] === "help") return { ...defaults(), command: "help" };
    const [command, ...extra] = positionals;
    const known: readonly string[] = [...COMMANDS, "kubeconfig", "verify"];
    if (command === undefined) throw new UsageError(`Name a command: ${known.join(", ")}. Example: up --count 3`);
    if (!known.includes(command)) {
        throw new UsageError(`Unknown command "${command}"; the commands are ${known.join(", ")}.`);
    }
    if (extra.length > 0) {
        throw new UsageError(
            `Unexpected argument${extra.length > 1 ? "s" : ""} ${extra.map((e) => JSON.stringify(e)).join(" ")}; ` +
                "students go in --students a,b (no spaces), --roster FILE or --count N.",
        );
    }

    const sources: RosterSource[] = [];
    if (values.students !== undefined) sources.push({ kind: "students", list: values.students });
    if (values.roster !== undefined) sources.push({ kind: "roster", file: values.roster });
    if (values.count !== undefined) sources.push({ kind: "count", count: values.count });
    if (sources.length > 1)
        throw new UsageError("Give the class one way: --students, --roster or --count, not several.");

    const topologyName = values.topology ?? "cluster";
    let topology: Topology;
    if (topologyName === "cluster") {
        if (values.kubeconfig !== undefined || values.context !== undefined) {
            throw new UsageError(
                "--kubeconfig and --context go with --topology shared (every student on that cluster). " +
                    "Example: --topology shared --kubeconfig ~/.kube/config --context my-cluster",
            );
        }
        topology = { kind: "cluster" };
    } else if (topologyName === "shared") {
        if (!values.kubeconfig) {
            throw new UsageError("--topology shared needs --kubeconfig FILE. Example: --kubeconfig ~/.kube/config");
        }
        topology = { kind: "shared", kubeconfig: values.kubeconfig, context: values.context };
    } else {
        throw new UsageError(`--topology must be "cluster" or "shared"; got ${JSON.stringify(topologyName)}.`);
    }

    let parallel = DEFAULT_PARALLEL;
    if (values.parallel !== undefined) {
        parallel = /^\d+$/.test(values.parallel) ? Number(values.parallel) : NaN;
        if (!(parallel >= 1 && parallel <= MAX_PARALLEL)) {
            throw new UsageError(
                `--parallel must be a whole number from 1 to ${MAX_PARALLEL}; got ${JSON.stringify(values.parallel)}. Example: --parallel 4`,
            );
        }
    }

    let timeoutSeconds: number | undefined;
    try {
        timeoutSeconds = values.timeout === undefined ? undefined : parseTimeoutSeconds(values.timeout);
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    if (command === "verify") {
        if (values.topology !== undefined || values.kubeconfig !== undefined || values.context !== undefined) {
            throw new UsageError(
                "verify reads where each student's lab runs from their stack (kind cluster or shared cluster); " +
                    "drop --topology, --kubeconfig and --context. Example: verify --roster class.txt",
            );
        }
    } else {
        const verifyOnly = (["timeout", "csv", "json", "junit"] as const).filter((k) => values[k] !== undefined);
        if (verifyOnly.length > 0) {
            throw new UsageError(
                `${verifyOnly.map((k) => `--${k}`).join(", ")} go${verifyOnly.length === 1 ? "es" : ""} with verify.`,
            );
        }
    }
    for (const key of ["csv", "json", "junit"] as const) {
        if (values[key] === "")
            throw new UsageError(
                `--${key} needs a file name. Example: --${key} class.${key === "junit" ? "xml" : key}`,
            );
    }

    const options: CliOptions = {
        ...defaults(),
        command: command as CliOptions["command"],
        roster: sources[0],
        topology,
        backend: values.backend,
        parallel,
        prune: values.prune ?? false,
        adopt: values.adopt ?? false,
        keepStacks: values["keep-stacks"] ?? false,
        all: values.all ?? false,
        refresh: !(values["no-refresh"] ?? false),
        verbose: values.verbose ?? false,
        student: values.student,
        out: values.out,
        timeoutSeconds,
        csv: values.csv,
        json: values.json,
        junit: values.junit,
    };
    if (options.command === "kubeconfig") {
        if (!options.student) {
            throw new UsageError(
                "kubeconfig needs --student NAME. Example: kubeconfig --student alice --out alice.kubeconfig",
            );
        }
        if (options.roster) throw new UsageError("kubeconfig takes one --student, not a class list.");
    } else if (options.student !== undefined || options.out !== undefined) {
        throw new UsageError("--student and --out go with the kubeconfig command.");
    }
    if (options.keepStacks && options.command !== "destroy") throw new UsageError("--keep-stacks goes with destroy.");
    // The plan checks these too; checking here answers before any Pulumi command runs.
    if ((options.command === "up" || options.command === "preview") && !options.roster) {
        throw new UsageError(
            `${options.command} needs the class: --students alice,bob, --roster students.txt or --count 12.`,
        );
    }
    if (options.command === "destroy" && !options.roster && !options.all) {
        throw new UsageError(
            "destroy needs the class (--students, --roster or --count), " +
                "or --all to destroy every stack the classroom command made on this backend.",
        );
    }
    return options;
}

function defaults(): CliOptions {
    return {
        command: "help",
        topology: { kind: "cluster" },
        parallel: DEFAULT_PARALLEL,
        prune: false,
        adopt: false,
        keepStacks: false,
        all: false,
        refresh: true,
        verbose: false,
    };
}

/** The class list, or undefined when none was given. */
export function resolveRoster(
    source: RosterSource | undefined,
    readFile: (file: string) => string,
): string[] | undefined {
    if (!source) return undefined;
    switch (source.kind) {
        case "students":
            return parseStudentList(source.list);
        case "count":
            return countedStudents(source.count);
        case "roster": {
            let text: string;
            try {
                text = readFile(source.file);
            } catch (err) {
                const { code, message } = err as NodeJS.ErrnoException;
                throw new UsageError(rosterReadProblem(source.file, code, message));
            }
            return parseRosterText(text, source.file);
        }
    }
}

/** The shared cluster's kubeconfig as the program will read it: absolute, existing, shell-safe. */
export function checkSharedTopology(
    topology: Topology,
    cwd: string,
    home: string,
    exists: (p: string) => boolean,
): Topology {
    if (topology.kind !== "shared") return topology;
    const file = path.resolve(cwd, expandHome(topology.kubeconfig, home));
    try {
        plainToken("--kubeconfig", file, "/home/me/.kube/shared.yaml");
        if (topology.context !== undefined) plainToken("--context", topology.context, "my-cluster");
    } catch (err) {
        if (err instanceof InvalidValueError) throw new UsageError(err.message);
        throw err;
    }
    if (!exists(file))
        throw new UsageError(`--kubeconfig ${file} does not exist. Example: --kubeconfig ~/.kube/config`);
    return { ...topology, kubeconfig: file };
}

export async function main(argv: readonly string[]): Promise<number> {
    const options = parseCommandLine(argv);
    if (options.command === "help") {
        process.stdout.write(USAGE);
        return 0;
    }
    // npm run starts scripts in the repo root; relative paths mean where the user typed the command.
    const cwd = process.env.INIT_CWD ?? process.cwd();
    const roster = resolveRoster(options.roster, (f) => fs.readFileSync(path.resolve(cwd, f), "utf8"));
    const topology = checkSharedTopology(options.topology, cwd, os.homedir(), fs.existsSync);
    let backend: ReturnType<typeof useLabBackend>;
    try {
        // The same backend and passphrase as npm run up, applied to this process's environment.
        backend = useLabBackend(REPO, options.backend);
    } catch (err) {
        if (err instanceof BackendError) throw new UsageError(err.message);
        throw err;
    }
    process.stderr.write(`${backend.notes.join("\n")}\n`);

    // Loaded here, not at the top: --help and bad usage answer without loading the Automation API.
    const { AutomationStacks } = await import("./automation");
    const stacks = new AutomationStacks({
        workDir: REPO,
        envVars: backend.set,
        refresh: options.refresh,
        verbose: options.verbose,
    });

    if (options.command === "kubeconfig") {
        const student = options.student!;
        const out = path.resolve(cwd, options.out ?? `${student}.kubeconfig`);
        const { code, message } = await writeKubeconfig(stacks, student, out);
        (code === 0 ? process.stdout : process.stderr).write(`${message}\n`);
        return code;
    }

    if (options.command === "verify") {
        return classVerify(options, roster, stacks, backend.backend, cwd);
    }

    const command = options.command;
    // Ctrl-C reaches the pulumi processes too, which cancel cleanly; wait for them, then summarize.
    // A second Ctrl-C quits at once.
    let interrupted = false;
    const onInterrupt = () => {
        if (interrupted) process.exit(130);
        interrupted = true;
        process.stderr.write(
            "\nInterrupted: waiting for the running pulumi operations to stop (Ctrl-C again quits now).\n",
        );
    };
    process.on("SIGINT", onInterrupt);
    await stacks.rememberSelection();
    try {
        const plan = planClassroom({
            command,
            roster,
            stacks: await stacks.list(),
            prune: options.prune,
            all: options.all,
            adopt: options.adopt,
        });
        const engineSteps = plan.steps.filter((s) => s.op === "up" || s.op === "preview" || s.op === "destroy");
        const where =
            topology.kind === "cluster"
                ? "topology cluster (a kind cluster each)"
                : `topology shared (${topology.kubeconfig}${topology.context ? `, context ${topology.context}` : ""})`;
        const what = command === "up" || command === "preview" ? `, ${where}` : "";
        process.stdout.write(
            `classroom ${command}: ${plan.steps.length} student stack${plan.steps.length === 1 ? "" : "s"}${what}, ` +
                `backend ${backend}, ${options.parallel} at a time\n`,
        );
        const creating = plan.steps.filter((s) => s.op === "up" || s.op === "preview").length;
        if (topology.kind === "cluster" && creating > 0) {
            for (const note of kindHostNotes(creating, readHostFacts())) process.stdout.write(`${note}\n`);
        }

        const width = Math.max(0, ...engineSteps.map((s) => s.student.length));
        const results = await runSteps(plan.steps, stacks, {
            parallel: options.parallel,
            config: (student) => studentConfig(topology, student),
            removeStacks: !options.keepStacks,
            progress: (student, line) => process.stdout.write(`${student.padEnd(width)} | ${line}\n`),
            cancelled: () => interrupted,
        });
        if (engineSteps.length > 0) process.stdout.write("\n");
        if (command === "logs") process.stdout.write(renderLogs(results));
        process.stdout.write(renderSummary({ command, results, ignored: plan.ignored }));
        return exitCode(results);
    } finally {
        await stacks.restoreSelection();
        process.off("SIGINT", onInterrupt);
    }
}

/**
 * `verify`: every student's lab checked, `--parallel` at a time; the table on the terminal, the
 * CSV and JSON (and JUnit) written where asked or under timestamped names in the current directory.
 */
async function classVerify(
    options: CliOptions,
    roster: string[] | undefined,
    stacks: StudentStacks,
    backend: string,
    cwd: string,
): Promise<number> {
    const list = await stacks.list();
    const students = roster ?? list.filter((s) => s.managed).map((s) => s.name);
    if (students.length === 0) {
        process.stdout.write(
            "No student stacks on this backend: nothing to verify (give --roster, or run classroom up).\n",
        );
        return 0;
    }
    process.stdout.write(
        `classroom verify: ${students.length} student${students.length === 1 ? "" : "s"}, backend ${backend}, ` +
            `${options.parallel} at a time; each check waits up to ` +
            `${options.timeoutSeconds === undefined ? "its own timeout (2-2.5 min)" : `${options.timeoutSeconds} s`}\n`,
    );
    const width = Math.max(...students.map((s) => s.length));
    const { verifyLab } = await import("../verify/lab");
    const results = await verifyClass(students, new Set(list.map((s) => s.name)), {
        outputs: (student) => stacks.outputs(student),
        // verifyLab checks a student's lessons too (target.lessons).
        verify: (target) => verifyLab(target, { timeoutSeconds: options.timeoutSeconds }),
        parallel: options.parallel,
        progress: (student, line) => process.stdout.write(`${student.padEnd(width)} | ${line}\n`),
    });
    const now = Date.now();
    const rows = results.map((r) => classRow(r, now));
    process.stdout.write(`\n${renderClassTable(rows)}\n`);
    const base = defaultReportBase(now);
    const files: [string, string][] = [
        [path.resolve(cwd, options.csv ?? `${base}.csv`), renderClassCsv(rows)],
        [path.resolve(cwd, options.json ?? `${base}.json`), renderJson(buildClassReport(results, now, backend))],
    ];
    if (options.junit) {
        const suites = results.flatMap((r) => (r.report ? [{ name: r.student, report: r.report }] : []));
        files.push([path.resolve(cwd, options.junit), renderJunit(suites)]);
    }
    for (const [file, text] of files) {
        fs.writeFileSync(file, text);
        process.stdout.write(`Wrote ${file}\n`);
    }
    return classExitCode(results);
}

/**
 * `kubeconfig --student alice [--out file]`: the stack output studentKubeconfig (a secret) written
 * to a file only its owner may read. Returns the exit code and what to print.
 */
export async function writeKubeconfig(
    stacks: Pick<StudentStacks, "outputs">,
    student: string,
    out: string | undefined,
): Promise<{ code: number; message: string }> {
    try {
        checkStudentName("--student", student);
    } catch (err) {
        if (err instanceof InvalidValueError) throw new UsageError(err.message);
        throw err;
    }
    const file = out ?? `${student}.kubeconfig`;
    let outputs;
    try {
        outputs = await stacks.outputs(student);
    } catch (err) {
        const why = failureReason([], err instanceof Error ? err.message : String(err));
        return { code: 1, message: `error: cannot read the outputs of stack "${student}": ${why}` };
    }
    const kubeconfig = outputs.studentKubeconfig?.value;
    if (typeof kubeconfig !== "string" || kubeconfig === "") {
        return {
            code: 1,
            message:
                `error: stack "${student}" has no studentKubeconfig output: only stacks deployed with --topology shared ` +
                "(isolation student) export one. Example: npm run classroom -- up --topology shared " +
                `--kubeconfig ~/.kube/config --students ${student}`,
        };
    }
    fs.writeFileSync(file, kubeconfig, { mode: 0o600 });
    fs.chmodSync(file, 0o600); // writeFileSync's mode applies only to a new file
    return {
        code: 0,
        message: `Wrote ${student}'s kubeconfig to ${file} (mode 600). Try: kubectl --kubeconfig ${file} get pods`,
    };
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            const usage = err instanceof UsageError || err instanceof RosterError || err instanceof PlanError;
            let message = err instanceof Error ? err.message : String(err);
            if (/spawn pulumi ENOENT/.test(message)) {
                message =
                    "the Pulumi CLI is not installed (pulumi is not on PATH). Install it " +
                    "(curl -fsSL https://get.pulumi.com | sh, or brew install pulumi), then run again.";
            }
            process.stderr.write(`${usage ? "" : "error: "}${message}\n`);
            process.exitCode = usage ? 2 : 1;
        },
    );
}
