import { Step } from "./plan";
import { failureReason, formatChanges, formatDuration, hasChanges } from "./progress";
import {
    LastUpdate,
    OperationResult,
    StackOutputs,
    StudentConfig,
    StudentOperationError,
    StudentStacks,
} from "./stacks";

/**
 * Runs a plan's steps with at most `parallel` at a time. Every step ends in a
 * result, whatever happens: one student's failure never stops the others.
 */

export type Status =
    "created" | "updated" | "unchanged" | "previewed" | "destroyed" | "ok" | "in progress" | "skipped" | "failed";

export interface StudentResult {
    student: string;
    op: Step["op"];
    status: Status;
    /** Wall time of the engine operation; absent for steps that did not run one. */
    durationMs?: number;
    /** Changes (`+6`), what the status is (`update succeeded …`) or why a step was skipped. */
    detail: string;
    /** `logCommands.sidecar` of the stack, when known. */
    logCommand?: string;
    /** logs: the stack outputs. */
    outputs?: StackOutputs;
    /** One line: why it failed. */
    error?: string;
}

/** The error of a step an interrupt kept from starting. */
export const NOT_STARTED = "not started: interrupted";

export interface RunnerOptions {
    parallel: number;
    /** The config each student's stack gets (up and preview). */
    config: (student: string) => StudentConfig;
    /** destroy: remove the stack after its resources (false with --keep-stacks). */
    removeStacks: boolean;
    /** One progress line for a student, without the prefix. */
    progress: (student: string, line: string) => void;
    /** Milliseconds; injectable so tests control durations. */
    now?: () => number;
    /** True once the run is interrupted: steps not started yet are not started. */
    cancelled?: () => boolean;
}

/** Maps `items` through `fn`, at most `limit` at a time, keeping the order of `items`. */
export async function runPool<T, R>(
    items: readonly T[],
    limit: number,
    fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`parallelism must be a whole number >= 1, got ${limit}`);
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

export function runSteps(
    steps: readonly Step[],
    stacks: StudentStacks,
    options: RunnerOptions,
): Promise<StudentResult[]> {
    return runPool(steps, options.parallel, (step) => runStep(step, stacks, options));
}

/** `logCommands.sidecar`, the command that shows the sidecar at work. */
export function sidecarLogCommand(outputs: StackOutputs | undefined): string | undefined {
    const commands = outputs?.logCommands?.value;
    if (commands && typeof commands === "object" && !Array.isArray(commands)) {
        const sidecar = (commands as Record<string, unknown>).sidecar;
        if (typeof sidecar === "string") return sidecar;
    }
    return undefined;
}

function reasonOf(err: unknown): string {
    if (err instanceof StudentOperationError) return err.reason;
    const text = err instanceof Error ? err.message : String(err);
    return failureReason([], text);
}

function describeLastUpdate(last: LastUpdate | undefined): string {
    if (!last) return "never deployed";
    const when = last.endTime ?? last.startTime;
    const time = when && !Number.isNaN(when.getTime()) ? ` ${when.toISOString().replace(/\.\d+Z$/, "Z")}` : "";
    return `${last.kind} ${last.result}${time}`;
}

async function runStep(step: Step, stacks: StudentStacks, options: RunnerOptions): Promise<StudentResult> {
    const { student } = step;
    if (step.op === "skip") return { student, op: step.op, status: "skipped", detail: step.why };
    if (step.op === "refuse") return { student, op: step.op, status: "failed", detail: "", error: step.why };
    if (options.cancelled?.()) return { student, op: step.op, status: "failed", detail: "", error: NOT_STARTED };

    const now = options.now ?? Date.now;
    const say = (line: string) => options.progress(student, line);
    const started = now();
    const elapsed = () => now() - started;
    const engineOp = step.op === "up" || step.op === "preview" || step.op === "destroy";
    try {
        let result: StudentResult;
        switch (step.op) {
            case "up": {
                say(step.existing ? "up: converging the existing stack" : "up: new stack");
                const r: OperationResult = await stacks.up(student, options.config(student), say);
                const status: Status = !step.existing ? "created" : hasChanges(r.changes) ? "updated" : "unchanged";
                result = {
                    student,
                    op: step.op,
                    status,
                    durationMs: elapsed(),
                    detail: formatChanges(r.changes),
                    logCommand: sidecarLogCommand(r.outputs),
                };
                break;
            }
            case "preview": {
                say(step.existing ? "preview" : "preview: new stack (removed again afterwards)");
                const r = await stacks.preview(student, options.config(student), say);
                const changes = formatChanges(r.changes);
                result = {
                    student,
                    op: step.op,
                    status: "previewed",
                    durationMs: elapsed(),
                    detail: step.existing ? changes : `new stack: ${changes}`,
                };
                break;
            }
            case "destroy": {
                say(step.why === "prune" ? "destroy: not in roster (--prune)" : "destroy");
                const r = await stacks.destroy(student, { removeStack: options.removeStacks }, say);
                const parts = [formatChanges(r.changes), options.removeStacks ? "stack removed" : "stack kept"];
                if (step.why === "prune") parts.push("pruned: not in roster");
                result = {
                    student,
                    op: step.op,
                    status: "destroyed",
                    durationMs: elapsed(),
                    detail: parts.join(", "),
                };
                break;
            }
            case "status": {
                const [last, outputs] = await Promise.all([
                    stacks.lastUpdate(student),
                    stacks.outputs(student).catch(() => undefined),
                ]);
                const parts = [describeLastUpdate(last)];
                if (step.resourceCount !== undefined) {
                    parts.push(`${step.resourceCount} resource${step.resourceCount === 1 ? "" : "s"}`);
                }
                if (step.notInRoster) parts.push("not in roster");
                const detail = parts.join(", ");
                const status: Status =
                    last === undefined || last.result === "failed"
                        ? "failed"
                        : last.result === "in-progress"
                          ? "in progress"
                          : "ok";
                result = { student, op: step.op, status, detail, logCommand: sidecarLogCommand(outputs) };
                if (status === "failed") {
                    result.error = last ? `the last ${last.kind} failed` : "never deployed (run classroom up)";
                }
                break;
            }
            case "logs": {
                const outputs = await stacks.outputs(student);
                const logCommand = sidecarLogCommand(outputs);
                result = { student, op: step.op, status: "ok", detail: "", logCommand, outputs };
                if (outputs.logCommands === undefined) {
                    result.status = "failed";
                    result.error = "the stack has no logCommands output (never deployed? run classroom up)";
                }
                break;
            }
        }
        if (engineOp) say(`done in ${formatDuration(result.durationMs ?? 0)}: ${result.status}, ${result.detail}`);
        return result;
    } catch (err) {
        const error = reasonOf(err);
        const durationMs = engineOp ? elapsed() : undefined;
        if (engineOp) say(`FAILED after ${formatDuration(durationMs ?? 0)}: ${error}`);
        return { student, op: step.op, status: "failed", durationMs, detail: "", error };
    }
}
