import { LessonDefinition } from "../shared/lesson";
import { SidecarRestartLesson } from "./component";
import { sidecarRestartCheck } from "./read";
import { SIDECAR_RESTART_POD, SIDECAR_RESTART_SETTINGS } from "./spec";

/** Lesson sidecar-restart (docs/lessons.md). */
export const sidecarRestart: LessonDefinition<typeof SIDECAR_RESTART_SETTINGS> = {
    title: "A native sidecar that exits is restarted, even with restartPolicy Never; a classic one stays down",
    settings: SIDECAR_RESTART_SETTINGS,
    create: (context, settings, opts) =>
        new SidecarRestartLesson(SIDECAR_RESTART_POD, { ...context, ...settings }, opts),
    check: sidecarRestartCheck,
};
