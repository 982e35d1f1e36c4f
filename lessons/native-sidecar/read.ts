import { LessonSpec, ObservedJob } from "../shared/reader";
import { judgeNativeSidecar } from "./judge";
import { CLASSIC_JOB, NATIVE_JOB } from "./spec";

/** What the judge reads: both Jobs and their Pods. */
export interface NativeSidecarInputs {
    classic: ObservedJob;
    native: ObservedJob;
}

/** The lesson as a verify check. */
export function nativeSidecarCheck(): LessonSpec<NativeSidecarInputs> {
    return {
        expected: ["shown"],
        // The classic app exits after its few lines; the native Job completes soon after.
        timeoutSeconds: 150,
        pods: [],
        read: async (live) => ({
            classic: await live.observeJob(CLASSIC_JOB),
            native: await live.observeJob(NATIVE_JOB),
        }),
        judge: (input, at) => judgeNativeSidecar(input.classic, input.native, at),
        hint: (namespace) =>
            `Look at the lesson's Jobs and their Pods: kubectl describe jobs ${CLASSIC_JOB} ${NATIVE_JOB} -n ${namespace}; ` +
            `kubectl get pods -l job-name -n ${namespace}`,
    };
}
