import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { allStatuses, describeState, time } from "../../verify/model";

/**
 * What the lessons' judges share. A judge (lessons/<name>/judge.ts) is a pure function from
 * what the API server shows (Pods, Jobs, logs, a scraped page) to a verdict in plain words;
 * the lesson's read.ts fetches the inputs; nothing here talks to a cluster. Each lesson has a few expected states
 * (lesson failing-init: "failing" or "fixed"); any of them passes, anything else
 * fails and says what is seen instead.
 */

export interface LessonVerdict {
    status: "pass" | "fail";
    /** The state the lesson is in, one word: "failing", "fixed", "waiting", "started", ... */
    state: string;
    /** One or two sentences a learner understands. */
    message: string;
}

export const pass = (state: string, message: string): LessonVerdict => ({ status: "pass", state, message });
export const fail = (state: string, message: string): LessonVerdict => ({ status: "fail", state, message });

export function seconds(ms: number): string {
    return `${Math.round(ms / 100) / 10} s`;
}

export function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The status kubectl prints in its STATUS column for a Pod still in its init steps, else the phase. */
export function podStatusText(pod: V1Pod): string {
    const inits = pod.status?.initContainerStatuses ?? [];
    const regularInits = inits.filter((s) => !isNativeSidecar(pod, s.name));
    for (const [i, s] of regularInits.entries()) {
        const t = s.state?.terminated;
        if (t && t.exitCode === 0) continue;
        if (t) return t.reason && t.reason !== "Error" ? `Init:${t.reason}` : "Init:Error";
        const reason = s.state?.waiting?.reason;
        if (reason && reason !== "PodInitializing") return `Init:${reason}`;
        return `Init:${i}/${regularInits.length}`;
    }
    return pod.status?.phase ?? "Unknown";
}

export function isNativeSidecar(pod: V1Pod, container: string): boolean {
    return pod.spec?.initContainers?.some((c) => c.name === container && c.restartPolicy === "Always") ?? false;
}

export function statusOf(pod: V1Pod, container: string): V1ContainerStatus | undefined {
    return allStatuses(pod).find((s) => s.name === container);
}

/** When a container's current run started (running, or finished), in ms. */
export function startedAt(status: V1ContainerStatus | undefined): number | undefined {
    return time(status?.state?.running?.startedAt ?? status?.state?.terminated?.startedAt);
}

/** When the Pod's condition last turned True, in ms; undefined while it is not True. */
export function trueSince(pod: V1Pod, type: string): number | undefined {
    const condition = pod.status?.conditions?.find((c) => c.type === type && c.status === "True");
    return time(condition?.lastTransitionTime);
}

/**
 * What a judge found about one part of its lesson (one Pod or Job of several): fine, or not yet
 * (`transient`: worth another look), or wrong for good.
 */
export type Finding = { ok: true; text: string } | { ok: false; transient: boolean; text: string };

/** Whether a container ever ran: running now, finished, or restarted. */
export function everStarted(status: V1ContainerStatus | undefined): boolean {
    return !!(status?.state?.running || status?.state?.terminated || status?.lastState?.terminated);
}

/** The last non-empty line of a log or termination message. */
export function lastLine(text: string | undefined): string | undefined {
    return text
        ?.split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "")
        .at(-1);
}

/** An init step completed and the main container has not started yet: worth another look soon. */
export const mainNotStarted = (podName: string, step: string, main: V1ContainerStatus | undefined): LessonVerdict =>
    fail(
        "starting",
        `Pod ${podName}: the init step "${step}" completed, but the main container is ` +
            `${describeState(main?.state)}; it should start within seconds.`,
    );

export const missing = (kind: string, name: string): LessonVerdict =>
    fail("missing", `${kind} ${name} does not exist: has \`npm run up\` finished with this lesson selected?`);
