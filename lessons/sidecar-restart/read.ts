import type { V1Pod } from "@kubernetes/client-node";
import { SettingsOf } from "../../components/settings";
import { LessonSpec } from "../shared/reader";
import { judgeSidecarRestart } from "./judge";
import { SIDECAR_RESTART_POD, SIDECAR_RESTART_SETTINGS } from "./spec";

/** The lesson as a verify check: it reads the Pod. */
export function sidecarRestartCheck(
    _now: () => number,
    settings: SettingsOf<typeof SIDECAR_RESTART_SETTINGS>,
): LessonSpec<V1Pod | undefined> {
    return {
        expected: ["restarted"],
        // The image pulled, the sidecar's run, then the kubelet's back-off (10 s at first) before its restart.
        timeoutSeconds: 140 + 2 * settings.exitAfterSeconds,
        pods: [SIDECAR_RESTART_POD],
        read: (live) => live.pod(SIDECAR_RESTART_POD),
        judge: (pod, at) => judgeSidecarRestart(pod, SIDECAR_RESTART_POD, at),
    };
}
