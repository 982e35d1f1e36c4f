import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { ChangeCounts } from "./stacks";

/**
 * Pure helpers for the live output: engine events as one-line progress,
 * raw CLI output cut into lines, change counts, durations and failure reasons.
 */

/** The operations that change something; `same`, `read` and `refresh` steps are not shown. */
const SHOWN_OPS: Record<string, { doing: string; done: string; would: string }> = {
    create: { doing: "creating", done: "created", would: "would create" },
    update: { doing: "updating", done: "updated", would: "would update" },
    delete: { doing: "deleting", done: "deleted", would: "would delete" },
    replace: { doing: "replacing", done: "replaced", would: "would replace" },
    "create-replacement": { doing: "creating replacement", done: "created replacement", would: "would replace" },
    "delete-replaced": { doing: "deleting replaced", done: "deleted replaced", would: "would delete replaced" },
};

function resourceName(urn: string): string {
    const i = urn.lastIndexOf("::");
    return i < 0 ? urn : urn.slice(i + 2);
}

/** The stack itself, providers and component resources: only the real resources are shown. */
function isPlumbing(metadata: StepEventMetadata): boolean {
    const { type } = metadata;
    // The event log leaves `custom: false` out, so a component's state has no `custom` at all.
    const state = metadata.new ?? metadata.old;
    return (
        type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:") || (state !== undefined && !state.custom)
    );
}

/** Diagnostics worth a line; the event log also carries the engine's and SDK's debug messages. */
const SHOWN_SEVERITIES: Record<string, string> = { error: "error: ", warning: "warning: ", info: "", "info#err": "" };

/**
 * One engine event as progress lines (usually zero or one). `dryRun` (preview)
 * says "would create …" once per resource instead of "creating …" / "created …".
 */
export function eventLines(event: EngineEvent, dryRun: boolean): string[] {
    const pre = event.resourcePreEvent?.metadata;
    if (pre && !isPlumbing(pre)) {
        const op = SHOWN_OPS[pre.op];
        if (op) return [`${dryRun ? op.would : op.doing} ${pre.type} ${resourceName(pre.urn)}`];
    }
    const done = event.resOutputsEvent?.metadata;
    if (done && !dryRun && !isPlumbing(done)) {
        const op = SHOWN_OPS[done.op];
        if (op) return [`${op.done} ${done.type} ${resourceName(done.urn)}`];
    }
    const failed = event.resOpFailedEvent?.metadata;
    if (failed) return [`failed to ${failed.op} ${failed.type} ${resourceName(failed.urn)}`];
    const diag = event.diagnosticEvent;
    if (diag && !diag.ephemeral && diag.severity in SHOWN_SEVERITIES) {
        const label = SHOWN_SEVERITIES[diag.severity];
        const where = diag.urn && !diag.urn.includes("::pulumi:pulumi:Stack::") ? resourceName(diag.urn) : "";
        return stripAnsi(diag.message)
            .split(/\r?\n/)
            .map((l) => l.trimEnd())
            .filter((l) => l.trim() !== "")
            .map((l, i) => (i === 0 ? `${label}${where && label ? `${where}: ` : ""}${l}` : `  ${l}`));
    }
    return [];
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]|<\{%[^%]*%\}>/g;

/** Removes terminal colour codes and Pulumi's `<{%fg 1%}>` colour markup. */
export function stripAnsi(text: string): string {
    return text.replace(ANSI, "");
}

/** Cuts a stream of chunks into whole lines (for the raw `--verbose` output). */
export class LineSplitter {
    private buffer = "";
    constructor(private readonly sink: (line: string) => void) {}

    push(chunk: string): void {
        this.buffer += chunk;
        const lines = this.buffer.split(/\r?\n/);
        this.buffer = lines.pop() ?? "";
        for (const line of lines) this.sink(stripAnsi(line));
    }

    flush(): void {
        if (this.buffer !== "") this.sink(stripAnsi(this.buffer));
        this.buffer = "";
    }
}

const CHANGE_SYMBOLS: [string, string][] = [
    ["create", "+"],
    ["update", "~"],
    ["replace", "+-"],
    ["delete", "-"],
];

/** True when the counts show anything but no-op steps. */
export function hasChanges(changes: ChangeCounts): boolean {
    return Object.entries(changes).some(([op, n]) => (n ?? 0) > 0 && !["same", "read", "refresh"].includes(op));
}

/** `+6`, `~1 -2`, or `no changes`. */
export function formatChanges(changes: ChangeCounts): string {
    const parts = CHANGE_SYMBOLS.filter(([op]) => (changes[op] ?? 0) > 0).map(([op, s]) => `${s}${changes[op]}`);
    return parts.length > 0 ? parts.join(" ") : hasChanges(changes) ? "changed" : "no changes";
}

/** `8s`, `1m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
    const seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds < 60) return `${seconds}s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
    return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** Diagnostics that only say "it failed" and would hide the reason. */
const GENERIC = /^(update|preview|destroy|refresh) failed\.?$|^one or more errors occurred/i;
const REASON_MAX = 400;
/** `error: …`, also as the first stderr line of a CommandError's message (` stderr: error: …`). */
const STDERR_ERROR = /^(?:stderr:\s*)?error: /;

/**
 * One line saying why a student's operation failed: the engine's error
 * diagnostics when there were any, else the `error:` lines of the CLI's
 * output, else the error's first line.
 */
export function failureReason(diagnostics: readonly string[], errorText: string): string {
    const clean = (lines: string[]) => [
        ...new Set(lines.map((l) => stripAnsi(l).replace(/\s+/g, " ").trim()).filter((l) => l && !GENERIC.test(l))),
    ];
    let reasons = clean([...diagnostics]);
    if (reasons.length === 0) {
        reasons = clean(
            errorText
                .split(/\r?\n/)
                .map((l) => l.trim())
                .filter((l) => STDERR_ERROR.test(l))
                .map((l) => l.replace(STDERR_ERROR, "")),
        );
    }
    if (reasons.length === 0) reasons = clean(errorText.split(/\r?\n/)).slice(0, 1);
    const reason = reasons.join("; ") || "unknown error";
    return reason.length > REASON_MAX ? reason.slice(0, REASON_MAX - 1) + "…" : reason;
}
