import { LessonDefinition } from "../shared/lesson";
import { LogAdapterLesson } from "./component";
import { logAdapterCheck } from "./read";
import { ADAPTER_POD, LOG_ADAPTER_SETTINGS } from "./spec";

/** Lesson log-adapter (docs/lessons.md). */
export const logAdapter: LessonDefinition<typeof LOG_ADAPTER_SETTINGS> = {
    title: "Log adapter sidecar: the app's lines rewritten as JSON with a timestamp",
    settings: LOG_ADAPTER_SETTINGS,
    create: (context, settings, opts) => new LogAdapterLesson(ADAPTER_POD, { ...context, ...settings }, opts),
    check: logAdapterCheck,
};
