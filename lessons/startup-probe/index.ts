import { LessonDefinition } from "../shared/lesson";
import { StartupProbeLesson } from "./component";
import { startupProbeCheck } from "./read";
import { STARTUP_POD, STARTUP_PROBE_SETTINGS } from "./spec";

/** Lesson startup-probe (docs/lessons.md). */
export const startupProbe: LessonDefinition<typeof STARTUP_PROBE_SETTINGS> = {
    title: "Only a native sidecar's startupProbe holds the app back; a readinessProbe does not",
    settings: STARTUP_PROBE_SETTINGS,
    create: (context, settings, opts) => new StartupProbeLesson(STARTUP_POD, { ...context, ...settings }, opts),
    check: startupProbeCheck,
};
