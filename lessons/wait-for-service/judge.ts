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
    podStatusText,
    statusOf,
} from "../shared/judge";
import { WAIT_MAIN, WAIT_STEP } from "./spec";

/**
 * wait-for-service: "waiting" (the init step keeps looking the Service up, the main
 * container has not started) or "started" (the step completed once the Service
 * existed, and the main container runs).
 */
export function judgeWaitForService(
    pod: V1Pod | undefined,
    podName: string,
    service: { name: string; exists: boolean },
    stepLog: string | undefined,
): LessonVerdict {
    if (!pod) return missing("Pod", podName);
    const step = statusOf(pod, WAIT_STEP);
    const main = statusOf(pod, WAIT_MAIN);
    const done = step?.state?.terminated;
    if (done?.exitCode === 0) {
        const started = main?.state?.running?.startedAt;
        if (!started) return mainNotStarted(podName, WAIT_STEP, main);
        return pass(
            "started",
            `Pod ${podName}: the init step "${WAIT_STEP}" found Service ${service.name} and completed at ` +
                `${clock(done.finishedAt)}; the main container started at ${clock(started)}.`,
        );
    }
    if (step?.state?.running && !everStarted(main)) {
        const line = lastLine(stepLog);
        return pass(
            "waiting",
            `Pod ${podName} is ${podStatusText(pod)}: the init step "${WAIT_STEP}" keeps looking up Service ` +
                `${service.name}${line ? ` ("${line}")` : ""} and the main container waits. ` +
                (service.exists
                    ? "The Service exists now: the next lookup should find it."
                    : "Run the lesson's `createService` command and watch the Pod start."),
        );
    }
    if (done || step?.lastState?.terminated) {
        return fail(
            "broken",
            `Pod ${podName}: the init step "${WAIT_STEP}" ended with exit code ${(done ?? step?.lastState?.terminated)?.exitCode}; ` +
                "it should loop until the Service resolves.",
        );
    }
    return fail(
        "starting",
        `Pod ${podName} (${podStatusText(pod)}): the init step "${WAIT_STEP}" is ${describeState(step?.state)}.`,
    );
}
