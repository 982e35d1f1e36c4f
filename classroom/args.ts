import { isIP } from "net";
import * as path from "path";
import { parseArgs } from "util";
import { InvalidValueError, plainToken } from "../components/validation";
import { expandHome } from "../host/kubeconfig";
import { UsageError } from "../verify/cli";
import { MAX_TIMEOUT_SECONDS, parseTimeoutSeconds } from "../verify/run";
import { COMMANDS, Command } from "./plan";
import { countedStudents, dashedValueProblem, parseRosterText, parseStudentList, rosterReadProblem } from "./roster";
import { Topology } from "./topology";

/**
 * The classroom command line as data: `npm run classroom -- <command> [options]` parsed and
 * checked into CliOptions, with every usage error said before any stack is touched. Pure: files
 * and the host come in as functions (resolveRoster's reader, checkSharedTopology's exists), so
 * it is unit-tested without them; cli.ts runs the commands.
 */

export const DEFAULT_PARALLEL = 4;
export const MAX_PARALLEL = 64;
/** dashboard: students read at once (reads, no engine operation: more of them at a time). */
export const DASHBOARD_PARALLEL = 16;
/** dashboard --serve: how often the class is read again (and the page reloads). */
export const DEFAULT_REFRESH_SECONDS = 10;
export const MIN_REFRESH_SECONDS = 2;
export const MAX_REFRESH_SECONDS = 3600;

export const USAGE = `Usage: npm run classroom -- <command> [options]

One lab stack per student (the stack is named after the student), on the
Pulumi Automation API. State goes where npm run up keeps it unless --backend.

Commands:
  up          create the missing student stacks and converge the others (pulumi up --refresh each)
  preview     preview every student's stack; leaves no stack and no config change behind
  status      each student stack: last update (kind, result, time), resource count, log command
  logs        each student's ready-to-paste kubectl commands (the stack outputs)
  images      the class's images in Docker: list, pull, save FILE, load FILE
  destroy     destroy the students' stacks and remove them
  kubeconfig  write a student's kubeconfig (shared topology): --student alice [--out alice.kubeconfig]
  verify      check every student's live lab (npm run verify each, --parallel at a time): a row per
              student (checks passed, first failing check and why, how long since the Pods started),
              written to CSV and JSON too. Each stack says where its lab runs, in either topology.
  dashboard   the class on one page: a row per student (verify's result judged from one look, how
              long since the Pods started, a small timeline of the two Pods); --out FILE (default
              classroom-dashboard.html), or --serve PORT to serve it, refreshed. Read-only.

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
  --parallel N          stacks worked on at once, 1-${MAX_PARALLEL} (default ${DEFAULT_PARALLEL}; dashboard ${DASHBOARD_PARALLEL})
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
  --out FILE            dashboard: the page (default classroom-dashboard.html); kubeconfig: the file
  --serve PORT          dashboard: serve the page on http://127.0.0.1:PORT, read again, until Ctrl-C
  --host ADDR           dashboard --serve: listen on this IP instead (0.0.0.0: every interface)
  --refresh SECONDS     dashboard --serve: read the class every ${MIN_REFRESH_SECONDS}-${MAX_REFRESH_SECONDS} s (default ${DEFAULT_REFRESH_SECONDS}); the page reloads as often
  -h, --help            this text

Environment: as npm run up: LAB_BACKEND, PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE(_FILE) (default empty).
Exit status: 0 when every student's step succeeded (verify: passed every check), 1 when any failed,
2 on bad usage.

Examples:
  npm run classroom -- up --count 12
  npm run classroom -- up --roster class.txt --topology shared --kubeconfig ~/.kube/shared.yaml --prune
  npm run classroom -- logs --roster class.txt
  npm run classroom -- verify --roster class.txt --parallel 8 --csv class.csv
  npm run classroom -- dashboard --roster class.txt --serve 8080
  npm run classroom -- kubeconfig --student alice --out alice.kubeconfig
  npm run classroom -- destroy --all
`;

// One UsageError for every command line (verify, timeline, classroom): the usage follows its message.
export { UsageError };

export type RosterSource =
    { kind: "students"; list: string } | { kind: "roster"; file: string } | { kind: "count"; count: string };

export interface CliOptions {
    command: Command | "kubeconfig" | "verify" | "dashboard" | "help";
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
    /** dashboard: serve the page on this port (else write it once). */
    serve?: number;
    /** dashboard --serve: the address to listen on (default 127.0.0.1). */
    host?: string;
    /** dashboard --serve: seconds between two reads of the class. */
    refreshSeconds?: number;
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
    serve: { type: "string" },
    host: { type: "string" },
    refresh: { type: "string" },
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
    const known: readonly string[] = [...COMMANDS, "kubeconfig", "verify", "dashboard"];
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

    let parallel = command === "dashboard" ? DASHBOARD_PARALLEL : DEFAULT_PARALLEL;
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
    if (command === "verify" || command === "dashboard") {
        if (values.topology !== undefined || values.kubeconfig !== undefined || values.context !== undefined) {
            throw new UsageError(
                `${command} reads where each student's lab runs from their stack (kind cluster or shared cluster); ` +
                    `drop --topology, --kubeconfig and --context. Example: ${command} --roster class.txt`,
            );
        }
    }
    if (command !== "verify") {
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

    const dashboard = parseDashboardOptions(command, values);

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
        ...dashboard,
    };
    if (options.command === "kubeconfig") {
        if (!options.student) {
            throw new UsageError(
                "kubeconfig needs --student NAME. Example: kubeconfig --student alice --out alice.kubeconfig",
            );
        }
        if (options.roster) throw new UsageError("kubeconfig takes one --student, not a class list.");
    } else if (options.student !== undefined) {
        throw new UsageError("--student goes with the kubeconfig command.");
    } else if (options.out !== undefined && options.command !== "dashboard") {
        throw new UsageError("--out goes with the kubeconfig and dashboard commands.");
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

/** dashboard's own options, checked; any of them given to another command is a usage error. */
function parseDashboardOptions(
    command: string,
    values: { serve?: string; host?: string; refresh?: string; out?: string },
): Pick<CliOptions, "serve" | "host" | "refreshSeconds"> {
    const given = (["serve", "host", "refresh"] as const).filter((k) => values[k] !== undefined);
    if (command !== "dashboard") {
        if (given.length > 0) {
            throw new UsageError(
                `${given.map((k) => `--${k}`).join(", ")} go${given.length === 1 ? "es" : ""} with dashboard. ` +
                    "Example: dashboard --roster class.txt --serve 8080",
            );
        }
        return {};
    }
    if (values.out === "") throw new UsageError("--out needs a file name. Example: --out class.html");
    const whole = (text: string) => (/^\d+$/.test(text) ? Number(text) : NaN);
    if (values.serve === undefined) {
        if (values.host !== undefined || values.refresh !== undefined) {
            throw new UsageError(
                `${given.map((k) => `--${k}`).join(", ")} go${given.length === 1 ? "es" : ""} with --serve PORT. ` +
                    "Example: dashboard --serve 8080 --refresh 30",
            );
        }
        return {};
    }
    const serve = whole(values.serve);
    if (!(serve >= 1 && serve <= 65535)) {
        throw new UsageError(
            `--serve must be a port number from 1 to 65535; got ${JSON.stringify(values.serve)}. Example: --serve 8080`,
        );
    }
    let refreshSeconds = DEFAULT_REFRESH_SECONDS;
    if (values.refresh !== undefined) {
        refreshSeconds = whole(values.refresh);
        if (!(refreshSeconds >= MIN_REFRESH_SECONDS && refreshSeconds <= MAX_REFRESH_SECONDS)) {
            throw new UsageError(
                `--refresh must be a whole number of seconds from ${MIN_REFRESH_SECONDS} to ${MAX_REFRESH_SECONDS}; ` +
                    `got ${JSON.stringify(values.refresh)}. Example: --refresh 30`,
            );
        }
    }
    const host = values.host ?? "127.0.0.1";
    if (!isIP(host)) {
        throw new UsageError(
            `--host must be an IP address of this machine to listen on; got ${JSON.stringify(host)}. ` +
                "Example: --host 0.0.0.0 (every interface)",
        );
    }
    return { serve, host, refreshSeconds };
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
