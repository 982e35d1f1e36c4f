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
import { FAILING_INIT_MAIN, FAILING_INIT_STEP, FailingInitSettings } from "./spec";

/**
 * failing-init: "failing" (the step exits with the deployed `exitCode`, the kubelet retries it with
 * growing back-off, which `backOffEvents` counts (reason BackOff), the main container never started)
 * or "fixed" (the step completed after the learner created the ConfigMap `fixConfigMap`, and the main
 * container runs). A step failing with another exit code fails for another reason than the lesson's.
 */
export function judgeFailingInit(
    pod: V1Pod | undefined,
    podName: string,
    deployed: Pick<FailingInitSettings, "exitCode" | "fixConfigMap">,
    backOffEvents = 0,
): LessonVerdict {
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
            `Pod ${podName}: the init step "${FAILING_INIT_STEP}" found ConfigMap ${deployed.fixConfigMap} and completed ` +
                `after ${plural(restarts, "failed run")}, and the main container started at ${clock(started)}: ` +
                "the fix worked, the same Pod went on.",
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
    const said = line ? ` ("${line}")` : "";
    if (failed.exitCode !== deployed.exitCode) {
        return fail(
            "wrong-exit-code",
            `Pod ${podName} is ${podStatusText(pod)}: the init step "${FAILING_INIT_STEP}" exited with code ` +
                `${failed.exitCode}, not its exitCode setting ${deployed.exitCode}${said}: it fails for another ` +
                `reason than the missing ConfigMap ${deployed.fixConfigMap}; its log (the lesson's logs command) says which.`,
        );
    }
    return pass(
        "failing",
        `Pod ${podName} is ${podStatusText(pod)}: the init step "${FAILING_INIT_STEP}" exited with code ` +
            `${failed.exitCode}, its exitCode setting${said}, ${plural(restarts, "restart")} so far` +
            // Between two retries the Pod shows Init:CrashLoopBackOff; the events keep the count.
            (backOffEvents > 0
                ? ` with the kubelet backing off ${plural(backOffEvents, "time")} (Init:CrashLoopBackOff)`
                : "") +
            ", and the main " +
            "container never started. That is the lesson: an init step must complete. " +
            `Create ConfigMap ${deployed.fixConfigMap} (the lesson's \`fix\` command) to fix it.`,
    );
}
