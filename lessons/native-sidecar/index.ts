import { LessonDefinition } from "../shared/lesson";
import { NativeSidecarLesson } from "./component";
import { nativeSidecarCheck } from "./read";
import { NATIVE_JOB, NATIVE_SIDECAR_SETTINGS } from "./spec";

/** Lesson native-sidecar (docs/lessons.md). */
export const nativeSidecar: LessonDefinition<typeof NATIVE_SIDECAR_SETTINGS> = {
    title: "What native sidecars change: a Job completes with a native sidecar, never with a classic one",
    settings: NATIVE_SIDECAR_SETTINGS,
    create: (context, settings, opts) => new NativeSidecarLesson(NATIVE_JOB, { ...context, ...settings }, opts),
    check: nativeSidecarCheck,
};
