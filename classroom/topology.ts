import { CONFIG_KEYS, PROJECT, declaredDefault } from "../config";
import type { Setting } from "../components/settings";
import { StudentConfig } from "./stacks";

/**
 * Where the students' labs run, as stack config, and what one kind cluster per
 * student asks of the host.
 */

export type Topology =
    /** Each student stack creates its own kind cluster: the program's default (kind) mode. */
    | { kind: "cluster" }
    /** Every student on one existing cluster, each in a namespace of their own (isolation = student). */
    | { kind: "shared"; kubeconfig: string; context?: string };

const key = (name: string) => `${PROJECT}:${name}`;

/** The keys the classroom owns in shared topology; cluster topology clears them. */
const SHARED_KEYS = ["kubeconfigPath", "kubeContext", "isolation", "student"];
/**
 * Keys the program refuses in existing-cluster mode. The classroom owns the
 * topology, so moving a stack to a shared cluster clears them (and clusterMode,
 * which is then inferred from kubeconfigPath).
 */
const CLUSTER_ONLY_KEYS = ["clusterMode", "clusterName", "nodeImage", "workerNodes", "kindPath"];

/**
 * The config one student's stack gets. Only the keys listed are touched; any
 * other value set on the stack (message, sidecarMode, ...) is kept.
 */
export function studentConfig(topology: Topology, student: string): StudentConfig {
    if (topology.kind === "cluster") {
        return { set: {}, remove: ["clusterMode", ...SHARED_KEYS].map(key) };
    }
    const set: Record<string, string> = {
        [key("kubeconfigPath")]: topology.kubeconfig,
        [key("isolation")]: "student",
        [key("student")]: student,
    };
    const remove = [...CLUSTER_ONLY_KEYS];
    if (topology.context) set[key("kubeContext")] = topology.context;
    else remove.push("kubeContext");
    return { set, remove: remove.map(key) };
}

/** A config value as the Automation API reads it. */
export interface ConfigEntry {
    value: string;
    secret?: boolean;
}

/**
 * How to put back the keys `config` touched, from the values read before
 * (preview leaves the stack as it found it). The CLI reports Pulumi.yaml's
 * defaults as if they were set; a key that only had its default is removed
 * rather than written out, which the program reads the same way.
 */
export function configToRestore(
    config: StudentConfig,
    before: Record<string, ConfigEntry>,
): { set: Record<string, ConfigEntry>; remove: string[] } {
    const set: Record<string, ConfigEntry> = {};
    const remove: string[] = [];
    for (const fullKey of new Set([...Object.keys(config.set), ...config.remove])) {
        const old = before[fullKey];
        const name = fullKey.startsWith(`${PROJECT}:`) ? fullKey.slice(PROJECT.length + 1) : undefined;
        const spec: Setting<unknown> | undefined =
            name !== undefined && name in CONFIG_KEYS ? CONFIG_KEYS[name as keyof typeof CONFIG_KEYS] : undefined;
        const isDefault =
            old !== undefined && !old.secret && spec !== undefined && old.value === String(declaredDefault(spec));
        if (old === undefined || isDefault) remove.push(fullKey);
        else set[fullKey] = old;
    }
    return { set, remove };
}

/** kind's known-issues page: Ubuntu's defaults (8192, 128) are not enough for many nodes; these are its fix. */
export const KIND_INOTIFY = { maxUserWatches: 524288, maxUserInstances: 512 } as const;

/** Each inotify limit below kind's advice, as `sysctl=value (kind advises N)`; empty when both suffice. */
export function lowInotifyLimits(host: { maxUserWatches: number; maxUserInstances: number }): string[] {
    const low: string[] = [];
    if (host.maxUserWatches < KIND_INOTIFY.maxUserWatches) {
        low.push(`fs.inotify.max_user_watches=${host.maxUserWatches} (kind advises ${KIND_INOTIFY.maxUserWatches})`);
    }
    if (host.maxUserInstances < KIND_INOTIFY.maxUserInstances) {
        low.push(
            `fs.inotify.max_user_instances=${host.maxUserInstances} (kind advises ${KIND_INOTIFY.maxUserInstances})`,
        );
    }
    return low;
}
/** One single-node kind cluster with the lab running, measured for this lab (README: "A stack per student"). */
export const MEMORY_PER_CLUSTER_MB = 650;
/** From this many clusters on one host, the inotify defaults are worth a warning (each kind node is a full node). */
export const LARGE_CLASS = 3;

export interface HostFacts {
    /** From /proc/sys/fs/inotify; undefined when unreadable (not Linux: Docker Desktop's VM has its own). */
    maxUserWatches?: number;
    maxUserInstances?: number;
    totalMemoryBytes: number;
}

/** Lines to print before `up`/`preview` in cluster topology; those starting "warning:" are warnings. */
export function kindHostNotes(students: number, host: HostFacts): string[] {
    const notes: string[] = [];
    const neededMb = students * MEMORY_PER_CLUSTER_MB;
    const totalMb = Math.round(host.totalMemoryBytes / 1024 / 1024);
    const memory =
        `${students} kind cluster${students === 1 ? "" : "s"} on this host, one per student: ` +
        `about ${formatMb(neededMb)} of memory (~${MEMORY_PER_CLUSTER_MB} MB each), this host has ${formatMb(totalMb)}.`;
    if (neededMb > totalMb * 0.75) {
        notes.push(
            `warning: ${memory} That is more than three quarters of it: lower --parallel will not help; ` +
                "use fewer students per host, or --topology shared --kubeconfig <file> (one cluster for all).",
        );
    } else {
        notes.push(`note: ${memory}`);
    }
    if (students < LARGE_CLASS) return notes;
    if (host.maxUserWatches === undefined || host.maxUserInstances === undefined) {
        notes.push(
            "note: could not read /proc/sys/fs/inotify (not Linux?). With Docker Desktop, kind's nodes share the VM's " +
                `inotify limits; many clusters need fs.inotify.max_user_watches=${KIND_INOTIFY.maxUserWatches} and ` +
                `fs.inotify.max_user_instances=${KIND_INOTIFY.maxUserInstances} there.`,
        );
        return notes;
    }
    const low = lowInotifyLimits({ maxUserWatches: host.maxUserWatches, maxUserInstances: host.maxUserInstances });
    if (low.length > 0) {
        notes.push(
            `warning: ${students} kind clusters share this host's inotify limits, which are low: ${low.join(", ")}. ` +
                'Pods then fail with "too many open files". Raise them (until reboot) with: ' +
                `sudo sysctl fs.inotify.max_user_watches=${KIND_INOTIFY.maxUserWatches} ` +
                `fs.inotify.max_user_instances=${KIND_INOTIFY.maxUserInstances}`,
        );
    }
    return notes;
}

function formatMb(mb: number): string {
    return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb} MB`;
}
