import { createHash } from "crypto";
import * as path from "path";
import { DEFAULT_READY_TIMEOUT_SECONDS, checkImage, checkPodName, checkReadyTimeout } from "./components/demoPod";
import { DEFAULT_KIND_PATH, checkNodeImage, checkWorkerNodes } from "./components/kindCluster";
import { DEFAULT_INIT_DELAY_SECONDS, checkInitDelay } from "./components/initDemoPod";
import { shellQuote } from "./components/kubectlCommands";
import { SYSTEM_NAMESPACES } from "./components/labNamespace";
import { DEFAULT_IMAGE } from "./components/podDefaults";
import {
    DEFAULT_INTERVAL_SECONDS,
    DEFAULT_LOG_PATH,
    DEFAULT_MESSAGE,
    SidecarMode,
    checkInterval,
    checkMessage,
    checkSidecarMode,
} from "./components/sidecarDemoPod";
import {
    InvalidValueError,
    KIND_CLUSTER_NAME_MAX,
    booleanValue,
    dnsLabel,
    kindClusterName,
    logFilePath,
    oneOf,
    plainToken,
    problemList,
    toDnsLabel,
} from "./components/validation";

/**
 * The stack's configuration: every key the lab reads, its type and default,
 * and one function that turns raw config into checked settings or one error
 * listing every bad value. Pulumi.yaml declares the same keys (a test keeps
 * the two in step).
 */

export const PROJECT = "init-sidecar-lab";

export type ConfigType = "string" | "integer" | "boolean";

export interface ConfigKey {
    type: ConfigType;
    /**
     * Pulumi requires a value for every declared key without a default, so each
     * has one; `""` means "derived": from the stack name or from other keys.
     */
    default: string | number | boolean;
    description: string;
}

export const CLUSTER_MODES = ["kind", "existing"] as const;
export type ClusterMode = (typeof CLUSTER_MODES)[number];

/** "none": one namespace per stack; "student": a shared cluster's isolated namespace per student. */
export const ISOLATION_MODES = ["none", "student"] as const;
export type IsolationMode = (typeof ISOLATION_MODES)[number];

export const CONFIG_KEYS = {
    clusterMode: {
        type: "string",
        default: "",
        description:
            'Where the Pods go: "kind" creates a local kind cluster; "existing" uses kubeContext/kubeconfig. Default: "existing" when either is set, else "kind".',
    },
    clusterName: {
        type: "string",
        default: "",
        description: "kind cluster name. Default: lab-<stack>, so stacks never collide.",
    },
    nodeImage: {
        type: "string",
        default: "",
        description:
            'kind node image, e.g. kindest/node:v1.33.1. "" = $LAB_KIND_NODE_IMAGE if set, else kind\'s default.',
    },
    workerNodes: { type: "integer", default: 0, description: "kind worker nodes beside the control plane (0-5)." },
    kindPath: {
        type: "string",
        default: DEFAULT_KIND_PATH,
        description: "The kind executable: a name on PATH or a path.",
    },
    kubeContext: {
        type: "string",
        default: "",
        description: "existing mode: kube context to deploy to. Default: the current context.",
    },
    kubeconfig: {
        type: "string",
        default: "",
        description: "existing mode: kubeconfig file. Default: $KUBECONFIG or ~/.kube/config.",
    },
    namespace: { type: "string", default: "", description: "Namespace of both Pods. Default: lab-<stack>." },
    createNamespace: {
        type: "boolean",
        default: true,
        description: "Create the namespace, enforcing Pod Security restricted. false: it must exist already.",
    },
    image: {
        type: "string",
        default: DEFAULT_IMAGE,
        description: "Image of every container (busybox:latest = the guide verbatim).",
    },
    initPodName: { type: "string", default: "init-test", description: "Name of the init-container demo Pod." },
    initDelaySeconds: {
        type: "integer",
        default: DEFAULT_INIT_DELAY_SECONDS,
        description: "Seconds the init container sleeps.",
    },
    sidecarPodName: { type: "string", default: "sidecar-test", description: "Name of the sidecar demo Pod." },
    message: { type: "string", default: DEFAULT_MESSAGE, description: "Line the app appends to the shared log." },
    intervalSeconds: {
        type: "integer",
        default: DEFAULT_INTERVAL_SECONDS,
        description: "Seconds between two log lines.",
    },
    logPath: {
        type: "string",
        default: DEFAULT_LOG_PATH,
        description: "Shared log file; its directory is the emptyDir.",
    },
    sidecarMode: {
        type: "string",
        default: "classic",
        description:
            '"classic" (two containers, as the guide) or "native" (init container with restartPolicy Always, Kubernetes 1.29+).',
    },
    waitForReady: {
        type: "boolean",
        default: true,
        description: "pulumi up waits for both Pods to be Ready. false: return at once and watch Init:0/1 live.",
    },
    readyTimeoutSeconds: {
        type: "integer",
        default: DEFAULT_READY_TIMEOUT_SECONDS,
        description: "How long pulumi up waits for a Pod to be Ready (10-3600).",
    },
    isolation: {
        type: "string",
        default: "none",
        description:
            '"none" or "student": on a cluster a class shares (existing mode), an isolated namespace per student (quota, limits, NetworkPolicy, a namespace-only kubeconfig).',
    },
    student: {
        type: "string",
        default: "",
        description: 'isolation "student": the student\'s name (a DNS-1123 label). Default: the stack name.',
    },
} as const satisfies Record<string, ConfigKey>;

export type ConfigName = keyof typeof CONFIG_KEYS;

/** What `pulumi.Config#get` gives: raw strings, undefined when unset. */
export type RawConfig = Partial<Record<ConfigName, string>>;

export type ClusterTarget =
    | { mode: "kind"; clusterName: string; nodeImage: string; workerNodes: number; kindPath: string }
    | { mode: "existing"; kubeContext?: string; kubeconfig?: string };

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
    initPod: { podName: string; initDelaySeconds: number };
    sidecarPod: {
        podName: string;
        message: string;
        intervalSeconds: number;
        logPath: string;
        sidecarMode: SidecarMode;
    };
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

/**
 * The environment variable that picks the kind node image when the `nodeImage` key is unset, so a
 * toolchain (`scripts/e2e-toolchain.sh --env`) can point every stack at a locally built image.
 */
export const NODE_IMAGE_ENV = "LAB_KIND_NODE_IMAGE";

/** The process environment; the lab reads only NODE_IMAGE_ENV from it. */
export type LabEnv = Record<string, string | undefined>;

/** Reads raw config for `stack` (and `env`, for what config leaves unset), applies defaults and checks every value. */
export function parseLabConfig(raw: RawConfig, stack: string, env: LabEnv = {}): LabConfig {
    const problems: string[] = [];
    const field = (key: ConfigName) => `${PROJECT}:${key}`;

    // Each check runs on its own, so one bad value does not hide the next.
    function check<T>(key: ConfigName, fallback: T, validate: (field: string, value: unknown) => T): T {
        const text = raw[key];
        let value: unknown = text;
        const type = CONFIG_KEYS[key].type;
        // Unset and "" (Pulumi.yaml's default for derived values) both mean: use the default.
        if (text === undefined || text === "") return fallback;
        if (type === "integer") {
            value = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
        } else if (type === "boolean") {
            value = text === "true" ? true : text === "false" ? false : text;
        }
        try {
            return validate(field(key), value);
        } catch (err) {
            if (!(err instanceof InvalidValueError)) throw err;
            problems.push(
                `${err.field} must be ${err.rule}; got ${JSON.stringify(text)}. ` +
                    `Example: pulumi config set ${err.field} ${shellQuote(err.example)}`,
            );
            return fallback;
        }
    }

    const kindOnly: ConfigName[] = ["clusterName", "nodeImage", "workerNodes", "kindPath"];
    const existingOnly: ConfigName[] = ["kubeContext", "kubeconfig"];
    // The CLI fills in Pulumi.yaml's defaults, so only a value other than the default counts as set.
    const isSet = (key: ConfigName) => {
        const spec: ConfigKey = CONFIG_KEYS[key];
        return raw[key] !== undefined && raw[key] !== "" && raw[key] !== String(spec.default);
    };
    const inferred: ClusterMode = existingOnly.some(isSet) ? "existing" : "kind";
    const mode = check("clusterMode", inferred, (f, v) => oneOf(f, v, CLUSTER_MODES));
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
            clusterName: check("clusterName", stackName, kindClusterName),
            // The config key wins; the environment only fills in an unset one.
            nodeImage: check("nodeImage", "", checkNodeImage) || envNodeImage(env, problems),
            workerNodes: check("workerNodes", 0, checkWorkerNodes),
            kindPath: check("kindPath", DEFAULT_KIND_PATH, (f, v) => plainToken(f, v, "/usr/local/bin/kind")),
        };
    } else {
        const optional = (key: ConfigName, example: string) =>
            check<string | undefined>(key, undefined, (f, v) => plainToken(f, v, example));
        cluster = {
            mode,
            kubeContext: optional("kubeContext", "my-cluster"),
            kubeconfig: optional("kubeconfig", "~/.kube/config"),
        };
    }

    const isolationMode = check("isolation", "none" as IsolationMode, (f, v) => oneOf(f, v, ISOLATION_MODES));
    let isolation: Isolation = { mode: "none" };
    if (isolationMode === "student") {
        // The default is the stack name as it is: a student should see their own name, not a cleaned one.
        const student = check("student", stack, (f, v) => dnsLabel(f, v, "alice"));
        if (raw.student === undefined || raw.student === "") {
            try {
                dnsLabel(field("student"), stack, "alice");
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
                    `${field("clusterMode")} "existing" (set ${field("kubeContext")} or ${field("kubeconfig")}); ` +
                    `a kind cluster is already one stack's own. Example: pulumi config set ${field("kubeContext")} my-shared-cluster`,
            );
        }
    } else if (isSet("student")) {
        problems.push(
            `${field("student")} only applies when ${field("isolation")} is "student". Remove it ` +
                `(pulumi config rm ${field("student")}) or set pulumi config set ${field("isolation")} student.`,
        );
    }

    const createNamespace = check("createNamespace", true, booleanValue);
    if (isolation.mode === "student" && !createNamespace) {
        problems.push(
            `${field("createNamespace")} false does not go with ${field("isolation")} "student", which creates ` +
                `the student's namespace with its quota and policies. Example: pulumi config set ${field("createNamespace")} true`,
        );
    }
    const namespace = check("namespace", stackName, (f, v) => {
        const name = dnsLabel(f, v, "lab-dev");
        if (createNamespace && SYSTEM_NAMESPACES.includes(name)) {
            throw new InvalidValueError(
                f,
                v,
                `a namespace the lab may create (to use "${name}", also set createNamespace to false)`,
                "lab-dev",
            );
        }
        return name;
    });

    const config: LabConfig = {
        cluster,
        isolation,
        namespace,
        createNamespace,
        image: check("image", DEFAULT_IMAGE, checkImage),
        waitForReady: check("waitForReady", true, booleanValue),
        readyTimeoutSeconds: check("readyTimeoutSeconds", DEFAULT_READY_TIMEOUT_SECONDS, checkReadyTimeout),
        initPod: {
            podName: check("initPodName", "init-test", checkPodName),
            initDelaySeconds: check("initDelaySeconds", DEFAULT_INIT_DELAY_SECONDS, checkInitDelay),
        },
        sidecarPod: {
            podName: check("sidecarPodName", "sidecar-test", (f, v) => checkPodName(f, v, "sidecar-test")),
            message: check("message", DEFAULT_MESSAGE, checkMessage),
            intervalSeconds: check("intervalSeconds", DEFAULT_INTERVAL_SECONDS, checkInterval),
            logPath: check("logPath", DEFAULT_LOG_PATH, logFilePath),
            sidecarMode: check("sidecarMode", "classic" as SidecarMode, checkSidecarMode),
        },
    };
    if (config.initPod.podName === config.sidecarPod.podName) {
        problems.push(
            `${field("initPodName")} and ${field("sidecarPodName")} must differ, both are "${config.initPod.podName}". ` +
                `Example: pulumi config set ${field("sidecarPodName")} sidecar-test`,
        );
    }
    if (problems.length > 0) throw new LabConfigError(problems);
    return config;
}

/** `LAB_KIND_NODE_IMAGE`, checked like the config key; "" (kind's default) when unset or bad. */
function envNodeImage(env: LabEnv, problems: string[]): string {
    const value = env[NODE_IMAGE_ENV]?.trim() ?? "";
    if (value === "") return "";
    try {
        return checkNodeImage(NODE_IMAGE_ENV, value);
    } catch (err) {
        if (!(err instanceof InvalidValueError)) throw err;
        problems.push(
            `${NODE_IMAGE_ENV} (environment) must be ${err.rule}; got ${JSON.stringify(value)}. ` +
                `Example: export ${NODE_IMAGE_ENV}=${err.example}, or unset it for kind's default image`,
        );
        return "";
    }
}

/**
 * The kubeconfig file the existing-cluster provider reads: the configured one, else the first
 * file of `$KUBECONFIG`, else `~/.kube/config`.
 */
export function adminKubeconfigPath(configured: string | undefined, env: string | undefined, home: string): string {
    if (configured) return expandHome(configured, home);
    const first = (env ?? "").split(path.delimiter).find((f) => f !== "");
    return first ?? path.join(home, ".kube", "config");
}

/** The Kubernetes provider reads a kubeconfig path as it is; a shell would have expanded `~`. */
export function expandHome(file: string, home: string): string {
    return file === "~" || file.startsWith("~/") ? home + file.slice(1) : file;
}
