import type { V1Pod } from "@kubernetes/client-node";
import { describeState } from "../../verify/model";
import { LessonVerdict, fail, isNativeSidecar, missing, pass, statusOf } from "../shared/judge";
import { APP, CLASSIC, NATIVE, SHUTDOWN_ORDER } from "./spec";

/** When SIGTERM reached a container, as its termination message says (containerScript). */
export interface Sigterm {
    /** The wall clock, to the second. */
    at: string;
    /** The node's uptime, in seconds to the hundredth: what orders the containers of one Pod. */
    uptime: number;
}

export function parseSigterm(message: string | undefined): Sigterm | undefined {
    const match = /SIGTERM at (\S+), uptime (\d+(?:\.\d+)?) s/.exec(message ?? "");
    return match ? { at: match[1], uptime: Number(match[2]) } : undefined;
}

/** A Pod the learner stopped (its deadline set), or one being deleted, or one that ended. */
export function isStopped(pod: V1Pod): boolean {
    const phase = pod.status?.phase;
    return (
        pod.spec?.activeDeadlineSeconds !== undefined ||
        !!pod.metadata?.deletionTimestamp ||
        phase === "Failed" ||
        phase === "Succeeded"
    );
}

const CONTAINERS = [APP, CLASSIC, ...NATIVE];
const [FIRST_SIDECAR, SECOND_SIDECAR] = NATIVE;
/** Two SIGTERMs sent together arrive within milliseconds; one sent after a stop, about a stop later. */
const TOGETHER_S = 1;
const SLACK_S = 0.5;

/** Seconds to the hundredth, as the uptime the records hold. */
const hundredths = (s: number) => `${s.toFixed(2)} s`;

/** "app is running, sidecar-1 is waiting (ContainerCreating)": what these containers of the Pod are doing. */
function states(pod: V1Pod, containers: readonly string[]): string {
    return containers.map((c) => `${c} is ${describeState(statusOf(pod, c)?.state)}`).join(", ");
}

/** The Pod that is not stopped: running all four containers, or why not yet. */
function runningVerdict(pod: V1Pod | undefined): LessonVerdict {
    if (!pod) return fail("starting", `ReplicaSet ${SHUTDOWN_ORDER} has no running Pod yet.`);
    const name = pod.metadata?.name ?? "";
    const notRunning = CONTAINERS.filter((c) => !statusOf(pod, c)?.state?.running);
    if (notRunning.length > 0) {
        return fail("starting", `Pod ${name} is starting: ${states(pod, notRunning)}.`);
    }
    return pass(
        "ready",
        `Pod ${name} runs its app, a classic sidecar and two native sidecars (${NATIVE.join(" then ")}). ` +
            "Run the lesson's `stop` command to see in which order they get SIGTERM.",
    );
}

/** The last stopped Pod: the order SIGTERM reached its containers. */
function stoppedVerdict(pod: V1Pod, stopSeconds: number, next: V1Pod | undefined): LessonVerdict {
    const name = pod.metadata?.name ?? "";
    const left = CONTAINERS.filter((c) => !statusOf(pod, c)?.state?.terminated);
    if (left.length > 0) {
        return fail("stopping", `Pod ${name} is stopping: ${states(pod, left)}.`);
    }
    if (!NATIVE.every((c) => isNativeSidecar(pod, c))) {
        return fail(
            "broken",
            `In Pod ${name} the sidecars are plain init containers: this cluster does not support native sidecars (Kubernetes 1.29+).`,
        );
    }
    const records = new Map(CONTAINERS.map((c) => [c, parseSigterm(statusOf(pod, c)?.state?.terminated?.message)]));
    const unrecorded = CONTAINERS.filter((c) => !records.get(c));
    if (unrecorded.length > 0) {
        return fail(
            "broken",
            `In Pod ${name}, ${unrecorded.map((c) => `${c} (${describeState(statusOf(pod, c)?.state)})`).join(", ")} ` +
                "stopped without recording a SIGTERM: killed when the grace period ran out, or stopped before it ran.",
        );
    }
    const at = (c: string) => records.get(c)?.uptime ?? 0;
    const start = Math.min(at(APP), at(CLASSIC));
    const after = (c: string) => hundredths(at(c) - start);
    const apart = Math.abs(at(APP) - at(CLASSIC));
    if (apart >= TOGETHER_S) {
        return fail(
            "broken",
            `In Pod ${name} the app and the classic sidecar got SIGTERM ${hundredths(apart)} apart; the kubelet sends it to both at once.`,
        );
    }
    const appStopped = Math.max(at(APP), at(CLASSIC)) + stopSeconds;
    if (at(SECOND_SIDECAR) < appStopped - SLACK_S || at(FIRST_SIDECAR) < at(SECOND_SIDECAR) + stopSeconds - SLACK_S) {
        return fail(
            "broken",
            `In Pod ${name} SIGTERM reached the app at +0 s, ${SECOND_SIDECAR} at +${after(SECOND_SIDECAR)} and ` +
                `${FIRST_SIDECAR} at +${after(FIRST_SIDECAR)}; each takes ${stopSeconds} s to stop, so the native sidecars ` +
                "were not stopped one after the other once the app had stopped (Kubernetes 1.29+ does that).",
        );
    }
    const again = next ? ` The ReplicaSet started Pod ${next.metadata?.name}: run \`stop\` again to repeat it.` : "";
    return pass(
        "shown",
        `Pod ${name} was stopped at ${records.get(APP)?.at}: SIGTERM reached the app and the classic sidecar together ` +
            `(${hundredths(apart)} apart); the native sidecars only once the app had stopped (each container takes ` +
            `${stopSeconds} s), the last started first: ${SECOND_SIDECAR} at +${after(SECOND_SIDECAR)}, then ` +
            `${FIRST_SIDECAR} at +${after(FIRST_SIDECAR)}.${again}`,
    );
}

/**
 * shutdown-order, from the ReplicaSet's Pods (oldest first): "ready" while no Pod was stopped yet
 * and one runs; "shown" once the last stopped Pod's records show the order (app and classic
 * sidecar together, then the native sidecars in reverse); "stopping" while it stops; "broken" when
 * the records show another order.
 */
export function judgeShutdownOrder(pods: readonly V1Pod[], stopSeconds: number): LessonVerdict {
    if (pods.length === 0) return missing("ReplicaSet", SHUTDOWN_ORDER);
    const stopped = pods.filter(isStopped);
    const running = pods.filter((p) => !isStopped(p)).at(-1);
    const last = stopped.at(-1);
    return last ? stoppedVerdict(last, stopSeconds, running) : runningVerdict(running);
}
