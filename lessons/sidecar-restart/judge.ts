import type { V1Pod } from "@kubernetes/client-node";
// kubectl's READY/STATUS/RESTARTS, computed in the one place every reader uses.
import { kubectlLine } from "../../verify/podStatus";
import { clock, describeState } from "../../verify/model";
import { LessonVerdict, fail, isNativeSidecar, lastLine, missing, pass, plural, statusOf } from "../shared/judge";
import { APP, CLASSIC, NATIVE } from "./spec";

/**
 * sidecar-restart: "restarted" once the kubelet restarted the native sidecar at least once while
 * the classic one, which exited too, stays down and the app runs on, never restarted; "running"
 * before the native sidecar's first restart; "broken" when the Pod shows otherwise.
 */
export function judgeSidecarRestart(pod: V1Pod | undefined, podName: string, now: number): LessonVerdict {
    if (!pod) return missing("Pod", podName);
    const native = statusOf(pod, NATIVE);
    const classic = statusOf(pod, CLASSIC);
    const app = statusOf(pod, APP);
    const phase = pod.status?.phase;
    if (!isNativeSidecar(pod, NATIVE)) {
        return fail(
            "broken",
            `Pod ${podName}: "${NATIVE}" is a plain init container: this cluster does not support native sidecars (Kubernetes 1.29+).`,
        );
    }
    if (phase === "Failed" || phase === "Succeeded") {
        return fail("broken", `Pod ${podName} ended (phase ${phase}); its app should run on.`);
    }
    if ((app?.restartCount ?? 0) > 0 || (classic?.restartCount ?? 0) > 0) {
        return fail(
            "broken",
            `Pod ${podName}: the app restarted ${plural(app?.restartCount ?? 0, "time")} and the classic sidecar ` +
                `${plural(classic?.restartCount ?? 0, "time")}; with restartPolicy Never neither should.`,
        );
    }
    const nativeRestarts = native?.restartCount ?? 0;
    const classicEnd = classic?.state?.terminated;
    const appStart = app?.state?.running?.startedAt;
    if (nativeRestarts === 0 || !classicEnd || !appStart) {
        return fail(
            "running",
            `Pod ${podName}: the native sidecar is ${describeState(native?.state)} (${plural(nativeRestarts, "restart")}), ` +
                `the classic sidecar ${describeState(classic?.state)}, the app ${describeState(app?.state)}; ` +
                "the sidecars exit after a few seconds, and the kubelet restarts the native one after a back-off.",
        );
    }
    const nativeEnd = native?.lastState?.terminated ?? native?.state?.terminated;
    const line = kubectlLine(pod, now);
    const said = lastLine(classicEnd.message);
    return pass(
        "restarted",
        `Pod ${podName} (restartPolicy Never): the native sidecar exited with code ${nativeEnd?.exitCode ?? "?"} and the kubelet ` +
            `restarted it, ${plural(nativeRestarts, "time")} so far (last exit at ${clock(nativeEnd?.finishedAt)}); ` +
            `the classic sidecar exited with code ${classicEnd.exitCode} at ${clock(classicEnd.finishedAt)}` +
            `${said ? ` ("${said}")` : ""} and stays down; the app runs on since ${clock(appStart)}, never restarted. ` +
            `kubectl get pod shows READY ${line.ready}, STATUS ${line.status}, RESTARTS ${line.restartsText}: ` +
            "the native sidecar's restarts.",
    );
}
