import { Setting, SettingsOf, SettingsTable, fromConfigText } from "../components/settings";
import { InvalidValueError, closestKey } from "../components/validation";
import { LESSONS, LESSON_NAMES, LessonName } from "./registry";

/**
 * The stack's `lessonSettings`: each lesson's own settings (its table, lessons/<name>/spec.ts),
 * keyed by lesson, e.g. `{"failing-init": {"exitCode": 3}}`, set with
 * `pulumi config set --path 'init-sidecar-lab:lessonSettings.failing-init.exitCode' 3`.
 * Each value is checked by its row, as every other setting is.
 */

/** What `lessonSettings` holds once checked: per lesson, the settings it gave (the rest take the table's defaults). */
export type LessonSettings = { [N in LessonName]?: Partial<SettingsOf<(typeof LESSONS)[N]["settings"]>> };

/** One bad part of `lessonSettings`: where (`failing-init.exitCode`), what is wrong, and a good path and value. */
export interface LessonSettingProblem {
    /** The dotted path inside `lessonSettings`; "" for the whole value. */
    path: string;
    value: unknown;
    /** What the value must be, as InvalidValueError's `rule`. */
    rule: string;
    /** A good setting to show: its path and value. */
    example: { path: string; value: string };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);

/** The first lesson's first setting: the example for a problem with no better one. */
function firstExample(): { path: string; value: string } {
    for (const name of LESSON_NAMES) {
        const [key, row] = Object.entries(LESSONS[name].settings)[0] ?? [];
        if (key && row) return { path: `${name}.${key}`, value: row.example };
    }
    return { path: "", value: "" };
}

/** An example for `lesson`: its first setting, else the first lesson's. */
function exampleOf(lesson: LessonName): { path: string; value: string } {
    const [key, row] = Object.entries(LESSONS[lesson].settings)[0] ?? [];
    return key && row ? { path: `${lesson}.${key}`, value: row.example } : firstExample();
}

/**
 * Checks `lessonSettings` (JSON text, as stack config has it, or an object from code) against the
 * lessons' tables: every problem at once, each with its path; `selected`: the lessons the stack
 * deploys (a setting of another lesson would do nothing, so it is a problem too).
 */
export function readLessonSettings(
    value: unknown,
    selected: readonly LessonName[],
): { settings: LessonSettings; problems: LessonSettingProblem[] } {
    const settings: Record<string, Record<string, unknown>> = {};
    const problems: LessonSettingProblem[] = [];
    const parsed = typeof value === "string" ? fromConfigText(value, "object") : value;
    if (parsed === undefined || parsed === "") return { settings, problems };
    if (!isObject(parsed)) {
        problems.push({
            path: "",
            value,
            rule: "an object keyed by lesson name, each an object of that lesson's settings",
            example: firstExample(),
        });
        return { settings, problems };
    }
    for (const [lesson, given] of Object.entries(parsed)) {
        if (!(LESSON_NAMES as string[]).includes(lesson)) {
            const meant = closestKey(lesson, LESSON_NAMES);
            problems.push({
                path: lesson,
                value: lesson,
                rule: `a lesson's name (${LESSON_NAMES.join(", ")})${meant ? `; did you mean "${meant}"?` : ""}`,
                example: meant ? exampleOf(meant as LessonName) : firstExample(),
            });
            continue;
        }
        const name = lesson as LessonName;
        const table: SettingsTable = LESSONS[name].settings;
        const keys = Object.keys(table);
        if (!selected.includes(name)) {
            problems.push({
                path: lesson,
                value: given,
                rule: `left out while the lesson is not deployed (add it to the lessons key: pulumi config set lessons ${[...selected, name].join(",")})`,
                example: exampleOf(name),
            });
            continue;
        }
        if (!isObject(given)) {
            problems.push({
                path: lesson,
                value: given,
                rule: `an object of the lesson's settings (${keys.join(", ")})`,
                example: exampleOf(name),
            });
            continue;
        }
        const checked: Record<string, unknown> = {};
        for (const [key, raw] of Object.entries(given)) {
            const row: Setting<unknown> | undefined = table[key];
            if (!row) {
                const meant = closestKey(key, keys);
                problems.push({
                    path: `${lesson}.${key}`,
                    value: key,
                    rule: `a setting of lesson ${lesson} (${keys.join(", ")})${meant ? `; did you mean "${meant}"?` : ""}`,
                    example: meant ? { path: `${lesson}.${meant}`, value: table[meant].example } : exampleOf(name),
                });
                continue;
            }
            const path = `${lesson}.${key}`;
            try {
                // Structured config keeps numbers and booleans typed; text is converted as for any key.
                const typedValue = typeof raw === "string" ? fromConfigText(raw, row.type) : raw;
                checked[key] = row.check(path, typedValue, row.example);
            } catch (err) {
                if (!(err instanceof InvalidValueError)) throw err;
                problems.push({ path, value: raw, rule: err.rule, example: { path, value: err.example } });
            }
        }
        settings[lesson] = checked;
    }
    return { settings: settings as LessonSettings, problems };
}
