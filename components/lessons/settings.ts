import { InvalidValueError } from "../validation";

/**
 * One row of a lesson's settings table: everything the lab says about a setting, in one place,
 * so config keys, docs and validation can all be derived from it.
 */
export interface LessonSetting<T> {
    default: T;
    /** Returns the value, narrowed, or throws an InvalidValueError naming `field`. */
    check: (field: string, value: unknown) => T;
    /** A good value, as a learner would type it. */
    example: string;
    description: string;
}

export type LessonSettingsTable = Record<string, LessonSetting<unknown>>;

/** The plain settings a table describes. */
export type SettingsOf<T extends LessonSettingsTable> = {
    [K in keyof T]: T[K] extends LessonSetting<infer V> ? V : never;
};

/** Fills in each default and checks each given value against its row. */
export function resolveLessonSettings<T extends LessonSettingsTable>(
    table: T,
    args: { [K in keyof T]?: unknown },
): SettingsOf<T> {
    const settings: Record<string, unknown> = {};
    for (const [key, row] of Object.entries(table)) {
        const given = args[key];
        settings[key] = given === undefined ? row.default : row.check(key, given);
    }
    return settings as SettingsOf<T>;
}

/** Two settings that name objects in one namespace must differ. */
export function distinctNames(names: Record<string, string>): void {
    const seen = new Map<string, string>();
    for (const [field, name] of Object.entries(names)) {
        const earlier = seen.get(name);
        if (earlier !== undefined) {
            throw new InvalidValueError(field, name, `different from ${earlier}`, `"${name}-2"`);
        }
        seen.set(name, field);
    }
}
