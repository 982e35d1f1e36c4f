import { stackScopedName } from "../config";
import { InvalidValueError, KIND_CLUSTER_NAME_MAX, dnsLabel, problemList, toDnsLabel } from "../components/validation";
import { DEFAULT_CLASS, stackOf } from "./classes";

/**
 * The class list: from `--students a,b`, a `--roster` file or `--count N`.
 * Every name becomes a stack name (classes.ts: `<name>`, or `<class>-<name>` with --class), the
 * kind cluster `lab-<stack>` (topology cluster) and the namespace `lab-<stack>`, so
 * each must be a DNS-1123 label short enough that this is a kind cluster name the lab accepts.
 */

const PREFIX = "lab-";
/** `lab-<stack>` must fit the lab's kind cluster name limit (node containers are named after it). */
export function studentNameMax(className: string = DEFAULT_CLASS): number {
    return KIND_CLUSTER_NAME_MAX - PREFIX.length - stackOf(className, "").length;
}
/** The longest student name in the default class. */
export const STUDENT_NAME_MAX = studentNameMax();
export const COUNT_MAX = 999;

/**
 * Stack names a class must not take: `dev` is the lab's own stack (`npm run up`),
 * whose settings (Pulumi.dev.yaml) removing a student stack would delete.
 */
export const RESERVED_NAMES: readonly string[] = ["dev"];

/** Every bad name at once, each with where it came from and a name that would do. */
export class RosterError extends Error {
    constructor(readonly problems: string[]) {
        super(problemList("The class list", problems));
        this.name = "RosterError";
    }
}

/** A name close to `value` that passes {@link checkStudentName}, for the error's example. */
export function suggestName(value: string, className: string = DEFAULT_CLASS): string {
    const cleaned = toDnsLabel(value).slice(0, studentNameMax(className)).replace(/-$/, "");
    return cleaned === "" || RESERVED_NAMES.includes(cleaned) ? "alice" : cleaned;
}

/** Returns the name or throws an {@link InvalidValueError} naming `field`, the value and a valid example. */
export function checkStudentName(field: string, value: string, className: string = DEFAULT_CLASS): string {
    const example = suggestName(value, className);
    dnsLabel(field, value, example);
    const max = studentNameMax(className);
    if (value.length > max) {
        throw new InvalidValueError(
            field,
            value,
            `at most ${max} characters, so that the kind cluster and namespace "${PREFIX}${stackOf(className, "<name>")}" ` +
                `stay within ${KIND_CLUSTER_NAME_MAX}`,
            example,
        );
    }
    if (RESERVED_NAMES.includes(value)) {
        throw new InvalidValueError(
            field,
            value,
            `a name other than ${RESERVED_NAMES.map((n) => `"${n}"`).join(", ")} (the lab's own stack, npm run up)`,
            `${value}-1`,
        );
    }
    // The program derives its names with stackScopedName; a valid student name must come out unchanged.
    const stack = stackOf(className, value);
    if (stackScopedName(stack) !== PREFIX + stack) {
        throw new InvalidValueError(
            field,
            value,
            `a name the lab keeps as "${PREFIX}${stackOf(className, "<name>")}"`,
            example,
        );
    }
    return value;
}

interface Entry {
    name: string;
    /** Where the name came from, for error messages: `--students` or `roster.txt:3`. */
    where: string;
}

function validate(entries: Entry[], origin: string, className: string): string[] {
    const problems: string[] = [];
    const seen = new Map<string, string>();
    for (const { name, where } of entries) {
        try {
            checkStudentName(`student name (${where})`, name, className);
        } catch (err) {
            if (!(err instanceof InvalidValueError)) throw err;
            problems.push(err.message);
            continue;
        }
        const first = seen.get(name);
        if (first !== undefined) {
            problems.push(
                `student "${name}" is listed twice (${first} and ${where}); names must be unique. Example: ${name}-2`,
            );
        } else {
            seen.set(name, where);
        }
    }
    if (entries.length === 0) {
        problems.push(`${origin} names no students. Example: --students alice,bob`);
    }
    if (problems.length > 0) throw new RosterError(problems);
    return entries.map((e) => e.name);
}

/** `--students alice,bob`: comma-separated, spaces around names ignored. */
export function parseStudentList(text: string, className: string = DEFAULT_CLASS): string[] {
    const names = text.split(",").map((n) => n.trim());
    const entries = names.map((name, i) => ({ name, where: `--students, item ${i + 1}` }));
    // A trailing comma is a slip, not a student with an empty name.
    while (entries.length > 0 && entries[entries.length - 1].name === "" && names.length > 1) entries.pop();
    return validate(entries, "--students", className);
}

/** A roster file: one name per line; `#` starts a comment; blank lines are ignored. */
export function parseRosterText(text: string, source: string, className: string = DEFAULT_CLASS): string[] {
    const entries: Entry[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
        const name = line.replace(/#.*$/, "").trim();
        if (name !== "") entries.push({ name, where: `${source}:${i + 1}` });
    });
    return validate(entries, source, className);
}

/** `--count N`: student-01 … student-NN (at least two digits, so names sort in order). */
export function countedStudents(count: string | number): string[] {
    const n = typeof count === "number" ? count : /^\d+$/.test(count.trim()) ? Number(count.trim()) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > COUNT_MAX) {
        throw new RosterError([
            `--count must be a whole number from 1 to ${COUNT_MAX}; got ${JSON.stringify(count)}. Example: --count 12`,
        ]);
    }
    const width = Math.max(2, String(n).length);
    return Array.from({ length: n }, (_, i) => `student-${String(i + 1).padStart(width, "0")}`);
}

/** Why a roster file could not be read, and what to do instead. `code` is Node's (ENOENT, EISDIR, ...). */
export function rosterReadProblem(file: string, code: string | undefined, detail: string): string {
    if (code === "ENOENT") {
        return (
            `The roster ${file} does not exist. Write one name a line ` +
            `(e.g. printf 'alice\\nbob\\n' > ${file}), or name the students: --students alice,bob`
        );
    }
    if (code === "EISDIR")
        return `The roster ${file} is a directory; give a file with one name a line. Example: --roster class.txt`;
    return `Cannot read the roster ${file} (${detail}). Check that you may read it, or name the students: --students alice,bob`;
}

/**
 * The message for `--students -bob` and the like, which the argument parser refuses as ambiguous
 * (the value looks like an option): a student name cannot start with "-" anyway, so say that, with a
 * name that would do; any other option's value may be given as `--option=-value`.
 */
export function dashedValueProblem(option: string, value: string): string {
    try {
        if (option === "--students") parseStudentList(value);
        if (option === "--student") checkStudentName("--student", value);
    } catch (err) {
        if (err instanceof RosterError || err instanceof InvalidValueError) return err.message;
        throw err;
    }
    return `${option} ${value}: a value starting with "-" reads as another option. If you mean it, write ${option}=${value}`;
}
