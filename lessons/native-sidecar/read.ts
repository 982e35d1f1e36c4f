import { LessonSpec, ObservedJob } from "../shared/reader";
import { judgeNativeSidecar } from "./judge";
import { NATIVE_SIDECAR_SETTINGS } from "./spec";
import { SettingsOf } from "../../components/settings";

/** What the judge reads: both Jobs and their Pods. */
export interface NativeSidecarInputs {
    classic: ObservedJob;
    native: ObservedJob;
}

/** The lesson as a verify check. */
export function nativeSidecarCheck(
    _now: () => number,
    settings: SettingsOf<typeof NATIVE_SIDECAR_SETTINGS>,
): LessonSpec<NativeSidecarInputs> {
    const { classicJobName, nativeJobName, lines, intervalSeconds } = settings;
    return {
        expected: ["shown"],
        // The classic app exits after its few lines; the native Job completes soon after.
        timeoutSeconds: 140 + 2 * lines * intervalSeconds,
        pods: [],
        read: async (live) => ({
            classic: await live.observeJob(classicJobName),
            native: await live.observeJob(nativeJobName),
        }),
        judge: (input, at) => judgeNativeSidecar(input.classic, input.native, at),
        hint: (namespace) =>
            `Look at the lesson's Jobs and their Pods: kubectl describe jobs ${classicJobName} ${nativeJobName} -n ${namespace}; ` +
            `kubectl get pods -l job-name -n ${namespace}`,
    };
}
