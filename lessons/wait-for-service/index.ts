import { LessonDefinition } from "../shared/lesson";
import { WaitForServiceLesson } from "./component";
import { waitForServiceCheck } from "./read";
import { WAIT_FOR_SERVICE_SETTINGS, WAIT_POD } from "./spec";

/** Lesson wait-for-service (docs/lessons.md). */
export const waitForService: LessonDefinition = {
    title: "Wait for a dependency: Init:0/1 until a Service's DNS name resolves",
    settings: WAIT_FOR_SERVICE_SETTINGS,
    create: (context, opts) => new WaitForServiceLesson(WAIT_POD, context, opts),
    check: waitForServiceCheck,
};
