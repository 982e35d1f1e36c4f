import * as pulumi from "@pulumi/pulumi";
import { PodLesson } from "../shared/podLesson";
import { waitForServiceAnnouncement, waitForServiceCommands } from "./commands";
import { WAIT_POD, WaitForServiceLessonArgs, WaitForServiceSettings, renderWaitForService } from "./spec";

/**
 * The lesson and its Pod: an init step that waits for a Service's DNS name. `pulumi up` does
 * not wait for it. Pass the provider in `opts`.
 */
export class WaitForServiceLesson extends PodLesson<WaitForServiceLessonArgs, WaitForServiceSettings> {
    constructor(name: string = WAIT_POD, args: WaitForServiceLessonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super(
            "initsidecarlab:lessons:WaitForService",
            name,
            args,
            {
                component: "lesson-wait-for-service",
                render: (plain) => renderWaitForService(name, plain),
                extraCommands: (target, _podName, settings) => waitForServiceCommands(target, settings),
                announce: waitForServiceAnnouncement,
            },
            opts,
        );
    }
}
