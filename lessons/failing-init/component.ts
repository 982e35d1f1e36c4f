import * as pulumi from "@pulumi/pulumi";
import { PodLesson } from "../shared/podLesson";
import { failingInitAnnouncement, failingInitCommands } from "./commands";
import { FAILING_INIT_POD, FailingInitLessonArgs, FailingInitSettings, renderFailingInit } from "./spec";

/**
 * The lesson and its Pod: one init step that fails until the ConfigMap `fixConfigMap` exists.
 * `pulumi up` does not wait for it (it is not Ready until fixed). Pass the provider in `opts`.
 */
export class FailingInitLesson extends PodLesson<FailingInitLessonArgs, FailingInitSettings> {
    constructor(
        name: string = FAILING_INIT_POD,
        args: FailingInitLessonArgs = {},
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(
            "initsidecarlab:lessons:FailingInit",
            name,
            args,
            {
                component: "lesson-failing-init",
                render: (plain) => renderFailingInit(name, plain),
                extraCommands: (target, _podName, settings) => failingInitCommands(target, settings),
                announce: failingInitAnnouncement,
            },
            opts,
        );
    }
}
