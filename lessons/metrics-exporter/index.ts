import { LessonDefinition } from "../shared/lesson";
import { MetricsExporterLesson } from "./component";
import { metricsExporterCheck } from "./read";
import { METRICS_EXPORTER_SETTINGS, METRICS_POD } from "./spec";

/** Lesson metrics-exporter (docs/lessons.md). */
export const metricsExporter: LessonDefinition<typeof METRICS_EXPORTER_SETTINGS> = {
    title: "Metrics exporter sidecar: the app's line count in Prometheus text format",
    settings: METRICS_EXPORTER_SETTINGS,
    create: (context, settings, opts) => new MetricsExporterLesson(METRICS_POD, { ...context, ...settings }, opts),
    check: metricsExporterCheck,
};
