import type { V1Pod } from "@kubernetes/client-node";
import { clock, describeState } from "../../verify/model";
import {
    LessonVerdict,
    everStarted,
    fail,
    lastLine,
    mainNotStarted,
    missing,
    pass,
    plural,
    podStatusText,
    statusOf,
} from "../shared/judge";
import { FAILING_INIT_MAIN, FAILING_INIT_STEP } from "./spec";

/**
 * failing-init: "failing" (the step exits non-zero, the kubelet retries it with growing
 * back-off, which `backOffEvents` counts (reason BackOff), the main container never started) or "fixed" (the step completed after the
 * learner created the ConfigMap, and the main container runs).
 */
export function judgeFailingInit(pod: V1Pod | undefined, podName: string, backOffEvents = 0): LessonVerdict {
    if (!pod) return missing("Pod", podName);
    const step = statusOf(pod, FAILING_INIT_STEP);
    const main = statusOf(pod, FAILING_INIT_MAIN);
    const restarts = step?.restartCount ?? 0;
    const done = step?.state?.terminated;
    if (done?.exitCode === 0) {
        const started = main?.state?.running?.startedAt;
        if (!started) return mainNotStarted(podName, FAILING_INIT_STEP, main);
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
            `${failed.exitCode}${line ? ` ("${line}")` : ""}, ${plural(restarts, "restart")} so far` +
            // Between two retries the Pod shows Init:CrashLoopBackOff; the events keep the count.
            (backOffEvents > 0
                ? ` with the kubelet backing off ${plural(backOffEvents, "time")} (Init:CrashLoopBackOff)`
                : "") +
            ", and the main " +
            "container never started. That is the lesson: an init step must complete. Run the lesson's `fix` command to fix it.",
    );
}
