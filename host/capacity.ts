import * as fs from "fs";
import * as os from "os";

/**
 * What kind clusters ask of this host, and how many it holds: the rules the doctor judges a
 * host by and the classroom warns a class by, so both say the same.
 */

/** One single-node kind cluster with the lab running, measured for this lab (README: "A stack per student"). */
export const MEMORY_PER_CLUSTER_MB = 650;
/** The share of the host's memory kind clusters may take; the rest is the OS's, Docker's and Pulumi's. */
export const KIND_MEMORY_SHARE = 0.75;
/** kind's known-issues page: Ubuntu's defaults (8192, 128) are not enough for many nodes; these are its fix. */
export const KIND_INOTIFY = { maxUserWatches: 524288, maxUserInstances: 512 } as const;
/**
 * inotify instances one single-node kind cluster takes: 26, counted on this lab's host (2026-12-07,
 * kind v0.33, Kubernetes 1.37, the idle node: kubelet 7, kube-controller-manager 7, kube-apiserver 6,
 * systemd 4, kube-proxy 1, containerd 1). They all count against the host user's
 * fs.inotify.max_user_instances, since the node's processes run as the host's root. kind's
 * known-issues page gives the symptom and the fix (raise the limit), no per-node figure.
 */
export const INOTIFY_INSTANCES_PER_CLUSTER = 26;
/** From this many clusters on one host, the inotify defaults are worth a warning (each kind node is a full node). */
export const LARGE_CLASS = 3;

export interface HostFacts {
    totalMemoryBytes: number;
    /** Free now; undefined when not read. */
    availableMemoryBytes?: number;
    /** From /proc/sys/fs/inotify; undefined when unreadable (not Linux: Docker Desktop's VM has its own). */
    maxUserWatches?: number;
    maxUserInstances?: number;
}

/** This host's memory and inotify limits. */
export function readHostFacts(): HostFacts & { availableMemoryBytes: number } {
    return {
        totalMemoryBytes: os.totalmem(),
        availableMemoryBytes: os.freemem(),
        maxUserWatches: readNumber("/proc/sys/fs/inotify/max_user_watches"),
        maxUserInstances: readNumber("/proc/sys/fs/inotify/max_user_instances"),
    };
}

function readNumber(file: string): number | undefined {
    try {
        const n = Number(fs.readFileSync(file, "utf8").trim());
        return Number.isFinite(n) ? n : undefined;
    } catch {
        return undefined;
    }
}

export interface MemoryFit {
    neededMb: number;
    totalMb: number;
    availableMb?: number;
    /** How many kind clusters this host's memory holds (its share for kind, KIND_MEMORY_SHARE). */
    room: number;
    /**
     * `too-small`: more than the host has in all; `tight`: more than its share for kind; `short-now`:
     * within the share but more than is free now; `fits`.
     */
    verdict: "fits" | "short-now" | "tight" | "too-small";
}

/** Whether `clusters` kind clusters fit in this host's memory. */
export function kindMemoryFit(clusters: number, host: HostFacts): MemoryFit {
    const neededMb = clusters * MEMORY_PER_CLUSTER_MB;
    const totalMb = toMb(host.totalMemoryBytes);
    const availableMb = host.availableMemoryBytes === undefined ? undefined : toMb(host.availableMemoryBytes);
    const room = Math.floor((totalMb * KIND_MEMORY_SHARE) / MEMORY_PER_CLUSTER_MB);
    const verdict =
        neededMb > totalMb
            ? "too-small"
            : neededMb > totalMb * KIND_MEMORY_SHARE
              ? "tight"
              : availableMb !== undefined && neededMb > availableMb
                ? "short-now"
                : "fits";
    return { neededMb, totalMb, ...(availableMb === undefined ? {} : { availableMb }), room, verdict };
}

export interface InotifyFit {
    neededInstances: number;
    maxUserInstances: number;
    /** How many single-node kind clusters the limit holds. */
    room: number;
}

/** Whether `clusters` single-node kind clusters fit this host's inotify instances; undefined when unreadable. */
export function kindInotifyFit(clusters: number, host: HostFacts): InotifyFit | undefined {
    if (host.maxUserInstances === undefined) return undefined;
    return {
        neededInstances: clusters * INOTIFY_INSTANCES_PER_CLUSTER,
        maxUserInstances: host.maxUserInstances,
        room: Math.floor(host.maxUserInstances / INOTIFY_INSTANCES_PER_CLUSTER),
    };
}

/**
 * The rule the doctor judges a class by and the classroom refuses one by: `clusters` kind clusters
 * fit when both the host's share of memory for kind and its inotify instances hold them.
 */
export interface KindClassFit {
    clusters: number;
    memory: MemoryFit;
    inotify?: InotifyFit;
    /** How many clusters the host holds by both rules. */
    room: number;
    fits: boolean;
}

export function kindClassFit(clusters: number, host: HostFacts): KindClassFit {
    const memory = kindMemoryFit(clusters, host);
    const inotify = kindInotifyFit(clusters, host);
    const room = Math.min(memory.room, inotify?.room ?? Infinity);
    return { clusters, memory, ...(inotify ? { inotify } : {}), room, fits: clusters <= room };
}

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

/** The sysctl command that raises both inotify limits to kind's advice (until reboot). */
export const RAISE_INOTIFY =
    `sudo sysctl fs.inotify.max_user_watches=${KIND_INOTIFY.maxUserWatches} ` +
    `fs.inotify.max_user_instances=${KIND_INOTIFY.maxUserInstances}`;

/** The sysctl command that holds `clusters` clusters: kind's advice, or more instances when a class needs them. */
export function raiseInotifyFor(clusters: number): string {
    const instances = Math.max(KIND_INOTIFY.maxUserInstances, clusters * INOTIFY_INSTANCES_PER_CLUSTER);
    return (
        `sudo sysctl fs.inotify.max_user_watches=${KIND_INOTIFY.maxUserWatches} ` +
        `fs.inotify.max_user_instances=${instances}`
    );
}

function toMb(bytes: number): number {
    return Math.round(bytes / 1024 / 1024);
}
