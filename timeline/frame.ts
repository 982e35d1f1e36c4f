import { clock } from "../verify/model";
import { ContainerTimeline, PodTimeline, Role } from "./model";
import { kubectlTable } from "../verify/podStatus";

/**
 * The terminal frame: one block per Pod (its kubectl line, one row per container with its runs
 * as bars on an axis of seconds since the Pod was created, and what to notice). 80 columns;
 * colour only when asked (a terminal without NO_COLOR), else plain text without escape codes.
 * Pure: the clock and the colour choice are arguments.
 */

export const WIDTH = 80;
const INDENT = "  ";
const NAME_WIDTH = 18;
const ROLE_WIDTH = 7;
/** Where the bars begin: after the indent, the name and the role. */
export const BAR_COLUMN = INDENT.length + NAME_WIDTH + 1 + ROLE_WIDTH + 1;
const TAIL_WIDTH = 10;
export const BAR_WIDTH = WIDTH - BAR_COLUMN - 1 - TAIL_WIDTH;

export const GLYPHS = { run: "█", failed: "▒", waiting: "·", restart: "↻", backOff: "┊", killing: "x" } as const;

const SHORT_ROLE: Record<Role, string> = { init: "init", sidecar: "sidecar", "native-sidecar": "native", app: "app" };

export const LEGEND =
    `${GLYPHS.run} run  ${GLYPHS.failed} failed run  ${GLYPHS.waiting} waiting to restart  ` +
    `${GLYPHS.restart} restart  ${GLYPHS.backOff} back-off  ${GLYPHS.killing} stopped\n` +
    "native: a native sidecar (an init container with restartPolicy Always)";

/** Colour, by SGR code; none at all when the output is not a terminal or NO_COLOR is set. */
export type Paint = (code: number, text: string) => string;
export const plain: Paint = (_code, text) => text;
export const ansi: Paint = (code, text) => `\x1b[${code}m${text}\x1b[0m`;

/** Colour for a terminal that wants it (https://no-color.org: NO_COLOR set and not empty turns it off). */
export function paintFor(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): Paint {
    const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
    return isTTY && !noColor && env.TERM !== "dumb" ? ansi : plain;
}

const ROLE_COLOUR: Record<Role, number> = { init: 33, app: 32, sidecar: 36, "native-sidecar": 35 };
const RED = 31;
const DIM = 2;
const BOLD = 1;

/** A tick every `step` seconds, the step the smallest that leaves room for the labels. */
export function tickStep(spanSeconds: number, columns = BAR_WIDTH): number {
    const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];
    return steps.find((s) => (s / spanSeconds) * columns >= 8) ?? steps[steps.length - 1];
}

/** The axis' span in ms: from the Pod's creation to now, at least 10 s, so a young Pod's bars are not all one cell. */
export function spanOf(pod: PodTimeline, now: number): number {
    return Math.max(now - pod.createdAt, 10_000);
}

/** The column a time falls in, clamped to the bar area. */
export function columnOf(at: number, pod: PodTimeline, span: number, columns = BAR_WIDTH): number {
    const c = Math.floor(((at - pod.createdAt) / span) * columns);
    return Math.min(columns - 1, Math.max(0, c));
}

function fit(text: string, width: number): string {
    return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/** A container's bar cells: runs, the waits between them, and marks where no run is drawn. */
export function barCells(c: ContainerTimeline, pod: PodTimeline, now: number, paint: Paint = plain): string {
    const span = spanOf(pod, now);
    const col = (at: number) => columnOf(at, pod, span);
    const cells: string[] = new Array(BAR_WIDTH).fill(" ");
    const drawn: boolean[] = new Array(BAR_WIDTH).fill(false);
    const waitingToRestart = c.state.startsWith("waiting") && c.attempts.length > 0;
    c.attempts.forEach((a, i) => {
        const next = c.attempts[i + 1]?.start ?? (waitingToRestart ? now : undefined);
        if (a.end !== undefined && next !== undefined) {
            for (let x = col(a.end); x <= col(next); x++) cells[x] = paint(DIM, GLYPHS.waiting);
        }
    });
    for (const a of c.attempts) {
        const failed = a.failed ?? false;
        const glyph = paint(failed ? RED : ROLE_COLOUR[c.role], failed ? GLYPHS.failed : GLYPHS.run);
        for (let x = col(a.start); x <= col(a.end ?? now); x++) {
            cells[x] = glyph;
            drawn[x] = true;
        }
    }
    for (const m of c.marks) {
        // A restart shows just before the run it begins; no mark hides a run.
        const x = m.kind === "restart" ? col(m.at) - 1 : col(m.at);
        if (x < 0 || drawn[x]) continue;
        const glyph = m.kind === "restart" ? GLYPHS.restart : m.kind === "back-off" ? GLYPHS.backOff : GLYPHS.killing;
        cells[x] = paint(m.kind === "back-off" ? RED : DIM, glyph);
    }
    return cells.join("");
}

/** What follows the bar: restarts and how the last run ended. */
export function tailOf(c: ContainerTimeline): string {
    const parts = [];
    if (c.restarts > 0) parts.push(`${GLYPHS.restart}${c.restarts}`);
    if (c.exitCode !== undefined && (c.end !== undefined || c.restarts > 0)) parts.push(`exit ${c.exitCode}`);
    if (c.start === undefined) parts.push("waits");
    return parts.join(" ").slice(0, TAIL_WIDTH);
}

/** The axis: tick labels in seconds since the Pod was created. */
export function axisLine(pod: PodTimeline, now: number): string {
    const span = spanOf(pod, now);
    const step = tickStep(span / 1000);
    const line: string[] = new Array(BAR_WIDTH + TAIL_WIDTH).fill(" ");
    for (let s = 0; s * 1000 <= span; s += step) {
        const x = Math.floor(((s * 1000) / span) * BAR_WIDTH);
        const label = `${s}s`;
        if (x + label.length > line.length) break;
        label.split("").forEach((ch, i) => (line[x + i] = ch));
    }
    return `${" ".repeat(BAR_COLUMN)}${line.join("")}`.trimEnd();
}

/** Words wrapped to the width, later lines indented like the first's text. */
export function wrap(text: string, first: string, rest: string, width = WIDTH): string[] {
    const lines: string[] = [];
    let prefix = first;
    let current = "";
    for (const word of text.split(" ")) {
        if (current !== "" && prefix.length + current.length + 1 + word.length > width) {
            lines.push(prefix + current);
            prefix = rest;
            current = word;
        } else {
            current = current === "" ? word : `${current} ${word}`;
        }
    }
    lines.push(prefix + current);
    return lines;
}

/** One Pod's block. */
export function podBlock(pod: PodTimeline, now: number, paint: Paint = plain): string[] {
    const title = pod.lesson ? `${pod.name} (${pod.lesson})` : pod.name;
    const lines = [paint(BOLD, fit(title, WIDTH).trimEnd())];
    for (const row of kubectlTable([pod.kubectl])) lines.push(`${INDENT}${row}`.slice(0, WIDTH));
    for (const c of pod.containers) {
        const label = `${INDENT}${fit(c.name, NAME_WIDTH)} ${fit(SHORT_ROLE[c.role], ROLE_WIDTH)} `;
        lines.push(`${label}${barCells(c, pod, now, paint)} ${tailOf(c)}`.trimEnd());
    }
    lines.push(paint(DIM, axisLine(pod, now)));
    lines.push(...wrap(pod.notice, `${INDENT}→ `, `${INDENT}  `));
    return lines;
}

export interface FrameOptions {
    /** The first line: what is shown (`stack dev, namespace lab-dev`). */
    title: string;
    paint?: Paint;
    /** Added under the title: `Ctrl-C to quit` in a live terminal. */
    hint?: string;
}

/** The whole frame: a title, the legend, then each Pod's block. */
export function renderFrame(pods: readonly PodTimeline[], now: number, options: FrameOptions): string {
    const paint = options.paint ?? plain;
    const head = `Timeline: ${options.title}, at ${clock(now)} UTC${options.hint ? ` (${options.hint})` : ""}`;
    const lines = [...wrap(head, "", "  "), ...LEGEND.split("\n").map((l) => paint(DIM, l)), ""];
    if (pods.length === 0) lines.push("No lab Pods yet.");
    for (const pod of pods) lines.push(...podBlock(pod, now, paint), "");
    return `${lines.join("\n").trimEnd()}\n`;
}
