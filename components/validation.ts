/**
 * Validators shared by the components and the stack config.
 *
 * Each one returns the value, narrowed, or throws an {@link InvalidValueError}
 * whose message names the setting, the bad value and a good example, so a
 * learner can fix the input without reading code.
 */

export class InvalidValueError extends Error {
    constructor(
        readonly field: string,
        readonly value: unknown,
        readonly rule: string,
        readonly example: string,
    ) {
        super(`${field} must be ${rule}; got ${describeValue(value)}. Example: ${example}`);
        this.name = "InvalidValueError";
    }
}

/** Values longer than this are shown cut, with their full length: a pasted file must not flood the terminal. */
export const SHOWN_VALUE_MAX = 60;

/**
 * A bad value as an error shows it: JSON (so quotes, spaces and control characters are visible),
 * numbers JSON cannot spell (NaN, Infinity) as they are, and a long value cut after
 * {@link SHOWN_VALUE_MAX} characters with its length.
 */
export function describeValue(value: unknown): string {
    if (value === undefined) return "nothing";
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    if (typeof value === "string") {
        return value.length > SHOWN_VALUE_MAX
            ? `${JSON.stringify(value.slice(0, SHOWN_VALUE_MAX))}…(${value.length} chars)`
            : JSON.stringify(value);
    }
    let text: string;
    try {
        text = JSON.stringify(value) ?? String(value);
    } catch {
        text = String(value);
    }
    return text.length > SHOWN_VALUE_MAX ? `${text.slice(0, SHOWN_VALUE_MAX)}…(${text.length} chars)` : text;
}

// RFC 1123 label: what Kubernetes requires of namespaces and container names.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// RFC 1123 subdomain: what Kubernetes requires of Pod names.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function dnsLabel(field: string, value: unknown, example: string): string {
    if (typeof value !== "string" || value.length > 63 || !DNS_LABEL.test(value)) {
        throw new InvalidValueError(
            field,
            value,
            "a DNS-1123 label (at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit)",
            example,
        );
    }
    return value;
}

/** The closest DNS label to free text: lowercase, runs of other characters as one "-", none at the ends. May be "". */
export function toDnsLabel(text: string): string {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-|-$/g, "");
}

/** "has a problem:" or "has N problems:", then one indented line each: every bad value at once. */
export function problemList(subject: string, problems: readonly string[], after = ""): string {
    const count = problems.length === 1 ? "a problem" : `${problems.length} problems`;
    return `${subject} has ${count}${after}:\n` + problems.map((p) => `  - ${p}`).join("\n");
}

export function dnsSubdomain(field: string, value: unknown, example: string): string {
    if (typeof value !== "string" || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
        throw new InvalidValueError(
            field,
            value,
            "a DNS-1123 subdomain (at most 253 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit)",
            example,
        );
    }
    return value;
}

/**
 * kind accepts `^[a-z0-9.-]+$`, but the node containers it names
 * `<cluster>-control-plane` / `<cluster>-worker2` must stay valid host names,
 * so the lab keeps cluster names to short DNS labels.
 */
export const KIND_CLUSTER_NAME_MAX = 40;

export function kindClusterName(field: string, value: unknown): string {
    if (typeof value !== "string" || value.length > KIND_CLUSTER_NAME_MAX || !DNS_LABEL.test(value)) {
        throw new InvalidValueError(
            field,
            value,
            `a kind cluster name: at most ${KIND_CLUSTER_NAME_MAX} lowercase letters, digits or '-', starting and ending with a letter or digit`,
            "lab-dev",
        );
    }
    return value;
}

export function integerInRange(field: string, value: unknown, min: number, max: number, example: string): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        throw new InvalidValueError(field, value, `a whole number from ${min} to ${max}`, example);
    }
    return value;
}

export function oneOf<T extends string>(
    field: string,
    value: unknown,
    allowed: readonly T[],
    example: string = allowed[0],
): T {
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        throw new InvalidValueError(field, value, `one of ${allowed.map((a) => `"${a}"`).join(", ")}`, example);
    }
    return value as T;
}

export function booleanValue(field: string, value: unknown, example = "true"): boolean {
    if (typeof value !== "boolean") {
        throw new InvalidValueError(field, value, "true or false", example);
    }
    return value;
}

// [registry[:port]/]path[:tag][@sha256:digest], lowercase path as the
// distribution spec requires; a tag of at most 128 characters.
const IMAGE_REFERENCE =
    /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export function imageReference(field: string, value: unknown, example: string): string {
    if (typeof value !== "string" || !IMAGE_REFERENCE.test(value)) {
        throw new InvalidValueError(field, value, "a container image reference (name[:tag][@sha256:digest])", example);
    }
    return value;
}

// Values the lab embeds in `sh -c` scripts inside double quotes: anything that the shell would
// expand or that would end the quoted string is refused, and so are control characters (a NUL
// cuts the script short; the others garble the log line and the terminal that shows it).
// eslint-disable-next-line no-control-regex
const SHELL_SAFE_TEXT = /^[^"\\$`\x00-\x1f\x7f]{1,200}$/;

export function shellSafeText(field: string, value: unknown, example: string): string {
    if (typeof value !== "string" || !SHELL_SAFE_TEXT.test(value) || value.trim() === "") {
        throw new InvalidValueError(
            field,
            value,
            '1 to 200 characters on one line, without ", \\, $, ` or control characters',
            example,
        );
    }
    return value;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]/;

/** A program to run: a name on PATH or a path. It is run without a shell, so only control characters are refused. */
export function executable(field: string, value: unknown, example: string): string {
    if (typeof value !== "string" || value.trim() === "" || value.length > 4096 || CONTROL_CHARACTERS.test(value)) {
        throw new InvalidValueError(
            field,
            value,
            "an executable's name on PATH or its path (one line, no control characters)",
            example,
        );
    }
    return value;
}

// An absolute file path below a directory other than "/", since that
// directory becomes the shared emptyDir mount point.
const FILE_IN_DIRECTORY = /^(\/[A-Za-z0-9._-]+)+\/[A-Za-z0-9._-]+$/;

/** Linux's NAME_MAX: the longest file or directory name, in bytes (the path allows ASCII only). */
export const FILE_NAME_MAX = 255;
/** A path longer than this is refused; Linux's PATH_MAX is 4096, and nobody needs a longer log path. */
export const LOG_PATH_MAX = 1024;

/**
 * Directories an emptyDir must not be mounted on, nor inside: `/proc`, `/sys` and `/dev` are the
 * kernel's and the runtime refuses or breaks there; `/etc` holds the files the kubelet mounts
 * (hosts, resolv.conf); the others hold the shell and tools the containers run, which an empty
 * mount would hide.
 */
export const RESERVED_DIRECTORIES: readonly string[] = [
    "/bin",
    "/sbin",
    "/lib",
    "/lib64",
    "/usr",
    "/etc",
    "/proc",
    "/sys",
    "/dev",
];

/** The reserved directory `directory` is, or lies inside; undefined when it is free to mount on. */
export function reservedDirectory(directory: string): string | undefined {
    return RESERVED_DIRECTORIES.find((d) => directory === d || directory.startsWith(`${d}/`));
}

export function logFilePath(field: string, value: unknown, example: string): string {
    const rule =
        "an absolute path to a file inside a directory (not directly under /), made of letters, digits, '.', '_' or '-'";
    if (typeof value !== "string" || !FILE_IN_DIRECTORY.test(value) || value.split("/").some((p) => p === "..")) {
        throw new InvalidValueError(field, value, rule, example);
    }
    if (value.length > LOG_PATH_MAX || value.split("/").some((part) => part.length > FILE_NAME_MAX)) {
        throw new InvalidValueError(
            field,
            value,
            `a path of at most ${LOG_PATH_MAX} characters whose every name has at most ${FILE_NAME_MAX}`,
            example,
        );
    }
    const directory = value.slice(0, value.lastIndexOf("/"));
    const reserved = reservedDirectory(directory);
    if (reserved !== undefined) {
        throw new InvalidValueError(
            field,
            value,
            `a file in a directory outside ${RESERVED_DIRECTORIES.join(", ")}: its directory becomes an empty ` +
                `volume, which in ${reserved} would hide the container's own files or be refused by the runtime`,
            example,
        );
    }
    return value;
}

/** A word a POSIX shell passes on as it is: no quoting needed, nothing expanded but a leading `~`. */
export const SHELL_SAFE_WORD = /^[A-Za-z0-9@%+=:,./_~-]+$/;

/** The kubectl command lines embed these, so they must not carry shell metacharacters. */
export function plainToken(field: string, value: unknown, example: string): string {
    if (typeof value !== "string" || !SHELL_SAFE_WORD.test(value)) {
        throw new InvalidValueError(
            field,
            value,
            "a non-empty value of letters, digits and @%+=:,./_~- only (no spaces or shell characters)",
            example,
        );
    }
    return value;
}

/** The number of single-character edits between two words (Levenshtein). */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
            );
        }
        previous = current;
    }
    return previous[b.length];
}

/** The known key a misspelled one most likely meant, or undefined when none is close. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
    const lower = key.toLowerCase();
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of known) {
        const other = candidate.toLowerCase();
        // A key cut short ("readyTimeout") means the key it starts.
        const distance = lower.length >= 4 && other.startsWith(lower) ? 1 : editDistance(lower, other);
        if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
    }
    // Up to a third of the word may be wrong: "workernodes", "initDelaySecond", "sidcarMode".
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Settings that name objects in one namespace must differ; of two equal ones, the later is blamed. */
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
