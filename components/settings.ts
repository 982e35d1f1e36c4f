/**
 * A component's settings, each defined once: its type, default, check, a good example and a
 * description. The component resolves its arguments with them; the stack's config keys,
 * Pulumi.yaml's declarations and the README's table are derived from them (config.ts,
 * scripts/settings-docs.ts), so none of these can drift from what the component accepts.
 *
 * Adding a component's settings (e.g. a lesson):
 * 1. Beside the component, export `X_SETTINGS = { arg: setting({ type, default | defaultText,
 *    example, description, check }) }`; `check(field, value, example)` throws an
 *    InvalidValueError (validation.ts has the usual ones). Resolve each argument with
 *    `resolveSetting(X_SETTINGS.arg, "arg", args.arg)`, inside `checkArgs(...)` called BEFORE
 *    `super(...)` (inputs.ts; a Pod component or lesson: `checkDemoPodArgs`, demoPod.ts), so a bad
 *    argument registers nothing.
 * 2. Add the table to tests/settings.test.ts (TABLES and BAD: bad values for every setting).
 * 3. For a stack config key, add `key: X_SETTINGS.arg` (or `configKey(X_SETTINGS.arg, {...})`
 *    where the stack's default or wording differs) to CONFIG_KEYS in config.ts, read it in
 *    parseLabConfig, and run `npm run docs:settings` (Pulumi.yaml and README are rewritten).
 */

/** How the value is written in stack config (`pulumi config set` takes text; Pulumi.yaml declares this type). */
export type SettingType = "string" | "integer" | "boolean";

export interface Setting<T> {
    type: SettingType;
    /** The value when none is given. Undefined: derived from other values, as {@link defaultText} says. */
    default?: T;
    /** How a derived default is found, e.g. "the component's name"; shown in the docs instead of {@link default}. */
    defaultText?: string;
    /** A good value, shown in every error about this setting. */
    example: string;
    /** What the setting does, one sentence. */
    description: string;
    /**
     * Returns the value, narrowed, or throws an InvalidValueError naming `field`, the bad value and
     * `example`. Receives the value as it is (config text is converted to {@link type} first).
     */
    check: (field: string, value: unknown, example: string) => T;
}

/** A component's table: one {@link Setting} per argument it takes. */
export type SettingsTable = Record<string, Setting<unknown>>;

/**
 * Declares one setting; the identity, so the table keeps each setting's value type, and a given
 * default stays known to be there (`X_SETTINGS.port.default` is a number, not `number | undefined`).
 */
export function setting<T>(spec: Setting<T> & { default: T }): Setting<T> & { default: T };
export function setting<T>(spec: Setting<T>): Setting<T>;
export function setting<T>(spec: Setting<T>): Setting<T> {
    return spec;
}

/**
 * Checks one argument: the given value, else the setting's default, else `derived` (a default
 * that depends on something else, such as the component's name).
 */
export function resolveSetting<T>(spec: Setting<T>, field: string, value: unknown, derived?: T): T {
    return spec.check(field, value ?? spec.default ?? derived, spec.example);
}

/** The default as the docs show it: {@link Setting.defaultText}, else the value. */
export function defaultShown(spec: Setting<unknown>): string {
    if (spec.defaultText !== undefined) return spec.defaultText;
    return spec.default === undefined ? "none" : String(spec.default);
}
