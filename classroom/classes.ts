import { InvalidValueError, toDnsLabel } from "../components/validation";

/**
 * A class: the name that keeps one instructor's students apart from another's on the same backend
 * and the same cluster. Each student's stack is `<class>-<student>`, so the kind cluster and the
 * namespace the program derives from it are `lab-<class>-<student>`, and the classroom tag on the
 * stack holds the class: `up --prune`, `destroy --all`, `status` and `verify` see only their class.
 * A class name has no "-", so `<class>-` is never the start of another class's stacks. Pure.
 */

export const DEFAULT_CLASS = "class";
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
    return `${className}-${student}`;
}

/** The student a stack of `className` belongs to; undefined when the stack is not named as that class's. */
export function studentOfStack(className: string, stack: string): string | undefined {
    const prefix = `${className}-`;
    return stack.startsWith(prefix) && stack.length > prefix.length ? stack.slice(prefix.length) : undefined;
}
