import * as pulumi from "@pulumi/pulumi";
import { PodLesson } from "../shared/podLesson";
import { ADAPTER_POD, LogAdapterLessonArgs, LogAdapterSettings, renderLogAdapter } from "./spec";

/** The lesson and its Pod: the app and its JSON log adapter. Pass the provider in `opts`. */
export class LogAdapterLesson extends PodLesson<LogAdapterLessonArgs, LogAdapterSettings> {
    constructor(name: string = ADAPTER_POD, args: LogAdapterLessonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super(
            "initsidecarlab:lessons:LogAdapter",
            name,
            args,
            {
                component: "lesson-log-adapter",
                render: (plain) => renderLogAdapter(name, plain),
                // watch, describe and the two log commands say it all: the sidecar's log is the lesson.
                extraCommands: () => ({}),
            },
            opts,
        );
    }
}
