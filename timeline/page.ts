import { ContainerTimeline, PodTimeline, Role } from "./model";
import { kubectlTable } from "../verify/podStatus";
import { tickStep } from "./frame";

/**
 * The page `--html FILE` writes: the same chart as the terminal, one inline SVG per Pod, with a
 * legend, the lesson each Pod teaches, and the exact times on hover (SVG <title>). Self-contained:
 * inline CSS and SVG, no script, no font or image from anywhere. Pure.
 */

const CHART_WIDTH = 760;
const LABEL_WIDTH = 210;
const BARS_WIDTH = CHART_WIDTH - LABEL_WIDTH - 20;
const ROW_HEIGHT = 24;
const BAR_HEIGHT = 14;
const AXIS_HEIGHT = 22;

const ROLE_NAMES: Record<Role, string> = {
    init: "init container",
    sidecar: "sidecar (a second container)",
    "native-sidecar": "native sidecar (init container, restartPolicy Always)",
    app: "app container",
};

export function escapeHtml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const isoOrNow = (ms: number | undefined) => (ms === undefined ? "now (still running)" : new Date(ms).toISOString());

/** One container's row: a rect per run, a mark per restart, back-off and stop. */
function containerRow(c: ContainerTimeline, now: number, index: number, x: (at: number) => number) {
    const y = AXIS_HEIGHT + index * ROW_HEIGHT;
    const barY = y + (ROW_HEIGHT - BAR_HEIGHT) / 2;
    const runs = c.attempts.map((a, i) => {
        const left = x(a.start);
        const width = Math.max(3, x(a.end ?? now) - left);
        const how = a.exitCode !== undefined ? `, exit ${a.exitCode}${a.reason ? ` (${a.reason})` : ""}` : "";
        const title = `${c.name} (${c.role}), run ${i + 1}: ${isoOrNow(a.start)} to ${a.end === undefined ? isoOrNow(undefined) : isoOrNow(a.end)}${how}`;
        return (
            `<rect class="bar ${c.role}${a.failed ? " failed" : ""}" data-start="${new Date(a.start).toISOString()}" ` +
            `x="${left.toFixed(1)}" y="${barY}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="2">` +
            `<title>${escapeHtml(title)}</title></rect>`
        );
    });
    const marks = c.marks.map((m) => {
        const mx = x(m.at).toFixed(1);
        return (
            `<line class="mark ${m.kind}" x1="${mx}" x2="${mx}" y1="${y + 2}" y2="${y + ROW_HEIGHT - 2}">` +
            `<title>${escapeHtml(`${c.name}: ${m.kind} at ${new Date(m.at).toISOString()}`)}</title></line>`
        );
    });
    const tail = [c.restarts > 0 ? `↻${c.restarts}` : "", c.exitCode !== undefined ? `exit ${c.exitCode}` : ""]
        .filter((t) => t !== "")
        .join(" ");
    return (
        `<g class="row" data-container="${escapeHtml(c.name)}" data-role="${c.role}">` +
        `<text class="label" x="0" y="${y + ROW_HEIGHT / 2 + 4}">${escapeHtml(c.name)} <tspan class="role">${c.role}</tspan></text>` +
        runs.join("") +
        marks.join("") +
        (tail
            ? `<text class="tail" x="${CHART_WIDTH - 4}" y="${y + ROW_HEIGHT / 2 + 4}">${escapeHtml(tail)}</text>`
            : "") +
        `</g>`
    );
}

/**
 * One Pod's chart. `scale` below 1 draws the same chart smaller (the class dashboard's): the
 * viewBox keeps the drawing, the width and height shrink it.
 */
export function podSvg(pod: PodTimeline, now: number, scale = 1): string {
    const span = Math.max(now - pod.createdAt, 10_000);
    const x = (at: number) => LABEL_WIDTH + Math.min(1, Math.max(0, (at - pod.createdAt) / span)) * BARS_WIDTH;
    const height = AXIS_HEIGHT + pod.containers.length * ROW_HEIGHT + 6;
    const step = tickStep(span / 1000, BARS_WIDTH / 8);
    const ticks: string[] = [];
    for (let s = 0; s * 1000 <= span; s += step) {
        const tx = x(pod.createdAt + s * 1000).toFixed(1);
        ticks.push(
            `<line class="tick" x1="${tx}" x2="${tx}" y1="${AXIS_HEIGHT - 4}" y2="${height}"/>` +
                `<text class="axis" x="${tx}" y="${AXIS_HEIGHT - 8}">${s}s</text>`,
        );
    }
    const rows = pod.containers.map((c, i) => containerRow(c, now, i, x));
    return (
        `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${Math.round(CHART_WIDTH * scale)}" ` +
        `height="${Math.round(height * scale)}" ` +
        `viewBox="0 0 ${CHART_WIDTH} ${height}" role="img" aria-label="${escapeHtml(`containers of ${pod.name} over time`)}">` +
        `<title>${escapeHtml(`${pod.name}, created ${new Date(pod.createdAt).toISOString()}`)}</title>` +
        ticks.join("") +
        rows.join("") +
        `</svg>`
    );
}

/** The body's type, the legend, and the chart's text and colours: shared with the class dashboard. */
export const CHART_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #fff; }
h1 { font-size: 1.3em; margin: 0 0 .3em; }
.legend span { display: inline-block; margin-right: 1.2em; }
.legend i { display: inline-block; width: 1.4em; height: .8em; margin-right: .3em; border-radius: 2px; vertical-align: middle; }
svg text { font: 12px ui-monospace, monospace; fill: #333; }
svg text.axis { fill: #888; font-size: 10px; text-anchor: middle; }
svg text.tail { text-anchor: end; fill: #555; }
svg tspan.role { fill: #888; font-size: 10px; }
svg line.tick { stroke: #eee; }
.init { fill: #d9a400; background: #d9a400; }
.app { fill: #2e9e44; background: #2e9e44; }
.sidecar { fill: #1b8fb3; background: #1b8fb3; }
.native-sidecar { fill: #9b4dca; background: #9b4dca; }
.failed { fill: #d33; background: #d33; }
line.mark { stroke-width: 2; }
line.restart, i.restart { stroke: #555; background: #555; }
line.back-off, i.back-off { stroke: #d33; stroke-dasharray: 2 2; background: repeating-linear-gradient(90deg, #d33 0 2px, transparent 2px 4px); }
line.killing, i.killing { stroke: #000; background: #000; }
`;

const CSS = `${CHART_CSS}
section.pod { margin: 1.2em 0; padding: .6em .8em; border: 1px solid #ddd; border-radius: 6px; max-width: 780px; }
section.pod h2 { font-size: 1.05em; margin: 0; }
.lesson { margin: .2em 0; font-style: italic; }
.notice { margin: .3em 0 0; font-weight: 600; }
pre.kubectl { margin: .4em 0; font-size: 12px; background: #f6f6f6; padding: .3em .5em; }
`;

/** What each colour and mark means. */
export function legendHtml(): string {
    return (
        `<p class="legend">` +
        (Object.keys(ROLE_NAMES) as Role[])
            .map((role) => `<span><i class="${role}"></i>${escapeHtml(ROLE_NAMES[role])}</span>`)
            .join("") +
        `<span><i class="failed"></i>failed run</span><span><i class="restart"></i>restart</span>` +
        `<span><i class="back-off"></i>back-off</span><span><i class="killing"></i>stopped</span></p>`
    );
}

export interface PageOptions {
    title: string;
    /** The one-sentence lesson of a Pod's lesson (`init-demo`, `failing-init`), if known. */
    lessonSentence?: (lesson: string) => string | undefined;
}

export function renderPage(pods: readonly PodTimeline[], now: number, options: PageOptions): string {
    const sections = pods.map((pod) => {
        const lesson = pod.lesson ? options.lessonSentence?.(pod.lesson) : undefined;
        return (
            `<section class="pod" data-pod="${escapeHtml(pod.name)}">` +
            `<h2>${escapeHtml(pod.name)}${pod.lesson ? ` <small>(${escapeHtml(pod.lesson)})</small>` : ""}</h2>` +
            (lesson ? `<p class="lesson">${escapeHtml(lesson)}</p>` : "") +
            `<pre class="kubectl">${escapeHtml(kubectlTable([pod.kubectl]).join("\n"))}</pre>` +
            podSvg(pod, now) +
            `<p class="notice">${escapeHtml(pod.notice)}</p>` +
            `</section>`
        );
    });
    return (
        `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
        `<title>${escapeHtml(`Timeline: ${options.title}`)}</title><style>${CSS}</style></head><body>` +
        `<h1>${escapeHtml(`Timeline: ${options.title}`)}</h1>` +
        `<p>At ${new Date(now).toISOString()}. Each bar is one run of a container, in seconds since its Pod was created; hover for the exact times.</p>` +
        legendHtml() +
        (pods.length === 0 ? "<p>No lab Pods yet.</p>" : sections.join("\n")) +
        `</body></html>\n`
    );
}
