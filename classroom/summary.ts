import { Command } from "./plan";
import { formatDuration } from "./progress";
import { NOT_STARTED, StudentResult } from "./runner";
import { StackOutputs } from "./stacks";

/** The closing report: a table, who failed and why, and the exit code. Pure. */

interface Column {
    title: string;
    cell: (r: StudentResult) => string;
}

const dash = (text: string | undefined) => (text === undefined || text === "" ? "-" : text);
const duration = (r: StudentResult) => (r.durationMs === undefined ? "-" : formatDuration(r.durationMs));
/** The log command when there is one; else what happened (a skip's reason). */
const logOrDetail = (r: StudentResult) => dash(r.logCommand ?? (r.status === "skipped" ? r.detail : undefined));

/** A student's stack name (classes.ts stackOf, for the class); the identity where stacks are students. */
export type StackNamer = (student: string) => string;

function columnsFor(command: Command, stackOf: StackNamer): Column[] {
    const student: Column = { title: "STUDENT", cell: (r) => r.student };
    // The column says which stack to pass to pulumi --stack.
    const stack: Column = { title: "STACK", cell: (r) => stackOf(r.student) };
    const status: Column = { title: "STATUS", cell: (r) => r.status };
    const time: Column = { title: "DURATION", cell: duration };
    switch (command) {
        case "up":
            return [
                student,
                stack,
                status,
                { title: "CHANGES", cell: (r) => (r.status === "skipped" ? "-" : dash(r.detail)) },
                time,
                { title: "LOG COMMAND (logCommands.sidecar)", cell: logOrDetail },
            ];
        case "status":
            return [
                student,
                stack,
                status,
                { title: "LAST UPDATE", cell: (r) => dash(r.detail) },
                { title: "LOG COMMAND (logCommands.sidecar)", cell: logOrDetail },
            ];
        case "preview":
        case "destroy":
        case "logs":
            return [student, stack, status, time, { title: "DETAIL", cell: (r) => dash(r.detail) }];
    }
}

/** Rows as aligned text lines: each column padded to its widest cell, the last one left as it is. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    return rows.map((row) =>
        row
            .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
            .join("  ")
            .trimEnd(),
    );
}

export function renderTable(
    command: Command,
    results: readonly StudentResult[],
    stackOf: StackNamer = (s) => s,
): string {
    // Without --class a stack is named after its student: the STACK column would repeat STUDENT.
    const named = results.some((r) => stackOf(r.student) !== r.student);
    const columns = columnsFor(command, stackOf).filter((c) => named || c.title !== "STACK");
    return alignColumns([columns.map((c) => c.title), ...results.map((r) => columns.map((c) => c.cell(r)))]).join("\n");
}

export function failures(results: readonly StudentResult[]): StudentResult[] {
    return results.filter((r) => r.status === "failed");
}

/** 0 when every student's step succeeded (skips included), 1 when any failed. */
export function exitCode(results: readonly StudentResult[]): number {
    return failures(results).length > 0 ? 1 : 0;
}

/** `3 created, 1 unchanged, 1 failed`, in a fixed order. */
export function countLine(results: readonly StudentResult[]): string {
    const order = [
        "created",
        "updated",
        "unchanged",
        "previewed",
        "destroyed",
        "ok",
        "in progress",
        "skipped",
        "failed",
    ];
    const counts = new Map<string, number>();
    for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    return order
        .filter((s) => counts.has(s))
        .map((s) => `${counts.get(s)} ${s}`)
        .join(", ");
}

export interface SummaryInput {
    command: Command;
    results: readonly StudentResult[];
    /** Stacks of the project that are not this class's: never touched. */
    ignored?: readonly string[];
    stackOf?: StackNamer;
    /** The command line that runs this again (`npm run classroom -- up ...`): said when something is left to do. */
    rerun?: string;
    /** Ctrl-C: steps not started yet were not started. */
    interrupted?: boolean;
}

export function renderSummary(input: SummaryInput): string {
    const { command, results, ignored = [], stackOf = (s: string) => s } = input;
    const out: string[] = [];
    if (results.length === 0) {
        out.push("No student stacks: nothing to do.");
    } else {
        const stacks = `${results.length} student stack${results.length === 1 ? "" : "s"}`;
        out.push(renderTable(command, results, stackOf), "", `${stacks}: ${countLine(results)}.`);
    }
    if (ignored.length > 0) {
        out.push(`Other stacks of this project on the backend, not this class's (left alone): ${ignored.join(", ")}.`);
    }
    const failed = failures(results);
    const notStarted = failed.filter((r) => r.error === NOT_STARTED);
    const broken = failed.filter((r) => r.error !== NOT_STARTED);
    if (broken.length > 0) {
        out.push("", `${broken.length} of ${results.length} failed:`);
        for (const r of broken)
            out.push(`  - ${r.student} (${r.op === "refuse" ? command : r.op}): ${r.error ?? "failed"}`);
    }
    if (input.interrupted) {
        const names = notStarted.map((r) => r.student);
        out.push(
            "",
            `Interrupted: ${names.length} of ${results.length} not started` +
                (names.length > 0 ? ` (${names.join(", ")})` : "") +
                "; every other student's stack is as its own operation left it.",
        );
    }
    // up and destroy converge: the same command again does what is left, and leaves the rest alone.
    if (failed.length > 0 && input.rerun !== undefined && (command === "up" || command === "destroy")) {
        out.push(`To finish the rest, run the same command again:\n  ${input.rerun}`);
    }
    return out.join("\n") + "\n";
}

/** Every string output under the command groups the lab exports, as `group.key  command` lines. */
export function commandLines(outputs: StackOutputs): string[] {
    const lines: [string, string][] = [];
    for (const group of ["logCommands", "watchCommands", "describeCommands", "studentCommands"]) {
        const output = outputs[group];
        if (!output || output.secret || typeof output.value !== "object" || output.value === null) continue;
        for (const [key, value] of Object.entries(output.value as Record<string, unknown>)) {
            if (typeof value === "string") lines.push([`${group}.${key}`, value]);
        }
    }
    const width = Math.max(0, ...lines.map(([label]) => label.length));
    return lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
}

/** `logs`: each student's ready-to-paste commands. */
export function renderLogs(results: readonly StudentResult[], stackOf: StackNamer = (s) => s): string {
    const out: string[] = [];
    for (const r of results) {
        if (r.status !== "ok" || !r.outputs) continue;
        out.push(`== ${r.student} (stack ${stackOf(r.student)})`, ...commandLines(r.outputs).map((l) => `  ${l}`), "");
    }
    return out.join("\n");
}
