import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import { PodTimeline, podTimeline } from "../timeline/model";
import { CHART_CSS, escapeHtml, legendHtml, podSvg } from "../timeline/page";
import { formatDuration } from "./progress";
import { ClassRow, StudentVerifyResult, StudentVerifyStatus, classRow } from "./verify";

/**
 * `classroom dashboard`: the class on one page, a row per student with verify's result (the first
 * failing check and why), how long ago the Pods started, and the timeline of their two Pods drawn
 * small (timeline/page.ts's chart). Pure: dashboardServer.ts reads the class and serves the page.
 */

/** What one look at a student found: verify's result, and their two Pods with the events read. */
export interface StudentLook {
    result: StudentVerifyResult;
    /** The guide's two Pods as found (init Pod first); fewer when one is missing or was not read. */
    pods: readonly V1Pod[];
    events: readonly CoreV1Event[];
}

export interface DashboardRow extends ClassRow {
    pods: PodTimeline[];
}

/** The charts on the dashboard: timeline/page.ts's, at this size. */
export const CHART_SCALE = 0.6;

export function dashboardRow(look: StudentLook, now: number): DashboardRow {
    return {
        ...classRow(look.result, now),
        pods: look.pods.map((pod) => podTimeline(pod, look.events, now)),
    };
}

const STATUS_WORDS: Record<StudentVerifyStatus, string> = {
    passed: "passed",
    failed: "failing",
    error: "cannot read",
    "no stack": "no stack",
};

export interface DashboardOptions {
    /** Where the stacks live, as `classroom verify` names it. */
    backend: string;
    /** When the page reloads itself (--serve), in seconds; undefined: a page written once. */
    refreshSeconds?: number;
}

function resultCell(row: DashboardRow): string {
    const count = row.total > 0 ? ` <span class="count">${row.passed}/${row.total} checks</span>` : "";
    return `<td class="result"><span class="badge">${escapeHtml(STATUS_WORDS[row.status])}</span>${count}</td>`;
}

function whyCell(row: DashboardRow): string {
    const failure = row.firstFailure;
    if (!failure) return `<td class="why">Every check passed.</td>`;
    // No report (no stack, an unreadable stack): the message says it all; else the check's id first.
    const id = row.total > 0 ? `<code>${escapeHtml(failure.id)}</code> ` : "";
    return (
        `<td class="why">${id}${escapeHtml(failure.message)}` +
        (failure.hint ? `<div class="hint">${escapeHtml(failure.hint)}</div>` : "") +
        `</td>`
    );
}

function timelineCell(row: DashboardRow, now: number): string {
    if (row.pods.length === 0) return `<td class="timeline">-</td>`;
    const pods = row.pods.map(
        (pod) =>
            `<figure class="pod" data-pod="${escapeHtml(pod.name)}">` +
            `<figcaption>${escapeHtml(pod.name)} <span class="kubectl">${escapeHtml(
                `${pod.kubectl.ready} ${pod.kubectl.status}` +
                    (pod.kubectl.restarts > 0 ? `, ${pod.kubectl.restarts} restarts` : ""),
            )}</span></figcaption>` +
            podSvg(pod, now, CHART_SCALE) +
            `</figure>`,
    );
    return `<td class="timeline">${pods.join("")}</td>`;
}

const CSS = `${CHART_CSS}
table.class { border-collapse: collapse; }
table.class th { text-align: left; font-weight: 600; border-bottom: 2px solid #ccc; padding: .3em .6em; }
table.class td { vertical-align: top; border-bottom: 1px solid #e4e4e4; padding: .5em .6em; }
td.student { font-weight: 600; white-space: nowrap; }
td.why { max-width: 26em; }
td.why code { font-size: 12px; background: #f3f3f3; padding: 0 .3em; }
.hint { margin-top: .3em; color: #555; font-size: 13px; }
.badge { display: inline-block; padding: .05em .5em; border-radius: 1em; color: #fff; font-size: 13px; white-space: nowrap; }
tr[data-status="passed"] .badge { background: #2e9e44; }
tr[data-status="failed"] .badge { background: #d33; }
tr[data-status="error"] .badge, tr[data-status="no stack"] .badge { background: #777; }
.count { display: block; color: #555; font-size: 12px; margin-top: .2em; }
figure.pod { margin: 0 0 .4em; }
figcaption { font: 12px ui-monospace, monospace; }
figcaption .kubectl { color: #666; }
`;

/** The whole page: self-contained (inline CSS and SVG, no script, nothing from the network). */
export function renderDashboard(rows: readonly DashboardRow[], now: number, options: DashboardOptions): string {
    const passed = rows.filter((r) => r.status === "passed").length;
    const students = `${rows.length} student${rows.length === 1 ? "" : "s"}`;
    const title = `Class dashboard: ${students}`;
    const refresh = options.refreshSeconds;
    const body = rows.map(
        (row) =>
            `<tr class="student" data-student="${escapeHtml(row.student)}" data-status="${escapeHtml(row.status)}">` +
            `<td class="student">${escapeHtml(row.student)}</td>` +
            resultCell(row) +
            whyCell(row) +
            `<td class="started">${
                row.secondsSincePodsStarted === null
                    ? "-"
                    : `<span title="${escapeHtml(row.podsStartedAt ?? "")}">${formatDuration(row.secondsSincePodsStarted * 1000)} ago</span>`
            }</td>` +
            timelineCell(row, now) +
            `</tr>`,
    );
    return (
        `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
        (refresh === undefined ? "" : `<meta http-equiv="refresh" content="${refresh}">`) +
        `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>` +
        `<h1>${escapeHtml(title)}</h1>` +
        `<p class="summary"><strong>${passed} of ${students} passed every check.</strong> ` +
        `Read at ${new Date(now).toISOString()} from backend ${escapeHtml(options.backend)}` +
        (refresh === undefined ? "." : `; read again every ${refresh} s, and this page reloads as often.`) +
        ` Each check is judged on what the cluster shows now (nothing waited for).</p>` +
        legendHtml() +
        (rows.length === 0
            ? `<p>No students: give the class (--students, --roster or --count), or run classroom up.</p>`
            : `<table class="class"><thead><tr><th>Student</th><th>Result</th><th>First failing check, and why</th>` +
              `<th>Pods started</th><th>The two Pods (seconds since each was created)</th></tr></thead>` +
              `<tbody>${body.join("\n")}</tbody></table>`) +
        `</body></html>\n`
    );
}
