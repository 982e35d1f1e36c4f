import { failingInit } from "./failing-init";
import { logAdapter } from "./log-adapter";
import { metricsExporter } from "./metrics-exporter";
import { nativeSidecar } from "./native-sidecar";
import { podRequests } from "./pod-requests";
import { LessonDefinition } from "./shared/lesson";
import { shutdownOrder } from "./shutdown-order";
import { sidecarRestart } from "./sidecar-restart";
import { stageFiles } from "./stage-files";
import { startupProbe } from "./startup-probe";
import { waitForService } from "./wait-for-service";

/**
 * The lessons beyond the guide's two Pods, by the name the `lessons` config key uses.
 * Each is opt-in; the order here is the order they are deployed, exported and verified.
 */
export const LESSONS = {
    // One line a lesson: its name, and its definition (lessons/<name>/index.ts).
    "failing-init": failingInit,
    "wait-for-service": waitForService,
    "stage-files": stageFiles,
    "log-adapter": logAdapter,
    "metrics-exporter": metricsExporter,
    "native-sidecar": nativeSidecar,
    "startup-probe": startupProbe,
    "shutdown-order": shutdownOrder,
    "sidecar-restart": sidecarRestart,
    "pod-requests": podRequests,
} as const satisfies Record<string, LessonDefinition>;

export type LessonName = keyof typeof LESSONS;
export const LESSON_NAMES = Object.keys(LESSONS) as LessonName[];
