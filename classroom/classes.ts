import { InvalidValueError, toDnsLabel } from "../components/validation";

/**
 * A class: the name that keeps one instructor's students apart from another's on the same backend
 * and the same cluster. A named class's student stack is `<class>-<student>`, so the kind cluster
 * and the namespace the program derives from it are `lab-<class>-<student>`, and the classroom tag
 * on the stack holds the class: `up --prune`, `destroy --all`, `status` and `verify` see only their
 * class. Without --class, the default class names stacks after the student alone and tags them
 * "true", as the classroom did before classes existed, so a class made then carries on unchanged.
 * A class name has no "-", so `<class>-` is never the start of another class's stacks. Pure.
 */

/** No --class: stacks named after the student alone (`alice`, `lab-alice`). */
export const DEFAULT_CLASS = "";
/** The default class's tag value: what every classroom stack carried before classes existed. */
const DEFAULT_CLASS_TAG = "true";
export const CLASS_NAME_MAX = 12;

/** Returns the name or throws an {@link InvalidValueError} naming --class, the value and a valid example. */
export function checkClassName(value: string): string {
    if (!/^[a-z][a-z0-9]*$/.test(value) || value.length > CLASS_NAME_MAX) {
        const example = toDnsLabel(value)
            .replace(/-/g, "")
            .replace(/^[0-9]+/, "")
            .slice(0, CLASS_NAME_MAX);
        throw new InvalidValueError(
            "--class",
            value,
            `a class name: lowercase letters and digits, starting with a letter, at most ${CLASS_NAME_MAX} ` +
                `characters, no "-" (it separates the class from the student in "<class>-<student>")`,
            example === "" ? "period3" : example,
        );
    }
    return value;
}

/** The stack (and so `lab-<stack>`: the kind cluster and namespace) of a student of `className`. */
export function stackOf(className: string, student: string): string {
    return className === DEFAULT_CLASS ? student : `${className}-${student}`;
}

/** The value of the classroom tag on the stacks of `className`. */
export function classTag(className: string): string {
    return className === DEFAULT_CLASS ? DEFAULT_CLASS_TAG : className;
}

/** The class as messages name it: `class "period3"`, or `the default class`. */
export function classLabel(className: string): string {
    return className === DEFAULT_CLASS ? "the default class" : `class "${className}"`;
}

/** The `--class` flag that selects `className` again, for a command to paste ("" for the default class). */
export function classFlag(className: string): string {
    return className === DEFAULT_CLASS ? "" : ` --class ${className}`;
}

/**
 * The student a stack of `className` belongs to; undefined when the stack is not named as that
 * class's or carries another class's tag (`tag`: its classroom tag, when it has one).
 */
export function studentOfStack(className: string, stack: string, tag?: string): string | undefined {
    if (tag !== undefined && tag !== classTag(className)) return undefined;
    if (className === DEFAULT_CLASS) return stack;
    const prefix = `${className}-`;
    return stack.startsWith(prefix) && stack.length > prefix.length ? stack.slice(prefix.length) : undefined;
}
