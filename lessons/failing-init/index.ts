import { LessonDefinition } from "../shared/lesson";
import { FailingInitLesson } from "./component";
import { failingInitCheck } from "./read";
import { FAILING_INIT_POD, FAILING_INIT_SETTINGS } from "./spec";

/** Lesson failing-init (docs/lessons.md). */
export const failingInit: LessonDefinition<typeof FAILING_INIT_SETTINGS> = {
    title: "A failing init step: Init:Error, Init:CrashLoopBackOff, then fixed live",
    settings: FAILING_INIT_SETTINGS,
    create: (context, settings, opts) => new FailingInitLesson(FAILING_INIT_POD, { ...context, ...settings }, opts),
    check: failingInitCheck,
};
