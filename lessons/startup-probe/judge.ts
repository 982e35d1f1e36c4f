import type { V1Pod } from "@kubernetes/client-node";
import { clock, describeState } from "../../verify/model";
import {
    Finding,
    LessonVerdict,
    fail,
    isNativeSidecar,
    missing,
    pass,
    seconds,
    startedAt,
    statusOf,
    trueSince,
} from "../shared/judge";
import { APP, READINESS_POD, SIDECAR, STARTUP_POD } from "./spec";

/** The API server keeps whole seconds: two instants a second apart may be the same event. */
const ROUNDING_MS = 1000;

/** What both Pods have in common: the sidecar is a native one, and it started. */
function sidecarStart(pod: V1Pod, name: string): { at: number } | Finding {
    const sidecar = statusOf(pod, SIDECAR);
    if (!isNativeSidecar(pod, SIDECAR)) {
        return {
            ok: false,
            transient: false,
            text: `in Pod ${name} the sidecar is a plain init container: this cluster does not support native sidecars (Kubernetes 1.29+)`,
        };
    }
    const at = startedAt(sidecar);
    if (at === undefined) {
        return {
            ok: false,
            transient: true,
            text: `in Pod ${name} the sidecar is ${describeState(sidecar?.state)}`,
        };
    }
    return { at };
}

/** With a startupProbe: the app starts only once the probe passed, a warm-up after the sidecar. */
function startupFinding(pod: V1Pod, warmUpSeconds: number, now: number): Finding {
    const sidecar = sidecarStart(pod, STARTUP_POD);
    if (!("at" in sidecar)) return sidecar;
    const app = startedAt(statusOf(pod, APP));
    if (app === undefined) {
        return {
            ok: false,
            transient: true,
            text: statusOf(pod, SIDECAR)?.started
                ? `in Pod ${STARTUP_POD} the sidecar's startupProbe passed and the app is starting`
                : `in Pod ${STARTUP_POD} the sidecar is warming up (${seconds(now - sidecar.at)} so far) and the app waits for its startupProbe`,
        };
    }
    const waited = app - sidecar.at;
    if (waited + ROUNDING_MS < warmUpSeconds * 1000) {
        return {
            ok: false,
            transient: false,
            text:
                `in Pod ${STARTUP_POD} the app started ${seconds(waited)} after the sidecar, before its ${warmUpSeconds} s warm-up ended: ` +
                "the startupProbe did not hold it back",
        };
    }
    const passed = trueSince(pod, "Initialized");
    return {
        ok: true,
        text:
            `Pod ${STARTUP_POD}: the sidecar started at ${clock(sidecar.at)}; its startupProbe passed at ${clock(passed)} ` +
            `(the Pod turned Initialized), and only then did the app start, at ${clock(app)}, ${seconds(waited)} after the sidecar.`,
    };
}

/** With a readinessProbe only: the app starts at once, long before the sidecar is ready. */
function readinessFinding(pod: V1Pod): Finding {
    const sidecar = sidecarStart(pod, READINESS_POD);
    if (!("at" in sidecar)) return sidecar;
    const app = startedAt(statusOf(pod, APP));
    const ready = trueSince(pod, "Ready");
    if (app === undefined) {
        return { ok: false, transient: true, text: `in Pod ${READINESS_POD} the app is starting` };
    }
    if (ready === undefined) {
        return {
            ok: false,
            transient: true,
            text: `in Pod ${READINESS_POD} the app started at ${clock(app)} and the sidecar is still warming up (not ready)`,
        };
    }
    if (app + ROUNDING_MS >= ready) {
        return {
            ok: false,
            transient: false,
            text:
                `in Pod ${READINESS_POD} the app started at ${clock(app)}, only once the sidecar was ready (${clock(ready)}): ` +
                "a readinessProbe should not hold it back",
        };
    }
    return {
        ok: true,
        text:
            `Pod ${READINESS_POD}: the sidecar started at ${clock(sidecar.at)} and the app at once, at ${clock(app)}; ` +
            `the sidecar's readinessProbe passed only at ${clock(ready)} (the Pod turned Ready): ` +
            `the app ran ${seconds(ready - app)} beside a sidecar that was not ready.`,
    };
}

/**
 * startup-probe: "shown" once both Pods show it (the startupProbe held the app back for the
 * warm-up, the readinessProbe did not); "starting" while a sidecar warms up; "broken" when a Pod
 * shows the opposite.
 */
export function judgeStartupProbe(
    startup: V1Pod | undefined,
    readiness: V1Pod | undefined,
    warmUpSeconds: number,
    now: number,
): LessonVerdict {
    if (!startup) return missing("Pod", STARTUP_POD);
    if (!readiness) return missing("Pod", READINESS_POD);
    const findings = [startupFinding(startup, warmUpSeconds, now), readinessFinding(readiness)];
    if (findings.every((f) => f.ok)) {
        return pass(
            "shown",
            `${findings.map((f) => f.text).join(" ")} Only a sidecar's startupProbe holds the next container back.`,
        );
    }
    const problems = findings.filter((f) => !f.ok);
    const transient = problems.every((f) => !f.ok && f.transient);
    return fail(transient ? "starting" : "broken", `${problems.map((f) => f.text).join("; ")}.`);
}
