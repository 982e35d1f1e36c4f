import { failingInit } from "./failing-init";
import { logAdapter } from "./log-adapter";
import { metricsExporter } from "./metrics-exporter";
import { nativeSidecar } from "./native-sidecar";
import { LessonDefinition } from "./shared/lesson";
import { stageFiles } from "./stage-files";
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
} as const satisfies Record<string, LessonDefinition>;

export type LessonName = keyof typeof LESSONS;
export const LESSON_NAMES = Object.keys(LESSONS) as LessonName[];
