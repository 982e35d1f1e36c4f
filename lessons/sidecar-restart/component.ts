import * as pulumi from "@pulumi/pulumi";
import { PodLesson } from "../shared/podLesson";
import { sidecarRestartAnnouncement, sidecarRestartCommands } from "./commands";
import { SIDECAR_RESTART_POD, SidecarRestartLessonArgs, SidecarRestartSettings, renderSidecarRestart } from "./spec";

/**
 * The lesson and its Pod (restartPolicy Never): a native and a classic sidecar that exit after a
 * while, beside an app that runs on. `pulumi up` does not wait for it (once the classic sidecar
 * exited, it is never Ready again). Pass the provider in `opts`.
 */
export class SidecarRestartLesson extends PodLesson<SidecarRestartLessonArgs, SidecarRestartSettings> {
    constructor(
        name: string = SIDECAR_RESTART_POD,
        args: SidecarRestartLessonArgs = {},
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(
            "initsidecarlab:lessons:SidecarRestart",
            name,
            args,
            {
                component: "lesson-sidecar-restart",
                render: (plain) => renderSidecarRestart(name, plain),
                extraCommands: (target, podName) => sidecarRestartCommands(target, podName),
                announce: sidecarRestartAnnouncement,
            },
            opts,
        );
    }
}
