import type { V1ContainerState, V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { FAILING_INIT_MAIN, FAILING_INIT_STEP } from "../components/lessons/failingInit";

/**
 * The lessons' judges: pure functions from what the API server shows (Pods, Jobs,
 * logs, a scraped page) to a verdict in plain words. verify/cli.ts fetches the
 * inputs; nothing here talks to a cluster. Each lesson has a few expected states
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

const pass = (state: string, message: string): LessonVerdict => ({ status: "pass", state, message });
const fail = (state: string, message: string): LessonVerdict => ({ status: "fail", state, message });

/** Milliseconds since the epoch of an API timestamp (client-node gives Dates; JSON gives strings). */
export function millis(value: Date | string | undefined): number | undefined {
    if (value === undefined) return undefined;
    const ms = value instanceof Date ? value.getTime() : Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
}

export function clock(value: Date | string | undefined): string {
    const ms = millis(value);
    return ms === undefined ? "an unknown time" : new Date(ms).toISOString().slice(11, 19);
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** What a container is doing, in kubectl's words: "running", "waiting (CrashLoopBackOff)", "terminated (exit 1)". */
export function describeState(state: V1ContainerState | undefined): string {
    if (state?.running) return "running";
    if (state?.terminated) return `terminated (exit ${state.terminated.exitCode})`;
    if (state?.waiting) return `waiting (${state.waiting.reason ?? "no reason given"})`;
    return "not started";
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

function isNativeSidecar(pod: V1Pod, container: string): boolean {
    return pod.spec?.initContainers?.some((c) => c.name === container && c.restartPolicy === "Always") ?? false;
}

function statusOf(pod: V1Pod, container: string): V1ContainerStatus | undefined {
    return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find(
        (s) => s.name === container,
    );
}

/** Whether a container ever ran: running now, finished, or restarted. */
function everStarted(status: V1ContainerStatus | undefined): boolean {
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

const missing = (kind: string, name: string): LessonVerdict =>
    fail("missing", `${kind} ${name} does not exist: has \`npm run up\` finished with this lesson selected?`);

// --- lesson failing-init -----------------------------------------------------------------------

/**
 * failing-init: "failing" (the step exits non-zero, the kubelet retries it with growing
 * back-off, the main container never started) or "fixed" (the step completed after the
 * learner created the ConfigMap, and the main container runs).
 */
export function judgeFailingInit(pod: V1Pod | undefined, podName: string): LessonVerdict {
    if (!pod) return missing("Pod", podName);
    const step = statusOf(pod, FAILING_INIT_STEP);
    const main = statusOf(pod, FAILING_INIT_MAIN);
    const restarts = step?.restartCount ?? 0;
    const done = step?.state?.terminated;
    if (done?.exitCode === 0) {
        const started = main?.state?.running?.startedAt;
        if (!started) {
            return fail(
                "starting",
                `Pod ${podName}: the init step "${FAILING_INIT_STEP}" completed, but the main container is ` +
                    `${describeState(main?.state)}; it should start within seconds.`,
            );
        }
        return pass(
            "fixed",
            `Pod ${podName}: the init step "${FAILING_INIT_STEP}" completed after ${plural(restarts, "failed run")}, ` +
                `and the main container started at ${clock(started)}: the fix worked, the same Pod went on.`,
        );
    }
    const failed = done && done.exitCode !== 0 ? done : step?.lastState?.terminated;
    if (!failed || failed.exitCode === 0) {
        return fail(
            "starting",
            `Pod ${podName} (${podStatusText(pod)}): the init step "${FAILING_INIT_STEP}" is ` +
                `${describeState(step?.state)} and has not failed yet; run verify again in a few seconds.`,
        );
    }
    if (everStarted(main)) {
        return fail(
            "broken",
            `Pod ${podName}: the main container started although the init step "${FAILING_INIT_STEP}" failed; ` +
                "Kubernetes should have held it back.",
        );
    }
    const line = lastLine(failed.message);
    return pass(
        "failing",
        `Pod ${podName} is ${podStatusText(pod)}: the init step "${FAILING_INIT_STEP}" exited with code ` +
            `${failed.exitCode}${line ? ` ("${line}")` : ""}, ${plural(restarts, "restart")} so far, and the main ` +
            "container never started. That is the lesson: an init step must complete. Run the lesson's `fix` command to fix it.",
    );
}
