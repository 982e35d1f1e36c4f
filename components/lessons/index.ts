import * as pulumi from "@pulumi/pulumi";
import { DemoPodArgs } from "../demoPod";
import { setting } from "../settings";
import { InvalidValueError, closestKey } from "../validation";
import { FAILING_INIT_POD, FailingInitLesson } from "./failingInit";
import { LessonCommands } from "./lessonPod";
import { NATIVE_JOB, NativeSidecarLesson } from "./nativeSidecar";
import { WAIT_POD, WaitForServiceLesson } from "./waitForService";
import { STAGE_POD, StageFilesLesson } from "./stageFiles";
import { ADAPTER_POD, LogAdapterLesson } from "./logAdapter";
import { METRICS_POD, MetricsExporterLesson } from "./metricsExporter";

/** What every lesson gets from the stack: the same namespace, image and await settings as the demo Pods. */
export type LessonContext = Omit<DemoPodArgs, "podName">;

/** A deployed lesson, as the stack sees it: the commands it exports. */
export interface Lesson {
    readonly commands: pulumi.Output<LessonCommands>;
}

interface LessonEntry {
    /** One line: what the lesson shows. */
    title: string;
    create: (context: LessonContext, opts: pulumi.ComponentResourceOptions) => Lesson;
}

/**
 * The lessons beyond the guide's two Pods, by the name the `lessons` config key uses.
 * Each is opt-in; the order here is the order they are deployed, exported and verified.
 */
export const LESSONS = {
    "failing-init": {
        title: "A failing init step: Init:Error, Init:CrashLoopBackOff, then fixed live",
        create: (context, opts) => new FailingInitLesson(FAILING_INIT_POD, context, opts),
    },
    "wait-for-service": {
        title: "Wait for a dependency: Init:0/1 until a Service's DNS name resolves",
        create: (context, opts) => new WaitForServiceLesson(WAIT_POD, context, opts),
    },
    "stage-files": {
        title: "Stage files: an init step writes a page into an emptyDir, httpd serves it",
        create: (context, opts) => new StageFilesLesson(STAGE_POD, context, opts),
    },
    "log-adapter": {
        title: "Log adapter sidecar: the app's lines rewritten as JSON with a timestamp",
        create: (context, opts) => new LogAdapterLesson(ADAPTER_POD, context, opts),
    },
    "metrics-exporter": {
        title: "Metrics exporter sidecar: the app's line count in Prometheus text format",
        create: (context, opts) => new MetricsExporterLesson(METRICS_POD, context, opts),
    },
    "native-sidecar": {
        title: "What native sidecars change: a Job completes with a native sidecar, never with a classic one",
        create: (context, opts) => new NativeSidecarLesson(NATIVE_JOB, context, opts),
    },
} as const satisfies Record<string, LessonEntry>;

export type LessonName = keyof typeof LESSONS;
export const LESSON_NAMES = Object.keys(LESSONS) as LessonName[];

const LESSONS_EXAMPLE = "failing-init,native-sidecar";

/**
 * The `lessons` setting: `""` (none, the default), `"all"`, or lesson names separated by
 * commas. Returns the names in registry order, each once.
 */
export function checkLessons(field: string, value: unknown, example = LESSONS_EXAMPLE): LessonName[] {
    const valid = `"all" or lesson names separated by commas, from: ${LESSON_NAMES.join(", ")}`;
    if (typeof value !== "string") throw new InvalidValueError(field, value, valid, example);
    const words = value
        .split(",")
        .map((w) => w.trim())
        .filter((w) => w !== "");
    if (words.includes("all")) return [...LESSON_NAMES];
    for (const word of words) {
        if (!(LESSON_NAMES as string[]).includes(word)) {
            const closest = closestKey(word, LESSON_NAMES);
            const meant = closest === undefined ? "" : `; did you mean "${closest}"?`;
            throw new InvalidValueError(
                field,
                value,
                `${valid} ("${word}" is not a lesson${meant})`,
                value === word && closest !== undefined ? closest : example,
            );
        }
    }
    return LESSON_NAMES.filter((name) => words.includes(name));
}

/** The stack's one lesson setting (config.ts reads it as the `lessons` key; the docs derive from it). */
export const LESSONS_SETTINGS = {
    lessons: setting<LessonName[]>({
        type: "string",
        default: [],
        defaultText: "none: the guide's two Pods alone",
        example: LESSONS_EXAMPLE,
        description: `Lessons beyond the guide's two Pods: \`all\` or names separated by commas (${LESSON_NAMES.join(", ")}); docs/lessons.md.`,
        // A list (the default, or names from code) is checked as the text it stands for.
        check: (field, value, example) => checkLessons(field, Array.isArray(value) ? value.join(",") : value, example),
    }),
};

/** Creates the selected lessons, each with the demo Pods' namespace, provider and options. */
export function createLessons(
    names: readonly LessonName[],
    context: LessonContext,
    opts: pulumi.ComponentResourceOptions,
): Partial<Record<LessonName, Lesson>> {
    return Object.fromEntries(names.map((name) => [name, LESSONS[name].create(context, opts)]));
}

export { FailingInitLesson } from "./failingInit";
export type { FailingInitLessonArgs } from "./failingInit";
export { WaitForServiceLesson } from "./waitForService";
export type { WaitForServiceLessonArgs } from "./waitForService";
export { StageFilesLesson } from "./stageFiles";
export type { StageFilesLessonArgs } from "./stageFiles";
export { LogAdapterLesson } from "./logAdapter";
export type { LogAdapterLessonArgs } from "./logAdapter";
export { MetricsExporterLesson } from "./metricsExporter";
export type { MetricsExporterLessonArgs } from "./metricsExporter";
export { NativeSidecarLesson } from "./nativeSidecar";
export type { NativeSidecarLessonArgs } from "./nativeSidecar";
export type { LessonCommands } from "./lessonPod";
