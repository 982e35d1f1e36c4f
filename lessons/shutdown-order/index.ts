import { LessonDefinition } from "../shared/lesson";
import { ShutdownOrderLesson } from "./component";
import { shutdownOrderCheck } from "./read";
import { SHUTDOWN_ORDER, SHUTDOWN_ORDER_SETTINGS } from "./spec";

/** Lesson shutdown-order (docs/lessons.md). */
export const shutdownOrder: LessonDefinition<typeof SHUTDOWN_ORDER_SETTINGS> = {
    title: "On shutdown the app stops first, then the native sidecars in reverse order; a classic one stops with the app",
    settings: SHUTDOWN_ORDER_SETTINGS,
    create: (context, settings, opts) => new ShutdownOrderLesson(SHUTDOWN_ORDER, { ...context, ...settings }, opts),
    check: shutdownOrderCheck,
};
