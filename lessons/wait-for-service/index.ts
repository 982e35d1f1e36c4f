import { LessonDefinition } from "../shared/lesson";
import { WaitForServiceLesson } from "./component";
import { waitForServiceCheck } from "./read";
import { WAIT_FOR_SERVICE_SETTINGS, WAIT_POD } from "./spec";

/** Lesson wait-for-service (docs/lessons.md). */
export const waitForService: LessonDefinition<typeof WAIT_FOR_SERVICE_SETTINGS> = {
    title: "Wait for a dependency: Init:0/1 until a Service's DNS name resolves",
    settings: WAIT_FOR_SERVICE_SETTINGS,
    create: (context, settings, opts) => new WaitForServiceLesson(WAIT_POD, { ...context, ...settings }, opts),
    check: waitForServiceCheck,
};
