import { createHash } from "crypto";
import { DEMO_POD_SETTINGS } from "./components/demoPod";
import { INIT_DEMO_POD_NAME, INIT_DEMO_POD_SETTINGS } from "./components/initDemoPod";
import { KIND_CLUSTER_SETTINGS } from "./components/kindCluster";
import { shellQuote } from "./components/kubectlCommands";
import { SYSTEM_NAMESPACES } from "./components/labNamespace";
import { LESSONS_SETTINGS, LessonName, LessonSettings, readLessonSettings } from "./lessons";
import { Setting, SettingsOf, SettingsTable, fromConfigText, setting } from "./components/settings";
import { SIDECAR_DEMO_POD_NAME, SIDECAR_DEMO_POD_SETTINGS } from "./components/sidecarDemoPod";
import { STUDENT_NAMESPACE_SETTINGS } from "./components/studentNamespace";
import {
    InvalidValueError,
    closestKey,
    KIND_CLUSTER_NAME_MAX,
    booleanValue,
    describeValue,
    oneOf,
    problemList,
    toDnsLabel,
} from "./components/validation";

/**
 * The stack's configuration. Each key is a component's setting (components/*.ts hold one
 * table each), restated here only where the stack differs: its default, its wording. What stays
 * here are the keys no component has (clusterMode, createNamespace, isolation) and the rules that
 * span several keys. Pulumi.yaml's declarations and the README's table are generated from
 * {@link CONFIG_KEYS} (`npm run docs:settings`); tests fail when either is stale.
 */

export const PROJECT = "init-sidecar-lab";

export const CLUSTER_MODES = ["kind", "existing"] as const;
export type ClusterMode = (typeof CLUSTER_MODES)[number];

/** "none": one namespace per stack; "student": a shared cluster's isolated namespace per student. */
export const ISOLATION_MODES = ["none", "student"] as const;
export type IsolationMode = (typeof ISOLATION_MODES)[number];

/** A component's setting as a config key: `changes` say what differs at the stack level. */
function configKey<T>(base: Setting<T>, changes: Partial<Setting<T>> = {}): Setting<T> {
    return { ...base, ...changes };
}

const pod = DEMO_POD_SETTINGS;
const kind = KIND_CLUSTER_SETTINGS;

/** Every key the lab reads, in the order the docs list them. */
export const CONFIG_KEYS = {
    clusterMode: setting({
        type: "string",
        defaultText: "`kind`, or `existing` when `kubeContext`/`kubeconfigPath` is set",
        example: "existing",
        description:
            "Where the Pods go: `kind` creates a local kind cluster; `existing` uses `kubeContext`/`kubeconfigPath`.",
        check: (field, value, example) => oneOf(field, value, CLUSTER_MODES, example),
    }),
    clusterName: configKey(kind.clusterName, { defaultText: "`lab-<stack>`, so stacks never collide" }),
    nodeImage: configKey(kind.nodeImage, { defaultText: "`$LAB_KIND_NODE_IMAGE` when set, else kind's default" }),
    workerNodes: kind.workerNodes,
    kindPath: kind.kindPath,
    kubeContext: configKey(pod.kubeContext, {
        defaultText: "the kubeconfig's current context",
        description: "existing mode: the kube context to deploy to.",
    }),
    kubeconfigPath: configKey(pod.kubeconfigPath, {
        description: "existing mode: the kubeconfig file to deploy with.",
    }),
    namespace: configKey(pod.namespace, {
        default: undefined,
        defaultText: "`lab-<stack>`",
        example: "lab-dev",
        description: "Namespace of both Pods.",
    }),
    createNamespace: setting({
        type: "boolean",
        default: true,
        example: "false",
        description: "Create the namespace, enforcing Pod Security `restricted`. `false`: it must exist already.",
        check: booleanValue,
    }),
    image: pod.image,
    initPodName: configKey(pod.podName, {
        default: INIT_DEMO_POD_NAME,
        defaultText: undefined,
        example: INIT_DEMO_POD_NAME,
        description: "Name of the init-container demo Pod.",
    }),
    ...INIT_DEMO_POD_SETTINGS,
    sidecarPodName: configKey(pod.podName, {
        default: SIDECAR_DEMO_POD_NAME,
        defaultText: undefined,
        example: SIDECAR_DEMO_POD_NAME,
        description: "Name of the sidecar demo Pod.",
    }),
    ...SIDECAR_DEMO_POD_SETTINGS,
    waitForReady: pod.waitForReady,
    readyTimeoutSeconds: pod.readyTimeoutSeconds,
    ...LESSONS_SETTINGS,
    isolation: setting({
        type: "string",
        default: "none" as IsolationMode,
        example: "student",
        description:
            "`student`: on a cluster a class shares (existing mode only), an isolated namespace per student (quota, limits, NetworkPolicy) and a kubeconfig limited to it.",
        check: (field, value, example) => oneOf(field, value, ISOLATION_MODES, example),
    }),
    student: configKey(STUDENT_NAMESPACE_SETTINGS.student, {
        defaultText: "the stack name",
        description: "isolation `student`: the student's name, a DNS-1123 label.",
    }),
};

/** Keys that were renamed: a stack that still sets the old one is told the new name. */
export const RENAMED_KEYS: Readonly<Record<string, ConfigName>> = {
    // It always held a file's path; `kubeconfig` now only names a kubeconfig's contents (a stack output).
    kubeconfig: "kubeconfigPath",
};

export type ConfigName = keyof typeof CONFIG_KEYS;

/** A key's value once checked. */
type ValueOf<K extends ConfigName> = ReturnType<(typeof CONFIG_KEYS)[K]["check"]>;

/** Every key of the project's namespace as stack config has it (text), the `init-sidecar-lab:` prefix removed. */
export type RawConfig = Partial<Record<string, string>>;

/** The project's keys out of the engine's whole config map (`pulumi.runtime.allConfig()`). */
export function projectConfig(all: Record<string, string>): RawConfig {
    const raw: RawConfig = {};
    for (const [key, value] of Object.entries(all)) {
        if (key.startsWith(`${PROJECT}:`)) raw[key.slice(PROJECT.length + 1)] = value;
    }
    return raw;
}

/** Pulumi.yaml's `default` of a key: the CLI requires one, and `""` means "derived". */
export function declaredDefault(spec: Setting<unknown>): string | number | boolean {
    const value = spec.default;
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : "";
}

/**
 * The environment variable that picks the kind node image when the `nodeImage` key is unset, so a
 * toolchain (`scripts/e2e-toolchain.sh --env`) can point every stack at a locally built image.
 */
export const NODE_IMAGE_ENV = "LAB_KIND_NODE_IMAGE";

/** What the stack's config is checked against on the host: whether a file exists (index.ts passes the real check). */
export interface HostChecks {
    /** The process environment: only {@link NODE_IMAGE_ENV} is read, to fill in an unset `nodeImage`. */
    env?: Readonly<Record<string, string | undefined>>;
    /** Why `file` cannot be used as a kubeconfig, or undefined when it can. */
    kubeconfigFileProblem?: (file: string) => string | undefined;
    /** The contexts the kubeconfig the stack deploys with defines; undefined when it cannot be read. */
    kubeContexts?: (kubeconfigPath: string | undefined) => string[] | undefined;
}

export type ClusterTarget =
    | { mode: "kind"; clusterName: string; nodeImage: string; workerNodes: number; kindPath: string }
    | { mode: "existing"; kubeContext?: string; kubeconfigPath?: string };

/** Whether the stack's namespace is a shared cluster's isolated student namespace. */
export type Isolation = { mode: "none" } | { mode: "student"; student: string };

export interface LabConfig {
    cluster: ClusterTarget;
    isolation: Isolation;
    namespace: string;
    createNamespace: boolean;
    image: string;
    waitForReady: boolean;
    readyTimeoutSeconds: number;
    /** The lessons to deploy beside the two demo Pods, in registry order. */
    lessons: LessonName[];
    /** Their own settings, checked against the lessons deployed. */
    lessonSettings: LessonSettings;
    initPod: { podName: string } & SettingsOf<typeof INIT_DEMO_POD_SETTINGS>;
    sidecarPod: { podName: string } & SettingsOf<typeof SIDECAR_DEMO_POD_SETTINGS>;
}

/** Every bad value at once, so a learner fixes them in one go. */
export class LabConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(problemList("The lab's configuration", problems, "; nothing was deployed"));
        this.name = "LabConfigError";
    }
}

/**
 * `lab-<stack>`, made a valid kind and namespace name. A stack name that had to
 * be changed gets a short hash of the original, so "Alice" and "alice" stay apart.
 */
export function stackScopedName(stack: string): string {
    const cleaned = toDnsLabel(stack);
    const prefix = "lab-";
    if (cleaned !== "" && cleaned === stack && prefix.length + cleaned.length <= KIND_CLUSTER_NAME_MAX) {
        return prefix + cleaned;
    }
    const hash = createHash("sha256").update(stack).digest("hex").slice(0, 6);
    const room = KIND_CLUSTER_NAME_MAX - prefix.length - hash.length - 1;
    const kept = cleaned.slice(0, room).replace(/-$/, "");
    return kept === "" ? `${prefix}${hash}` : `${prefix}${kept}-${hash}`;
}

const field = (key: string) => `${PROJECT}:${key}`;

/** A problem for each key of the namespace the lab does not read, with the key it most likely meant. */
export function unknownKeyProblems(raw: RawConfig): string[] {
    const known = Object.keys(CONFIG_KEYS);
    const problems: string[] = [];
    for (const key of Object.keys(raw).filter((k) => !known.includes(k))) {
        const renamed = RENAMED_KEYS[key];
        const value = shellQuote(raw[key] ?? "");
        if (renamed !== undefined) {
            problems.push(
                `${field(key)} was renamed ${field(renamed)}. Fix: pulumi config rm ${field(key)} && ` +
                    `pulumi config set ${field(renamed)} ${value}`,
            );
            continue;
        }
        const meant = closestKey(key, known);
        problems.push(
            meant === undefined
                ? `${field(key)} is not a setting of the lab (its keys: ${known.join(", ")}). ` +
                      `Fix: pulumi config rm ${field(key)}`
                : `${field(key)} is not a setting of the lab; did you mean ${field(meant)}? ` +
                      `Fix: pulumi config rm ${field(key)} && pulumi config set ${field(meant)} <value>`,
        );
    }
    return problems;
}

/**
 * Reads raw config for `stack`, applies defaults and checks every value, then the rules that
 * span several keys. Throws one {@link LabConfigError} listing every problem.
 */
export function parseLabConfig(raw: RawConfig, stack: string, host: HostChecks = {}): LabConfig {
    const problems: string[] = unknownKeyProblems(raw);

    // Each check runs on its own, so one bad value does not hide the next.
    function value<K extends ConfigName>(key: K, fallback: ValueOf<K>): ValueOf<K> {
        const spec: Setting<unknown> = CONFIG_KEYS[key];
        const text = raw[key];
        // Unset and "" (Pulumi.yaml's default for derived values) both mean: use the default.
        if (text === undefined || text === "") return fallback;
        try {
            return spec.check(field(key), fromConfigText(text, spec.type), spec.example) as ValueOf<K>;
        } catch (err) {
            if (!(err instanceof InvalidValueError)) throw err;
            problems.push(
                `${field(key)} must be ${err.rule}; got ${describeValue(text)}. ` +
                    `Example: pulumi config set ${field(key)} ${shellQuote(err.example)}`,
            );
            return fallback;
        }
    }
    /** The key's value, else its default. */
    const valueOrDefault = <K extends ConfigName>(key: K) => value(key, CONFIG_KEYS[key].default as ValueOf<K>);

    const kindOnly: ConfigName[] = ["clusterName", "nodeImage", "workerNodes", "kindPath"];
    const existingOnly: ConfigName[] = ["kubeContext", "kubeconfigPath"];
    // The CLI fills in Pulumi.yaml's defaults, so only a value other than the default counts as set.
    const isSet = (key: ConfigName) => {
        const text = raw[key];
        return text !== undefined && text !== "" && text !== String(declaredDefault(CONFIG_KEYS[key]));
    };
    const inferred: ClusterMode = existingOnly.some(isSet) ? "existing" : "kind";
    const mode = value("clusterMode", inferred);
    const misplaced = mode === "kind" ? existingOnly.filter(isSet) : kindOnly.filter(isSet);
    for (const key of misplaced) {
        problems.push(
            `${field(key)} only applies when ${field("clusterMode")} is "${mode === "kind" ? "existing" : "kind"}", ` +
                `but the mode is "${mode}". Remove it (pulumi config rm ${field(key)}) or set the mode ` +
                `(pulumi config set ${field("clusterMode")} ${mode === "kind" ? "existing" : "kind"}).`,
        );
    }

    const stackName = stackScopedName(stack);
    let cluster: ClusterTarget;
    if (mode === "kind") {
        cluster = {
            mode,
            clusterName: value("clusterName", stackName),
            // The config key wins; the environment only fills in an unset one.
            nodeImage: valueOrDefault("nodeImage") || envNodeImage(host.env?.[NODE_IMAGE_ENV], problems),
            workerNodes: valueOrDefault("workerNodes"),
            kindPath: valueOrDefault("kindPath"),
        };
    } else {
        const kubeconfigPath = value("kubeconfigPath", undefined);
        const fileProblem = kubeconfigPath && host.kubeconfigFileProblem?.(kubeconfigPath);
        if (fileProblem) {
            problems.push(
                `${field("kubeconfigPath")} must be an existing kubeconfig file; got ${describeValue(kubeconfigPath)} ` +
                    `(${fileProblem}). Example: pulumi config set ${field("kubeconfigPath")} ~/.kube/config`,
            );
        }
        const kubeContext = value("kubeContext", undefined);
        const contexts = kubeContext && !fileProblem ? host.kubeContexts?.(kubeconfigPath) : undefined;
        if (kubeContext && contexts && !contexts.includes(kubeContext)) {
            const meant = closestKey(kubeContext, contexts) ?? contexts[0] ?? "my-cluster";
            const listed = contexts.length > 8 ? [...contexts.slice(0, 8), "..."] : contexts;
            problems.push(
                `${field("kubeContext")} must be a context of the kubeconfig${kubeconfigPath ? ` ${kubeconfigPath}` : ""} ` +
                    `(it has: ${listed.join(", ") || "none"}); got ${describeValue(kubeContext)}. ` +
                    `Example: pulumi config set ${field("kubeContext")} ${shellQuote(meant)}`,
            );
        }
        cluster = { mode, kubeContext, kubeconfigPath };
    }

    const isolationMode = valueOrDefault("isolation");
    let isolation: Isolation = { mode: "none" };
    if (isolationMode === "student") {
        // The default is the stack name as it is: a student should see their own name, not a cleaned one.
        const student = value("student", stack);
        if (raw.student === undefined || raw.student === "") {
            try {
                const spec = CONFIG_KEYS.student;
                spec.check(field("student"), stack, spec.example);
            } catch (err) {
                if (!(err instanceof InvalidValueError)) throw err;
                problems.push(
                    `${field("student")} defaults to the stack name, but "${stack}" is not a DNS-1123 label ` +
                        `(lowercase letters, digits and '-'). Example: pulumi config set ${field("student")} alice`,
                );
            }
        }
        isolation = { mode: "student", student };
        if (mode === "kind") {
            problems.push(
                `${field("isolation")} "student" isolates students who share one existing cluster, so it needs ` +
                    `${field("clusterMode")} "existing" (set ${field("kubeContext")} or ${field("kubeconfigPath")}); ` +
                    `a kind cluster is already one stack's own. Example: pulumi config set ${field("kubeContext")} my-shared-cluster`,
            );
        }
    } else if (isSet("student")) {
        problems.push(
            `${field("student")} only applies when ${field("isolation")} is "student". Remove it ` +
                `(pulumi config rm ${field("student")}) or set pulumi config set ${field("isolation")} student.`,
        );
    }

    const createNamespace = valueOrDefault("createNamespace");
    if (isolation.mode === "student" && !createNamespace) {
        problems.push(
            `${field("createNamespace")} false does not go with ${field("isolation")} "student", which creates ` +
                `the student's namespace with its quota and policies. Example: pulumi config set ${field("createNamespace")} true`,
        );
    }
    const namespace = value("namespace", stackName);
    if (createNamespace && SYSTEM_NAMESPACES.includes(namespace)) {
        problems.push(
            `${field("namespace")} must be a namespace the lab may create (to use "${namespace}", also set ` +
                `${field("createNamespace")} to false); got "${namespace}". ` +
                `Example: pulumi config set ${field("namespace")} ${CONFIG_KEYS.namespace.example}`,
        );
    }

    /** Every key of a component's table, as the stack sets it (the config keys are the table's). */
    function tableValues<T extends SettingsTable>(table: T): SettingsOf<T> {
        const keys = Object.keys(table) as (keyof T & ConfigName)[];
        return Object.fromEntries(keys.map((key) => [key, valueOrDefault(key)])) as SettingsOf<T>;
    }
    const lessons = valueOrDefault("lessons");

    const config: LabConfig = {
        cluster,
        isolation,
        namespace,
        createNamespace,
        image: valueOrDefault("image"),
        waitForReady: valueOrDefault("waitForReady"),
        readyTimeoutSeconds: valueOrDefault("readyTimeoutSeconds"),
        lessons,
        lessonSettings: lessonSettings(raw.lessonSettings, lessons, problems),
        initPod: { podName: valueOrDefault("initPodName"), ...tableValues(INIT_DEMO_POD_SETTINGS) },
        sidecarPod: { podName: valueOrDefault("sidecarPodName"), ...tableValues(SIDECAR_DEMO_POD_SETTINGS) },
    };
    if (config.initPod.podName === config.sidecarPod.podName) {
        problems.push(
            `${field("initPodName")} and ${field("sidecarPodName")} must differ, both are "${config.initPod.podName}". ` +
                `Example: pulumi config set ${field("sidecarPodName")} ${CONFIG_KEYS.sidecarPodName.example}`,
        );
    }
    if (problems.length > 0) throw new LabConfigError(problems);
    return config;
}

/** `LAB_KIND_NODE_IMAGE`, checked like the config key; "" (kind's default) when unset or bad. */
function envNodeImage(text: string | undefined, problems: string[]): string {
    const value = text?.trim() ?? "";
    if (value === "") return "";
    const spec = CONFIG_KEYS.nodeImage;
    try {
        return spec.check(NODE_IMAGE_ENV, value, spec.example);
    } catch (err) {
        if (!(err instanceof InvalidValueError)) throw err;
        problems.push(
            `${NODE_IMAGE_ENV} (environment) must be ${err.rule}; got ${describeValue(value)}. ` +
                `Example: export ${NODE_IMAGE_ENV}=${err.example}, or unset it for kind's default image`,
        );
        return "";
    }
}

/** `lessonSettings`, checked against the lessons the stack deploys; each problem names its path and a good one. */
function lessonSettings(text: string | undefined, lessons: readonly LessonName[], problems: string[]): LessonSettings {
    const read = readLessonSettings(text, lessons);
    for (const problem of read.problems) {
        const where = field(problem.path === "" ? "lessonSettings" : `lessonSettings.${problem.path}`);
        const example = `pulumi config set --path '${field(`lessonSettings.${problem.example.path}`)}' ${shellQuote(problem.example.value)}`;
        problems.push(`${where} must be ${problem.rule}; got ${describeValue(problem.value)}. Example: ${example}`);
    }
    return read.settings;
}
