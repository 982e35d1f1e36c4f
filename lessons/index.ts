import * as pulumi from "@pulumi/pulumi";
import { setting } from "../components/settings";
import { InvalidValueError, closestKey } from "../components/validation";
import { failingInit } from "./failing-init";
import { logAdapter } from "./log-adapter";
import { metricsExporter } from "./metrics-exporter";
import { nativeSidecar } from "./native-sidecar";
import { Lesson, LessonContext, LessonDefinition } from "./shared/lesson";
import { stageFiles } from "./stage-files";
import { waitForService } from "./wait-for-service";

/**
 * The lessons beyond the guide's two Pods, by the name the `lessons` config key uses.
 * Each is opt-in; the order here is the order they are deployed, exported and verified.
 */
export const LESSONS = {
    // One line a lesson: its name, and its definition (lessons/<name>/index.ts).
    "failing-init": failingInit,
    "wait-for-service": waitForService,
    "stage-files": stageFiles,
    "log-adapter": logAdapter,
    "metrics-exporter": metricsExporter,
    "native-sidecar": nativeSidecar,
} as const satisfies Record<string, LessonDefinition>;

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
