import * as pulumi from "@pulumi/pulumi";
import { PodLesson } from "../shared/podLesson";
import { metricsExporterCommands } from "./commands";
import { METRICS_POD, MetricsExporterLessonArgs, MetricsExporterSettings, renderMetricsExporter } from "./spec";

/** The lesson and its Pod: the app and its metrics exporter. Pass the provider in `opts`. */
export class MetricsExporterLesson extends PodLesson<MetricsExporterLessonArgs, MetricsExporterSettings> {
    constructor(
        name: string = METRICS_POD,
        args: MetricsExporterLessonArgs = {},
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(
            "initsidecarlab:lessons:MetricsExporter",
            name,
            args,
            {
                component: "lesson-metrics-exporter",
                render: (plain) => renderMetricsExporter(name, plain),
                extraCommands: metricsExporterCommands,
            },
            opts,
        );
    }
}
