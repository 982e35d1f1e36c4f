import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { allStatuses, describeState, time } from "../../verify/model";
import { podStatus } from "../../verify/podStatus";

// A judge tells a native sidecar by kubectl's rule, kept with kubectl's columns.
export { isNativeSidecar } from "../../verify/podStatus";

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

// Durations in a judge's message read as verify's and the timeline's do.
export { seconds } from "../../verify/model";

export function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The Pod's STATUS as `kubectl get pod` prints it (Init:0/1, Init:CrashLoopBackOff, Running...). */
export const podStatusText = (pod: V1Pod): string => podStatus(pod).status;

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
