import { CONFIG_KEYS, PROJECT, declaredDefault } from "../config";
import type { Setting } from "../components/settings";
import {
    HostFacts,
    INOTIFY_INSTANCES_PER_CLUSTER,
    KIND_INOTIFY,
    KIND_MEMORY_SHARE,
    LARGE_CLASS,
    MEMORY_PER_CLUSTER_MB,
    RAISE_INOTIFY,
    kindClassFit,
    kindMemoryFit,
    lowInotifyLimits,
    raiseInotifyFor,
} from "../host/capacity";
import { wrap } from "../timeline/frame";
import { StudentConfig } from "./stacks";

/**
 * Where the students' labs run, as stack config, and what the class is told of its host
 * (the capacity rules themselves are host/capacity.ts's, shared with the doctor).
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

/**
 * Why a class of `students` kind clusters does not fit this host (host/capacity.ts's rule, the
 * doctor's), with the numbers and what to do instead; undefined when it fits. Free memory changes
 * by the minute: the classroom judges the host, the doctor the moment.
 */
export function kindClassRefusal(students: number, host: HostFacts): string | undefined {
    const fit = kindClassFit(students, { ...host, availableMemoryBytes: undefined });
    if (fit.fits) return undefined;
    const { memory, inotify } = fit;
    const lines = wrap(
        `A class of ${students} in --topology cluster (a kind cluster each) does not fit this host; ` +
            "nothing was created.",
        "",
        "",
    );
    if (students > memory.room) {
        lines.push(
            ...wrap(
                `memory: ${students} x ~${MEMORY_PER_CLUSTER_MB} MB = ${formatMb(memory.neededMb)}, more than ` +
                    `${Math.round(KIND_MEMORY_SHARE * 100)}% of this host's ${formatMb(memory.totalMb)} ` +
                    `(room for ${memory.room} clusters)`,
                "  - ",
                "    ",
            ),
        );
    }
    if (inotify && students > inotify.room) {
        lines.push(
            ...wrap(
                `inotify: ${students} x ~${INOTIFY_INSTANCES_PER_CLUSTER} instances = ${inotify.neededInstances}, ` +
                    `more than fs.inotify.max_user_instances=${inotify.maxUserInstances} ` +
                    `(room for ${inotify.room}); raise it (until reboot) with:`,
                "  - ",
                "    ",
            ),
            `    ${raiseInotifyFor(students)}`,
        );
    }
    lines.push(
        ...wrap(
            "Run the class on one cluster instead (--topology shared --kubeconfig FILE, " +
                `docs/classroom-scale.md), or at most ${fit.room} students on this host.`,
            "",
            "",
        ),
    );
    return lines.join("\n");
}

/** Lines to print before `up`/`preview` in cluster topology (a class that fits); "warning:" lines are warnings. */
export function kindHostNotes(students: number, host: HostFacts): string[] {
    const notes: string[] = [];
    const fit = kindMemoryFit(students, { ...host, availableMemoryBytes: undefined });
    notes.push(
        `note: ${students} kind cluster${students === 1 ? "" : "s"} on this host, one per student: ` +
            `about ${formatMb(fit.neededMb)} of memory (~${MEMORY_PER_CLUSTER_MB} MB each), ` +
            `this host has ${formatMb(fit.totalMb)} (room for about ${fit.room}).`,
    );
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
                `Pods then fail with "too many open files". Raise them (until reboot) with: ${RAISE_INOTIFY}`,
        );
    }
    return notes;
}

function formatMb(mb: number): string {
    return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb} MB`;
}
