import { LessonDefinition } from "../shared/lesson";
import { PodRequestsLesson } from "./component";
import { podRequestsCheck } from "./read";
import { POD_REQUESTS_SETTINGS, QUOTA } from "./spec";

/** Lesson pod-requests (docs/lessons.md). */
export const podRequests: LessonDefinition<typeof POD_REQUESTS_SETTINGS> = {
    title: "A Pod reserves its effective request: a native sidecar adds to the init steps after it, a classic one does not",
    settings: POD_REQUESTS_SETTINGS,
    create: (context, settings, opts) => new PodRequestsLesson(QUOTA, { ...context, ...settings }, opts),
    check: podRequestsCheck,
};
