import * as pulumi from "@pulumi/pulumi";
import { PodLesson } from "../shared/podLesson";
import { stageFilesCommands } from "./commands";
import { STAGE_POD, StageFilesLessonArgs, StageFilesSettings, renderStageFiles } from "./spec";

/** The lesson and its Pod: an init step stages a page, httpd serves it. Pass the provider in `opts`. */
export class StageFilesLesson extends PodLesson<StageFilesLessonArgs, StageFilesSettings> {
    constructor(name: string = STAGE_POD, args: StageFilesLessonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super(
            "initsidecarlab:lessons:StageFiles",
            name,
            args,
            {
                component: "lesson-stage-files",
                render: (plain) => renderStageFiles(name, plain),
                extraCommands: stageFilesCommands,
            },
            opts,
        );
    }
}
