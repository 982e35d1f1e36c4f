import { LessonDefinition } from "../shared/lesson";
import { StageFilesLesson } from "./component";
import { stageFilesCheck } from "./read";
import { STAGE_FILES_SETTINGS, STAGE_POD } from "./spec";

/** Lesson stage-files (docs/lessons.md). */
export const stageFiles: LessonDefinition<typeof STAGE_FILES_SETTINGS> = {
    title: "Stage files: an init step writes a page into an emptyDir, httpd serves it",
    settings: STAGE_FILES_SETTINGS,
    create: (context, settings, opts) => new StageFilesLesson(STAGE_POD, { ...context, ...settings }, opts),
    check: stageFilesCheck,
};
