import { renderExplanation } from "./explain";
import { CheckRecord, CheckStatus } from "./run";

/**
 * The three forms of a verify run: text for a learner, JSON for tools
 * (schema: verify/report.schema.json, documented in docs/verify-report.md),
 * JUnit XML for CI test reporters and LMS importers. Pure.
 */

export const OUTPUT_FORMATS = ["text", "json", "junit"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const REPORT_SCHEMA_VERSION = 1;

/** Where the checks ran. */
export interface ReportTarget {
    description: string;
    namespace: string;
    stack: string | null;
    context: string | null;
}

export interface VerifyReport {
    schemaVersion: typeof REPORT_SCHEMA_VERSION;
    tool: "init-sidecar-lab verify";
    target: ReportTarget;
    status: CheckStatus;
    startedAt: string;
    finishedAt: string;
    durationMs: number;
    /** When the earliest of the lab's Pods started (status.startTime); null when none was found. */
    podsStartedAt: string | null;
    summary: { total: number; passed: number; failed: number; errors: number };
    checks: CheckRecord[];
}

/** The run's status: error when the cluster could not be read, else failed when any check failed. */
export function overallStatus(records: readonly CheckRecord[]): CheckStatus {
    if (records.some((r) => r.status === "error")) return "error";
    return records.every((r) => r.status === "passed") ? "passed" : "failed";
}

export function buildReport(
    target: ReportTarget,
    records: readonly CheckRecord[],
    startedAt: number,
    finishedAt: number,
    podsStartedAt?: number,
): VerifyReport {
    const count = (s: CheckStatus) => records.filter((r) => r.status === s).length;
    return {
        schemaVersion: REPORT_SCHEMA_VERSION,
        tool: "init-sidecar-lab verify",
        target,
        status: overallStatus(records),
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: new Date(finishedAt).toISOString(),
        durationMs: finishedAt - startedAt,
        podsStartedAt: podsStartedAt === undefined ? null : new Date(podsStartedAt).toISOString(),
        summary: { total: records.length, passed: count("passed"), failed: count("failed"), errors: count("error") },
        checks: [...records],
    };
}

/** 0 when every check passed, 1 when one failed, 2 when the cluster could not be read. */
export function exitCodeOf(report: Pick<VerifyReport, "status">): number {
    return report.status === "passed" ? 0 : report.status === "failed" ? 1 : 2;
}

/** The learner's report: one line a check, the explanation under each failure, and a verdict. */
export function renderText(report: VerifyReport): string {
    const lines: string[] = [];
    const explained = new Set<string>();
    const hints = new Set<string>();
    for (const r of report.checks) {
        lines.push(`${r.status === "passed" ? "PASS" : r.status === "failed" ? "FAIL" : "ERROR"}  ${r.message}`);
        if (!r.explanation) continue;
        // Two failing checks of one Pod: describe the Pod once, and give a hint once.
        const fresh = r.explanation.pods.filter((p) => !explained.has(p.name));
        if (fresh.length === 0 && hints.has(r.explanation.hint)) {
            lines.push(`      (Pod ${r.explanation.pods.map((p) => p.name).join(", ")}: see above)`);
            continue;
        }
        lines.push(...renderExplanation({ ...r.explanation, pods: fresh }));
        for (const p of fresh) explained.add(p.name);
        hints.add(r.explanation.hint);
    }
    const { total, failed, errors } = report.summary;
    if (report.status === "passed") {
        lines.push(
            `All ${total} checks passed: the init container finished before the app, and the sidecar runs beside it.`,
        );
    } else if (errors > 0) {
        lines.push(`${errors} of ${total} checks could not run: the cluster could not be read.`);
    } else {
        lines.push(`${failed} of ${total} checks failed.`);
    }
    return lines.join("\n") + "\n";
}

export function renderJson(report: unknown): string {
    return JSON.stringify(report, null, 2) + "\n";
}

/** Text as XML character data or an attribute value: the five special characters escaped, characters XML forbids dropped. */
export function xmlEscape(text: string): string {
    return (
        text
            // eslint-disable-next-line no-control-regex
            .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
            .replace(/&/g, "&amp;")
            .replace(/</g, "&lt;")
            .replace(/>/g, "&gt;")
            .replace(/"/g, "&quot;")
            .replace(/'/g, "&apos;")
    );
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** One `<testsuite>`: a learner's lab (the classroom writes one per student). */
export interface JunitSuite {
    name: string;
    report: VerifyReport;
}

/**
 * JUnit XML as the common reporters read it (Ant's schema: testsuites >
 * testsuite > testcase > failure|error). A failed check is a <failure> whose
 * body is the explanation; a check that could not read the cluster, an <error>.
 */
export function renderJunit(suites: readonly JunitSuite[]): string {
    const sum = (f: (r: VerifyReport) => number) => suites.reduce((n, s) => n + f(s.report), 0);
    const out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="init-sidecar-lab verify" tests="${sum((r) => r.summary.total)}" ` +
            `failures="${sum((r) => r.summary.failed)}" errors="${sum((r) => r.summary.errors)}" ` +
            `time="${seconds(sum((r) => r.durationMs))}">`,
    ];
    for (const { name, report } of suites) {
        out.push(
            `  <testsuite name="${xmlEscape(name)}" tests="${report.summary.total}" failures="${report.summary.failed}" ` +
                `errors="${report.summary.errors}" skipped="0" time="${seconds(report.durationMs)}" ` +
                `timestamp="${report.startedAt.slice(0, 19)}">`,
        );
        for (const check of report.checks) {
            const open =
                `    <testcase classname="${xmlEscape(name)}" name="${xmlEscape(`${check.id}: ${check.description}`)}" ` +
                `time="${seconds(check.durationMs)}"`;
            if (check.status === "passed") {
                out.push(`${open}/>`);
                continue;
            }
            const tag = check.status === "error" ? "error" : "failure";
            const body = check.explanation ? renderExplanation(check.explanation, "").join("\n") : check.message;
            out.push(
                `${open}>`,
                `      <${tag} message="${xmlEscape(check.message)}" type="${check.status === "error" ? "ClusterUnreadable" : "CheckFailed"}">` +
                    `${xmlEscape(body)}</${tag}>`,
                "    </testcase>",
            );
        }
        out.push("  </testsuite>");
    }
    out.push("</testsuites>");
    return out.join("\n") + "\n";
}
