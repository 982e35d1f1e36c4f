import * as pulumi from "@pulumi/pulumi";
import { setting } from "../components/settings";
import { InvalidValueError, closestKey } from "../components/validation";
import { LESSONS, LESSON_NAMES, LessonName } from "./registry";
import { LessonSettings, readLessonSettings } from "./settings";
import { Lesson, LessonContext, LessonDefinition } from "./shared/lesson";

export { LESSONS, LESSON_NAMES } from "./registry";
export type { LessonName } from "./registry";
export type { LessonSettings, LessonSettingProblem } from "./settings";
export { readLessonSettings } from "./settings";

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
    lessonSettings: setting<LessonSettings>({
        type: "object",
        default: {},
        defaultText: "none: every lesson's own defaults",
        example: '{"failing-init":{"exitCode":3}}',
        description:
            "Each lesson's own settings, by lesson (docs/lessons.md lists them), e.g. `pulumi config set --path 'lessonSettings.failing-init.exitCode' 3`.",
        // The stack checks it against the lessons it deploys (config.ts); alone, against every lesson.
        check: (field, value, example) => {
            const [problem] = readLessonSettings(value, LESSON_NAMES).problems;
            if (problem) {
                const rule = problem.path === "" ? problem.rule : `an object whose ${problem.path} is ${problem.rule}`;
                throw new InvalidValueError(field, value, rule, example);
            }
            return readLessonSettings(value, LESSON_NAMES).settings;
        },
    }),
};

/**
 * Creates the selected lessons, each with the demo Pods' namespace, provider and options, and its own
 * settings from `settings` (checked: {@link readLessonSettings}).
 */
export function createLessons(
    names: readonly LessonName[],
    context: LessonContext,
    settings: LessonSettings,
    opts: pulumi.ComponentResourceOptions,
): Partial<Record<LessonName, Lesson>> {
    return Object.fromEntries(
        names.map((name) => [name, (LESSONS[name] as LessonDefinition).create(context, settings[name] ?? {}, opts)]),
    );
}
