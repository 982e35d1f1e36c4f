import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { decideBackend } from "../lab/backend";
import { FakeKind } from "../tests/fakeKind";

/**
 * Runs the lab program, exactly as a user's checkout has it, on the real
 * Pulumi engine: a private copy of the project, a temporary file backend and
 * PULUMI_HOME, and the toolchain e2e/toolchain/build-pulumi.sh builds.
 */

export const REPO = path.join(__dirname, "..");
/** What a user's checkout runs: the program, its config schema and dependencies, the classroom command (and the verify it runs), the policy pack. */
const PROJECT_FILES = [
    "Pulumi.yaml",
    "package.json",
    "tsconfig.json",
    "tsconfig.pulumi.json",
    "index.ts",
    "config.ts",
    "components",
    "lessons",
    "host",
    "lab",
    "classroom",
    "verify",
    "policy",
    "timeline",
];

export const TOOLCHAIN_DIR =
    process.env.LAB_TOOLCHAIN_DIR ?? path.join(os.homedir(), ".cache", "init-sidecar-lab", "toolchain");

/** Fails with what to run when the toolchain is missing, rather than skipping silently. */
export function checkToolchain(): void {
    const missing = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-kubernetes", "pulumi-resource-pulumi-nodejs"]
        .map((b) => path.join(TOOLCHAIN_DIR, "bin", b))
        .filter((b) => !fs.existsSync(b));
    if (missing.length > 0) {
        throw new Error(
            `The end-to-end toolchain is not built (missing ${missing.join(", ")}). ` +
                "Build it with: npm run e2e:toolchain (about 27 minutes cold, a second warm).",
        );
    }
}

const onInterrupt = new Set<() => void>();
let signalsHandled = false;

/**
 * Runs `teardown` if the run is interrupted (Ctrl-C, or a CI time limit's SIGTERM) before the
 * returned function unregisters it: mocha's `after` hooks do not run then, and the run's kind
 * clusters would outlive it, holding memory and ports (and temporary files would stay).
 */
export function teardownOnInterrupt(teardown: () => void): () => void {
    if (!signalsHandled) {
        signalsHandled = true;
        for (const [signal, code] of [
            ["SIGINT", 130],
            ["SIGTERM", 143],
        ] as const) {
            process.once(signal, () => {
                console.error(`\n${signal}: deleting the kind clusters and files this run made ...`);
                for (const run of onInterrupt) {
                    try {
                        run();
                    } catch (err) {
                        console.error(`  could not: ${(err as Error).message}`);
                    }
                }
                process.exit(code);
            });
        }
    }
    onInterrupt.add(teardown);
    return () => {
        onInterrupt.delete(teardown);
    };
}

export class LabProject {
    readonly root: string;
    readonly workDir: string;
    /** The environment the engine runs in; commands run against this project's stacks need it too. */
    readonly env: Record<string, string>;
    private readonly forgetTeardown: () => void;

    /**
     * `pulumiRoot` holds the `bin/pulumi` to run. The Automation API puts that bin directory first on
     * the engine's PATH, so what else it holds (kind, kubectl) is what the program finds.
     */
    constructor(
        extraPath: string[] = [],
        extraEnv: Record<string, string> = {},
        private readonly pulumiRoot = TOOLCHAIN_DIR,
    ) {
        checkToolchain();
        this.root = fs.mkdtempSync(path.join(os.tmpdir(), "lab-e2e-"));
        this.forgetTeardown = teardownOnInterrupt(() => this.dispose());
        this.workDir = path.join(this.root, "project");
        fs.mkdirSync(this.workDir);
        this.useSources(REPO);
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(this.workDir, "node_modules"));
        fs.mkdirSync(path.join(this.root, "state"));
        this.env = {
            PATH: [...extraPath, path.join(TOOLCHAIN_DIR, "bin"), process.env.PATH ?? ""].join(path.delimiter),
            PULUMI_HOME: path.join(this.root, "home"),
            // The lab's backend rules, on a private file backend and never the user's passphrase.
            ...decideBackend({ env: { PULUMI_BACKEND_URL: `file://${path.join(this.root, "state")}` }, repo: REPO })
                .set,
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            ...extraEnv,
        };
    }

    /**
     * Makes the project's program the one in `sources` (a checkout of this repository, e.g. an older
     * commit's), as a user's `git pull` would: the project files are replaced, the stacks stay.
     */
    useSources(sources: string): void {
        for (const file of PROJECT_FILES) {
            const target = path.join(this.workDir, file);
            fs.rmSync(target, { recursive: true, force: true });
            // An older checkout may lack a folder added since: it simply has none.
            if (fs.existsSync(path.join(sources, file)))
                fs.cpSync(path.join(sources, file), target, { recursive: true });
        }
    }

    /**
     * A new stack of the lab with this config (keys without the project prefix); a dotted key is a path
     * into structured config, as `pulumi config set --path` writes it (`lessonSettings.failing-init.exitCode`).
     */
    async stack(name: string, config: Record<string, string> = {}): Promise<Stack> {
        const pulumiCommand = await PulumiCommand.get({ root: this.pulumiRoot, skipVersionCheck: true });
        const stack = await LocalWorkspace.createStack(
            { stackName: name, workDir: this.workDir },
            { pulumiCommand, envVars: this.env, pulumiHome: this.env.PULUMI_HOME },
        );
        for (const [key, value] of Object.entries(config)) {
            await stack.setConfig(`init-sidecar-lab:${key}`, { value }, key.includes("."));
        }
        return stack;
    }

    /** Runs `npm run classroom -- <args>` in this project, on its backend; returns the exit code and output. */
    classroom(...args: string[]): { status: number | null; output: string } {
        const run = spawnSync(process.execPath, this.classroomArgs(args), {
            cwd: this.workDir,
            env: { ...process.env, ...this.env },
            encoding: "utf8",
            timeout: 900_000,
        });
        return { status: run.status, output: `${run.stdout}${run.stderr}` };
    }

    /** {@link classroom} without blocking this process (the bench samples memory meanwhile). */
    classroomAsync(...args: string[]): Promise<{ status: number | null; output: string }> {
        return this.classroomChild(...args).done;
    }

    /** {@link classroomAsync}, with the running child too (to interrupt it) and its output so far. */
    classroomChild(...args: string[]): {
        child: ChildProcess;
        output: () => string;
        done: Promise<{ status: number | null; output: string }>;
    } {
        const child = spawn(process.execPath, this.classroomArgs(args), {
            cwd: this.workDir,
            env: { ...process.env, ...this.env },
        });
        let output = "";
        child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
        const done = new Promise<{ status: number | null; output: string }>((resolve, reject) => {
            child.on("error", reject);
            child.on("close", (status) => resolve({ status, output }));
        });
        return { child, output: () => output, done };
    }

    private classroomArgs(args: string[]): string[] {
        return ["-r", "ts-node/register/transpile-only", path.join(this.workDir, "classroom", "cli.ts"), ...args];
    }

    /** The stack's state file as the file backend wrote it, to check what is stored in the clear. */
    rawState(stack: string): string {
        return fs.readFileSync(
            path.join(this.root, "state", ".pulumi", "stacks", "init-sidecar-lab", `${stack}.json`),
            "utf8",
        );
    }

    dispose(): void {
        this.forgetTeardown();
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

/** Runs `npm run verify` (verify/cli.ts) as a learner would, with this environment; returns its exit code and output. */
export function runVerify(args: string[], env: Record<string, string>): { status: number | null; output: string } {
    const run = runCli("verify", args, env);
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Runs one of the project's commands (`<name>/cli.ts`: verify, timeline) as `npm run <name>` would. */
export function runCli(
    name: string,
    args: string[],
    env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, cliArgs(name, args), {
        cwd: REPO,
        env: { ...process.env, ...env },
        encoding: "utf8",
        timeout: 120_000,
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** As {@link runCli}, for a command that runs until it is stopped (a live view): the child, running. */
export function startCli(name: string, args: string[], env: Record<string, string>): ChildProcess {
    return spawn(process.execPath, cliArgs(name, args), { cwd: REPO, env: { ...process.env, ...env } });
}

/** `npm run <name> -- args` without npm: Node, ts-node, the command's cli.ts. */
function cliArgs(name: string, args: string[]): string[] {
    return ["-r", "ts-node/register/transpile-only", path.join(REPO, name, "cli.ts"), ...args];
}

/**
 * For the enclosing `describe`: a project whose PATH finds the fake kind first (for suites that need
 * no cluster), made before its tests and removed after them.
 */
export function projectWithFakeKind(): { fake: FakeKind; project: () => LabProject } {
    const fake = new FakeKind();
    let project: LabProject | undefined;
    before(() => {
        project = new LabProject([fake.dir]);
        fake.activate();
    });
    after(() => {
        project?.dispose();
        fake.dispose();
    });
    return {
        fake,
        project: () => {
            if (!project) throw new Error("the project is made in the suite's before hook");
            return project;
        },
    };
}
