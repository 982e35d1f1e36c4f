import * as fs from "fs";
import * as path from "path";
import {
    ConfigMap,
    EngineEvent,
    LocalWorkspace,
    LocalWorkspaceOptions,
    PulumiCommand,
    Stack,
    StackNotFoundError,
} from "@pulumi/pulumi/automation";
import { classTag, stackOf, studentOfStack } from "./classes";
import { runPool } from "./runner";
import { configToRestore } from "./topology";
import { LineSplitter, eventLines, failureReason, stripAnsi } from "./progress";
import {
    CLASSROOM_TAG,
    LastUpdate,
    OperationResult,
    ProgressSink,
    StackInfo,
    StackOutputs,
    StudentConfig,
    StudentOperationError,
    StudentStacks,
} from "./stacks";

/**
 * {@link StudentStacks} on the Pulumi Automation API: a LocalWorkspace on the
 * lab's own project directory, one stack per student.
 *
 * Selecting or creating a stack rewrites the workspace's "current stack"
 * file, and removing one may too, so those short steps run one at a time
 * (`lock`); the long engine operations (up, preview, destroy) run in parallel,
 * each with an explicit --stack.
 */

export interface AutomationOptions {
    /** The project directory: the repository root. */
    workDir: string;
    /** PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, ... on top of this process's environment. */
    envVars: Record<string, string>;
    /** `up --refresh` (default in the CLI): notices a kind cluster deleted by hand. */
    refresh: boolean;
    /** Stream the CLI's own output instead of one line per resource step. */
    verbose: boolean;
    /** --class (classes.ts): names and tags the students' stacks. */
    className: string;
}

/** Runs async functions one at a time, in call order. */
class Mutex {
    private tail: Promise<unknown> = Promise.resolve();
    run<T>(fn: () => Promise<T>): Promise<T> {
        const result = this.tail.then(fn, fn);
        this.tail = result.catch(() => undefined);
        return result;
    }
}

const QUIET = { color: "never", suppressProgress: true } as const;
/** The lab's guardrails (policy/), enforced on every student's preview and up, as npm run up does. */
const policyPacks = (workDir: string) => [path.join(workDir, "policy")];

export class AutomationStacks implements StudentStacks {
    private readonly lock = new Mutex();
    private command?: Promise<PulumiCommand>;
    private workspace?: Promise<LocalWorkspace>;
    private selectedBefore?: string;

    constructor(private readonly options: AutomationOptions) {}

    private async workspaceOptions(): Promise<LocalWorkspaceOptions> {
        this.command ??= PulumiCommand.get();
        return { envVars: this.options.envVars, pulumiCommand: await this.command };
    }

    private ws(): Promise<LocalWorkspace> {
        this.workspace ??= this.workspaceOptions().then((opts) =>
            LocalWorkspace.create({ ...opts, workDir: this.options.workDir }),
        );
        return this.workspace;
    }

    /** The stack of a student of this class. */
    stackName(student: string): string {
        return stackOf(this.options.className, student);
    }

    private async select(student: string): Promise<Stack> {
        return LocalWorkspace.selectStack(
            { stackName: this.stackName(student), workDir: this.options.workDir },
            await this.workspaceOptions(),
        );
    }

    /** Remembers the stack selected in this directory, so {@link restoreSelection} can select it again. */
    async rememberSelection(): Promise<void> {
        this.selectedBefore = (await (await this.ws()).stack().catch(() => undefined))?.name;
    }

    /** Best effort: a user's `pulumi` in the repo keeps pointing at the stack it pointed at before. */
    async restoreSelection(): Promise<void> {
        const before = this.selectedBefore;
        if (!before) return;
        const ws = await this.ws();
        await this.lock.run(() => ws.selectStack(before)).catch(() => undefined);
    }

    async list(): Promise<StackInfo[]> {
        const ws = await this.ws();
        const summaries = await ws.listStacks();
        const { className } = this.options;
        return runPool(summaries, 8, async (s) => {
            // A stack not named as this class's is left alone without reading its tags.
            const named = studentOfStack(className, s.name) !== undefined;
            const tags = named ? await ws.listTags(s.name).catch(() => ({}) as Record<string, string>) : {};
            const student = named ? studentOfStack(className, s.name, tags[CLASSROOM_TAG]) : undefined;
            return {
                name: student ?? s.name,
                stack: s.name,
                managed: student !== undefined && tags[CLASSROOM_TAG] === classTag(className),
                ...(student === undefined ? { outside: true } : {}),
                lastUpdate: s.lastUpdate,
                updateInProgress: s.updateInProgress,
                resourceCount: s.resourceCount,
            };
        });
    }

    async up(student: string, config: StudentConfig, progress: ProgressSink): Promise<OperationResult> {
        const stack = await this.lock.run(async () => {
            const s = await LocalWorkspace.createOrSelectStack(
                { stackName: this.stackName(student), workDir: this.options.workDir },
                await this.workspaceOptions(),
            );
            await s.workspace.setTag(s.name, CLASSROOM_TAG, classTag(this.options.className));
            await applyConfig(s, config);
            return s;
        });
        const watch = new Watcher(progress, this.options.verbose, false);
        try {
            const r = await stack.up({
                ...QUIET,
                refresh: this.options.refresh,
                policyPacks: policyPacks(this.options.workDir),
                ...watch.callbacks,
            });
            return { changes: r.summary.resourceChanges ?? {}, outputs: r.outputs };
        } catch (err) {
            throw watch.failure(err);
        } finally {
            watch.flush();
        }
    }

    async preview(student: string, config: StudentConfig, progress: ProgressSink): Promise<OperationResult> {
        const stackName = this.stackName(student);
        const configFile = path.join(this.options.workDir, `Pulumi.${stackName}.yaml`);
        const hadConfigFile = fs.existsSync(configFile);
        let created = false;
        let before: ConfigMap | undefined;
        const stack = await this.lock.run(async () => {
            let s: Stack;
            try {
                s = await this.select(student);
                before = await s.getAllConfig();
            } catch (err) {
                if (!(err instanceof StackNotFoundError)) throw err;
                s = await LocalWorkspace.createStack(
                    { stackName, workDir: this.options.workDir },
                    await this.workspaceOptions(),
                );
                created = true;
                // Should an interrupted run leave it behind, it is the class's: the next up adopts it.
                await s.workspace.setTag(stackName, CLASSROOM_TAG, classTag(this.options.className));
            }
            await applyConfig(s, config);
            return s;
        });
        const watch = new Watcher(progress, this.options.verbose, true);
        let previewed = false;
        try {
            const r = await stack.preview({
                ...QUIET,
                policyPacks: policyPacks(this.options.workDir),
                ...watch.callbacks,
            });
            previewed = true;
            return { changes: r.changeSummary };
        } catch (err) {
            throw watch.failure(err);
        } finally {
            watch.flush();
            // Leave the backend as it was: no new stack, the existing stack's config restored.
            const cleanup = this.lock.run(async () => {
                if (created) await stack.workspace.removeStack(stackName, { preserveConfig: hadConfigFile });
                else if (before) await restoreConfig(stack, config, before);
            });
            // A cleanup failure matters only when the preview itself succeeded (else that error wins).
            if (previewed) await cleanup;
            else await cleanup.catch(() => undefined);
        }
    }

    async destroy(
        student: string,
        options: { removeStack: boolean },
        progress: ProgressSink,
    ): Promise<OperationResult> {
        const stack = await this.lock.run(() => this.select(student));
        const watch = new Watcher(progress, this.options.verbose, false);
        let changes;
        try {
            const r = await stack.destroy({ ...QUIET, ...watch.callbacks });
            changes = r.summary.resourceChanges ?? {};
        } catch (err) {
            throw watch.failure(err);
        } finally {
            watch.flush();
        }
        if (options.removeStack) await this.lock.run(() => stack.workspace.removeStack(stack.name));
        return { changes };
    }

    async outputs(student: string): Promise<StackOutputs> {
        return (await this.ws()).stackOutputs(this.stackName(student));
    }

    async lastUpdate(student: string): Promise<LastUpdate | undefined> {
        const stack = await this.lock.run(() => this.select(student));
        const [last] = await stack.history(1, 1);
        return last && { kind: last.kind, result: last.result, startTime: last.startTime, endTime: last.endTime };
    }
}

async function applyConfig(stack: Stack, config: StudentConfig): Promise<void> {
    const values = Object.fromEntries(Object.entries(config.set).map(([k, value]) => [k, { value }]));
    if (Object.keys(values).length > 0) await stack.setAllConfig(values);
    const remove = config.remove.filter((k) => !(k in config.set));
    if (remove.length > 0) await stack.removeAllConfig(remove);
}

/** Puts back the values the keys `config` touched had before (secret ones stay secret). */
async function restoreConfig(stack: Stack, config: StudentConfig, before: ConfigMap): Promise<void> {
    const { set, remove } = configToRestore(config, before);
    if (Object.keys(set).length > 0) await stack.setAllConfig(set);
    if (remove.length > 0) await stack.removeAllConfig(remove);
}

/** Progress lines for one operation, and the error diagnostics that say why it failed. */
class Watcher {
    private readonly errors: string[] = [];
    private readonly splitter: LineSplitter;
    readonly callbacks: { onEvent: (e: EngineEvent) => void; onOutput?: (out: string) => void };

    constructor(progress: ProgressSink, verbose: boolean, dryRun: boolean) {
        this.splitter = new LineSplitter((line) => {
            if (line.trim() !== "") progress(line);
        });
        // Each plugin load repeats the same warning; once per operation is enough.
        const said = new Set<string>();
        this.callbacks = {
            onEvent: (event) => {
                const diag = event.diagnosticEvent;
                if (diag?.severity === "error") this.errors.push(stripAnsi(diag.message).trim());
                if (verbose) return;
                const lines = eventLines(event, dryRun);
                const key = lines.join("\n");
                if (diag && said.has(key)) return;
                said.add(key);
                for (const line of lines) progress(line);
            },
        };
        if (verbose) this.callbacks.onOutput = (out) => this.splitter.push(out);
    }

    flush(): void {
        this.splitter.flush();
    }

    failure(err: unknown): StudentOperationError {
        const text = err instanceof Error ? err.message : String(err);
        return new StudentOperationError(failureReason(this.errors, text), text);
    }
}
