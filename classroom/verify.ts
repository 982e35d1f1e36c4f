import { VerifyReport } from "../verify/report";
import { LabTarget, Outputs, targetFromOutputs } from "../verify/target";
import { failureReason, formatDuration } from "./progress";
import { runPool } from "./runner";
import { alignColumns } from "./summary";

/**
 * `classroom verify`: every student's lab checked at once (at most `parallel`
 * at a time), one row per student, and the class as a table, CSV and JSON.
 * The orchestration takes its Pulumi and cluster access as functions, so it is
 * unit-tested with fakes; the rows and writers are pure.
 */

export type StudentVerifyStatus = "passed" | "failed" | "error" | "no stack";

export interface StudentVerifyResult {
    student: string;
    status: StudentVerifyStatus;
    report?: VerifyReport;
    /** Why there is no report (no stack, no outputs, unreadable cluster). */
    error?: string;
}

export interface ClassVerifyDeps {
    /** The students' stack outputs; rejects when the stack cannot be read (a StackNotFoundError: no stack). */
    outputs: (student: string) => Promise<Outputs>;
    /** Runs the lab's checks on one target. */
    verify: (target: LabTarget) => Promise<VerifyReport>;
    parallel: number;
    /** One line when a student's checks are done. */
    progress?: (student: string, line: string) => void;
}

/** Why a student could not be verified, in one line (a Pulumi error's own `error:` line, not "code: 255"). */
const firstLine = (err: unknown) => failureReason([], err instanceof Error ? err.message : String(err));

const noStack = (student: string): StudentVerifyResult => ({
    student,
    status: "no stack",
    error: "no stack (not deployed yet: run classroom up)",
});

/** Verifies each student whose stack exists (`existing`); the others are "no stack". */
export async function verifyClass(
    students: readonly string[],
    existing: ReadonlySet<string>,
    deps: ClassVerifyDeps,
): Promise<StudentVerifyResult[]> {
    return runPool(students, deps.parallel, async (student): Promise<StudentVerifyResult> => {
        if (!existing.has(student)) return noStack(student);
        let target: LabTarget;
        try {
            target = targetFromOutputs(student, await deps.outputs(student));
        } catch (err) {
            // Gone since the stacks were listed, or never listed (the dashboard reads a roster's stacks directly).
            if (err instanceof Error && err.name === "StackNotFoundError") return noStack(student);
            deps.progress?.(student, `cannot read the stack: ${firstLine(err)}`);
            return { student, status: "error", error: firstLine(err) };
        }
        if (target.notice) deps.progress?.(student, `note: ${target.notice}`);
        try {
            const report = await deps.verify(target);
            const { passed, total } = report.summary;
            deps.progress?.(
                student,
                `${passed}/${total} checks passed in ${formatDuration(report.durationMs)} (${target.description})`,
            );
            return { student, status: report.status, report };
        } catch (err) {
            deps.progress?.(student, `cannot check the lab: ${firstLine(err)}`);
            return { student, status: "error", error: firstLine(err) };
        }
    });
}

/** One student, as the table, the CSV and the JSON show them. */
export interface ClassRow {
    student: string;
    status: StudentVerifyStatus;
    passed: number;
    total: number;
    /** The first check that did not pass, why, and the fix; null when all passed. */
    firstFailure: { id: string; message: string; hint: string | null } | null;
    podsStartedAt: string | null;
    /** Seconds from the Pods' start to `now`; null when no Pod was found. */
    secondsSincePodsStarted: number | null;
}

export function classRow(result: StudentVerifyResult, now: number): ClassRow {
    const report = result.report;
    if (!report) {
        return {
            student: result.student,
            status: result.status,
            passed: 0,
            total: 0,
            firstFailure: {
                id: result.status === "no stack" ? "stack" : "cluster",
                message: result.error ?? "",
                hint: null,
            },
            podsStartedAt: null,
            secondsSincePodsStarted: null,
        };
    }
    const failing = report.checks.find((c) => c.status !== "passed");
    const started = report.podsStartedAt === null ? undefined : Date.parse(report.podsStartedAt);
    return {
        student: result.student,
        status: result.status,
        passed: report.summary.passed,
        total: report.summary.total,
        firstFailure: failing
            ? { id: failing.id, message: failing.message, hint: failing.explanation?.hint ?? null }
            : null,
        podsStartedAt: report.podsStartedAt,
        secondsSincePodsStarted: started === undefined ? null : Math.max(0, Math.round((now - started) / 1000)),
    };
}

const WHY_MAX = 90;
const shorten = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 3)}...`);

/** The terminal table: one row per student, then each stuck student's hint. */
export function renderClassTable(rows: readonly ClassRow[]): string {
    const header = ["STUDENT", "RESULT", "PASSED", "PODS STARTED", "FIRST FAILING CHECK", "WHY"];
    const cells = rows.map((r) => [
        r.student,
        r.status,
        r.total > 0 ? `${r.passed}/${r.total}` : "-",
        r.secondsSincePodsStarted === null ? "-" : `${formatDuration(r.secondsSincePodsStarted * 1000)} ago`,
        r.firstFailure?.id ?? "-",
        r.firstFailure ? shorten(r.firstFailure.message, WHY_MAX) : "-",
    ]);
    const out = alignColumns([header, ...cells]);
    const passed = rows.filter((r) => r.status === "passed").length;
    out.push("", `${passed} of ${rows.length} student${rows.length === 1 ? "" : "s"} passed every check.`);
    const hinted = rows.filter((r) => r.firstFailure?.hint);
    if (hinted.length > 0) {
        out.push("", "What to look at:");
        for (const r of hinted) out.push(`  - ${r.student}: ${r.firstFailure!.hint}`);
    }
    return out.join("\n") + "\n";
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; quotes doubled. */
export function csvField(value: string | number | null): string {
    if (value === null) return "";
    let text = String(value);
    // A spreadsheet runs a cell starting with = + - @ as a formula; a leading ' keeps it text.
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = [
    "student",
    "status",
    "passed",
    "total",
    "first_failing_check",
    "why",
    "hint",
    "pods_started_at",
    "seconds_since_pods_started",
] as const;

export function renderClassCsv(rows: readonly ClassRow[]): string {
    const lines = [CSV_COLUMNS.join(",")];
    for (const r of rows) {
        lines.push(
            [
                r.student,
                r.status,
                r.passed,
                r.total,
                r.firstFailure?.id ?? null,
                r.firstFailure?.message ?? null,
                r.firstFailure?.hint ?? null,
                r.podsStartedAt,
                r.secondsSincePodsStarted,
            ]
                .map(csvField)
                .join(","),
        );
    }
    return lines.join("\r\n") + "\r\n";
}

export interface ClassReport {
    schemaVersion: 1;
    tool: "init-sidecar-lab classroom verify";
    generatedAt: string;
    backend: string;
    summary: { students: number; passed: number; failed: number; errors: number; noStack: number };
    students: (ClassRow & { error: string | null; report: VerifyReport | null })[];
}

/** The class as JSON (schema: classroom/verify-report.schema.json): each row with the student's whole report. */
export function buildClassReport(results: readonly StudentVerifyResult[], now: number, backend: string): ClassReport {
    const count = (s: StudentVerifyStatus) => results.filter((r) => r.status === s).length;
    return {
        schemaVersion: 1,
        tool: "init-sidecar-lab classroom verify",
        generatedAt: new Date(now).toISOString(),
        backend,
        summary: {
            students: results.length,
            passed: count("passed"),
            failed: count("failed"),
            errors: count("error"),
            noStack: count("no stack"),
        },
        students: results.map((r) => ({ ...classRow(r, now), error: r.error ?? null, report: r.report ?? null })),
    };
}

/** 0 when every student passed every check (or there was no student), else 1. */
export function classExitCode(results: readonly StudentVerifyResult[]): number {
    return results.every((r) => r.status === "passed") ? 0 : 1;
}

/** `classroom-verify-20261130-0130` (UTC): default file names that do not overwrite the last run. */
export function defaultReportBase(now: number): string {
    const iso = new Date(now).toISOString();
    return `classroom-verify-${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 19).replace(/:/g, "")}`;
}
