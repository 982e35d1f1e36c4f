import { LessonDefinition } from "../shared/lesson";
import { StageFilesLesson } from "./component";
import { stageFilesCheck } from "./read";
import { STAGE_FILES_SETTINGS, STAGE_POD } from "./spec";

/** Lesson stage-files (docs/lessons.md). */
export const stageFiles: LessonDefinition = {
    title: "Stage files: an init step writes a page into an emptyDir, httpd serves it",
    settings: STAGE_FILES_SETTINGS,
    create: (context, opts) => new StageFilesLesson(STAGE_POD, context, opts),
    check: stageFilesCheck,
};
