import type * as pulumi from "@pulumi/pulumi";

/**
 * A component's settings, each defined once: its type, default, check, a good example and a
 * description. The component resolves its arguments with them; the stack's config keys,
 * Pulumi.yaml's declarations and the README's table are derived from them (config.ts,
 * scripts/settings-docs.ts), so none of these can drift from what the component accepts.
 *
 * Adding a setting is one row in a component's table plus the line that uses it: the component's
 * argument type ({@link ArgsOf}), its resolved type ({@link SettingsOf}) and its resolver
 * ({@link resolveSettings}) derive from the table; docs/development.md has the recipe.
 */

/**
 * How the value is written in stack config (`pulumi config set` takes text; Pulumi.yaml declares this
 * type). `object`: structured config (`pulumi config set --path`), read as JSON; Pulumi.yaml declares no type.
 */
export type SettingType = "string" | "integer" | "boolean" | "object";

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
    /**
     * The value names a container image: `pod` for an image the lab's containers run, `node` for
     * kind's node image. The lab's image list (lab/images.ts) is every such setting's value.
     */
    holdsImage?: "pod" | "node";
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

/** The type a setting checks its value into. */
export type SettingValue<S> = S extends Setting<infer T> ? T : never;

/**
 * A component's arguments, derived from its table: each optional (the table has its default), a
 * `pulumi.Input` of the setting's type. Go to a field's definition for its row: default, rule, description.
 */
export type ArgsOf<T extends SettingsTable> = { [K in keyof T]?: pulumi.Input<SettingValue<T[K]>> };

/** The same settings once resolved: each one there, checked. */
export type SettingsOf<T extends SettingsTable> = { [K in keyof T]: SettingValue<T[K]> };

/**
 * Resolves every setting of `table` from `args` (plain values), in the table's order: the given value,
 * else the default, else `derived`'s. Throws the first InvalidValueError, naming the field.
 */
export function resolveSettings<T extends SettingsTable>(
    table: T,
    args: { readonly [K in keyof T]?: unknown },
    derived: { readonly [K in keyof T]?: SettingValue<T[K]> } = {},
): SettingsOf<T> {
    const resolved: Partial<SettingsOf<T>> = {};
    for (const key of Object.keys(table) as (keyof T & string)[]) {
        resolved[key] = resolveSetting(table[key], key, args[key], derived[key]) as SettingValue<T[keyof T & string]>;
    }
    return resolved as SettingsOf<T>;
}

/** Config text as the setting's type: whole numbers, true/false, JSON objects; anything else stays text, for the check to refuse. */
export function fromConfigText(text: string, type: SettingType): unknown {
    const trimmed = text.trim();
    if (type === "integer" && /^-?\d+$/.test(trimmed)) return Number(trimmed);
    if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
    if (type === "object" && trimmed.startsWith("{")) {
        try {
            return JSON.parse(trimmed) as unknown;
        } catch {
            return text;
        }
    }
    return text;
}
