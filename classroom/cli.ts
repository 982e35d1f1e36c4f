import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { InvalidValueError } from "../components/validation";
import { BackendError, useLabBackend } from "../lab/backend";
import { readHostFacts } from "../host/capacity";
import { renderJson, renderJunit } from "../verify/report";
import { CliOptions, USAGE, UsageError, checkSharedTopology, parseCommandLine, resolveRoster } from "./args";
import { PlanError, planClassroom } from "./plan";
import { RosterError, checkStudentName } from "./roster";
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
import { kindHostNotes, studentConfig } from "./topology";

/**
 * `npm run classroom -- <command> [options]`: one lab stack per student, on the
 * Pulumi Automation API. The command line is parsed in args.ts (pure, unit-tested); here
 * each command runs on the real stacks (automation.ts).
 */

export const REPO = path.resolve(__dirname, "..");
export async function main(argv: readonly string[]): Promise<number> {
    // The class's images in this host's Docker (list, pull, save, load): no stack is touched.
    if (argv[0] === "images") return (await import("./images")).imagesMain(argv.slice(1));
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

    if (options.command === "dashboard") {
        const { classDashboard, cliStacks } = await import("./dashboardServer");
        return classDashboard(options, roster, cliStacks(REPO, backend.set), backend.backend, cwd);
    }

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
        // Once for the shared cluster (a kind cluster each loads its own as it is created).
        if (topology.kind === "shared" && command === "up") {
            process.stdout.write(`${(await import("./images")).loadClassImages(topology)}\n`);
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
