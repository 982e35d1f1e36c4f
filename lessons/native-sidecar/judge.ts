import type { V1Job } from "@kubernetes/client-node";
import { time as millis, clock, describeState } from "../../verify/model";
import {
    Finding,
    LessonVerdict,
    everStarted,
    fail,
    isNativeSidecar,
    missing,
    pass,
    seconds,
    startedAt,
    statusOf,
} from "../shared/judge";
import { ObservedJob } from "../shared/reader";
import { NATIVE_APP_CONTAINER, NATIVE_SIDECAR_CONTAINER } from "./spec";

function jobCondition(job: V1Job | undefined, type: string): boolean {
    return job?.status?.conditions?.some((c) => c.type === type && c.status === "True") ?? false;
}

/** The classic Job: the app exited 0, the sidecar keeps the Pod running, so the Job is not complete. */
function classicFinding(observed: ObservedJob, now: number): Finding {
    const { name, job } = observed;
    const pod = observed.pods.at(-1);
    if (!job) return { ok: false, transient: false, text: `Job ${name} does not exist` };
    if (jobCondition(job, "Complete")) {
        return {
            ok: false,
            transient: false,
            text: `Job ${name} completed, although its classic sidecar should keep it running`,
        };
    }
    const app = pod && statusOf(pod, NATIVE_APP_CONTAINER);
    const sidecar = pod && statusOf(pod, NATIVE_SIDECAR_CONTAINER);
    const exited = app?.state?.terminated;
    if (!exited) {
        return {
            ok: false,
            transient: true,
            text: `in Job ${name} the app is ${describeState(app?.state)}; it exits after its few lines`,
        };
    }
    if (exited.exitCode !== 0) {
        return { ok: false, transient: false, text: `in Job ${name} the app failed with exit code ${exited.exitCode}` };
    }
    if (!sidecar?.state?.running) {
        return {
            ok: false,
            transient: false,
            text: `in Job ${name} the classic sidecar is ${describeState(sidecar?.state)}, not running`,
        };
    }
    const since = millis(exited.finishedAt);
    return {
        ok: true,
        text:
            `Classic: the app and the sidecar started together (${seconds(Math.abs((startedAt(app) ?? 0) - (startedAt(sidecar) ?? 0)))} apart); ` +
            `the app exited 0 at ${clock(exited.finishedAt)}, but the sidecar still runs, so Job ${name} is not complete` +
            (since === undefined ? "" : ` ${seconds(now - since)} later`) +
            " and never will be.",
    };
}

/** The native Job: the sidecar ran before the app, was stopped after it, and the Job completed. */
function nativeFinding(observed: ObservedJob): Finding {
    const { name, job } = observed;
    const pod = observed.pods.at(-1);
    if (!job) return { ok: false, transient: false, text: `Job ${name} does not exist` };
    if (jobCondition(job, "Failed")) return { ok: false, transient: false, text: `Job ${name} failed` };
    const app = pod && statusOf(pod, NATIVE_APP_CONTAINER);
    const sidecar = pod && statusOf(pod, NATIVE_SIDECAR_CONTAINER);
    if (!jobCondition(job, "Complete")) {
        const stuck =
            sidecar?.state?.running && !everStarted(app) && pod && !isNativeSidecar(pod, NATIVE_SIDECAR_CONTAINER);
        return {
            ok: false,
            transient: !stuck,
            text: stuck
                ? `in Job ${name} the sidecar runs as a plain init container and the app never starts: this cluster does not support native sidecars (Kubernetes 1.29+)`
                : `Job ${name} is not complete yet (the app is ${describeState(app?.state)})`,
        };
    }
    const sidecarStart = startedAt(sidecar);
    const appStart = startedAt(app);
    const appEnd = millis(app?.state?.terminated?.finishedAt);
    const sidecarEnd = millis(sidecar?.state?.terminated?.finishedAt);
    if (sidecarStart === undefined || appStart === undefined || appEnd === undefined) {
        return {
            ok: false,
            transient: false,
            text: `Job ${name} completed, but its Pod's container timestamps are missing`,
        };
    }
    if (sidecarStart > appStart) {
        return { ok: false, transient: false, text: `in Job ${name} the app started before the native sidecar` };
    }
    const stopped =
        sidecarEnd === undefined
            ? "the sidecar was stopped after it"
            : sidecarEnd >= appEnd
              ? `the sidecar was stopped after it, at ${clock(sidecarEnd)}`
              : undefined;
    if (stopped === undefined) {
        return { ok: false, transient: false, text: `in Job ${name} the native sidecar stopped before the app exited` };
    }
    return {
        ok: true,
        text:
            `Native: the sidecar started at ${clock(sidecarStart)}, ${seconds(appStart - sidecarStart)} before the app; ` +
            `the app exited at ${clock(appEnd)}, ${stopped}, and Job ${name} completed at ${clock(job.status?.completionTime)}.`,
    };
}

/**
 * native-sidecar: "shown" when both Jobs show the difference (classic: never completes;
 * native: sidecar first, stopped after the app, Job complete); "running" while a Job's app
 * still writes its lines.
 */
export function judgeNativeSidecar(classic: ObservedJob, native: ObservedJob, now: number): LessonVerdict {
    const findings = [classicFinding(classic, now), nativeFinding(native)];
    const text = findings.map((f) => f.text).join(" ");
    if (findings.every((f) => f.ok)) return pass("shown", text);
    const missingJob = [classic, native].find((o) => !o.job);
    if (missingJob) return missing("Job", missingJob.name);
    const problems = findings.filter((f) => !f.ok);
    const transient = problems.every((f) => !f.ok && f.transient);
    return fail(transient ? "running" : "broken", problems.map((f) => f.text).join("; ") + ".");
}
