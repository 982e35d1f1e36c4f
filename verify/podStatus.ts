import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { time } from "./model";

/**
 * A Pod's line as `kubectl get pod` prints it (NAME READY STATUS RESTARTS AGE), learnt from
 * kubectl's Pod printer: native sidecars (init containers with `restartPolicy: Always`) count in
 * READY, an init step that has not finished shows as `Init:<done>/<all>` or `Init:<reason>`, and
 * a Pod being deleted shows `Terminating`. The one place these are computed: verify's checks and
 * explanations, the lessons' judges and the timeline all read them here. Pure: `now` is the caller's clock.
 */

export interface KubectlLine {
    name: string;
    /** `2/2`: ready containers over all, native sidecars included. */
    ready: string;
    /** `Init:0/1`, `PodInitializing`, `Init:CrashLoopBackOff`, `Running`, `Completed`, `Terminating`, ... */
    status: string;
    restarts: number;
    /** `3 (12s ago)` when a container restarted, else the bare count. */
    restartsText: string;
    /** `45s`, `3m10s`, as kubectl's AGE column. */
    age: string;
}

/** Whether the Pod's init container `name` is a native sidecar, kept running beside the app (`restartPolicy: Always`). */
export function isNativeSidecar(pod: V1Pod | null | undefined, name: string): boolean {
    return pod?.spec?.initContainers?.some((c) => c.name === name && c.restartPolicy === "Always") ?? false;
}

/** kubectl's human duration (AGE, "ago"): seconds up to 2 minutes, then coarser. */
export function humanDuration(ms: number): string {
    const seconds = Math.floor(ms / 1000);
    if (seconds < -1) return "<invalid>";
    if (seconds < 0) return "0s";
    if (seconds < 120) return `${seconds}s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
    if (minutes < 180) return `${minutes}m`;
    const hours = Math.floor(minutes / 60);
    if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
    if (hours < 48) return `${hours}h`;
    const days = Math.floor(hours / 24);
    if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
    if (hours < 24 * 365 * 2) return `${days}d`;
    const years = Math.floor(days / 365);
    if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
    return `${years}y`;
}

const conditionTrue = (pod: V1Pod, type: string) =>
    pod.status?.conditions?.some((c) => c.type === type && c.status === "True") ?? false;

/** When a container's previous run ended, if it has one. */
const lastEnded = (status: V1ContainerStatus) => time(status.lastState?.terminated?.finishedAt);

/** What a terminated container says, as kubectl words it (`Error`, `Completed`, `ExitCode:2`, `Signal:9`). */
function terminatedReason(terminated: NonNullable<V1ContainerStatus["state"]>["terminated"]): string {
    if (!terminated) return "";
    if (terminated.reason) return terminated.reason;
    return terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
}

/** READY, STATUS and RESTARTS, which need no clock; and when a container last restarted. */
export type PodStatus = Pick<KubectlLine, "ready" | "status" | "restarts"> & { lastRestart?: number };

export function podStatus(pod: V1Pod): PodStatus {
    const spec = pod.spec;
    const status = pod.status ?? {};
    const inits = spec?.initContainers ?? [];
    const total = (spec?.containers ?? []).length + inits.filter((c) => isNativeSidecar(pod, c.name)).length;
    let ready = 0;
    let restarts = 0;
    let sidecarRestarts = 0;
    let lastRestart: number | undefined;
    let lastSidecarRestart: number | undefined;
    const later = (a: number | undefined, b: number | undefined) =>
        a === undefined ? b : b === undefined ? a : Math.max(a, b);

    let reason = status.reason || status.phase || "";
    if (status.conditions?.some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) {
        reason = "SchedulingGated";
    }

    let initializing = false;
    const initStatuses = status.initContainerStatuses ?? [];
    for (const [index, container] of initStatuses.entries()) {
        restarts += container.restartCount;
        lastRestart = later(lastRestart, lastEnded(container));
        const native = isNativeSidecar(pod, container.name);
        if (native) {
            sidecarRestarts += container.restartCount;
            lastSidecarRestart = later(lastSidecarRestart, lastEnded(container));
        }
        const terminated = container.state?.terminated;
        const waiting = container.state?.waiting;
        if (terminated && terminated.exitCode === 0) continue;
        if (native && container.started) {
            if (container.ready) ready++;
            continue;
        }
        if (terminated) reason = `Init:${terminatedReason(terminated)}`;
        else if (waiting?.reason && waiting.reason !== "PodInitializing") reason = `Init:${waiting.reason}`;
        else reason = `Init:${index}/${inits.length}`;
        initializing = true;
        break;
    }

    if (!initializing || conditionTrue(pod, "Initialized")) {
        // Once initialized, only the native sidecars' restarts count beside the app containers'.
        restarts = sidecarRestarts;
        lastRestart = lastSidecarRestart;
        let hasRunning = false;
        const statuses = status.containerStatuses ?? [];
        // kubectl walks them last to first, so the first container's reason wins.
        for (const container of [...statuses].reverse()) {
            restarts += container.restartCount;
            lastRestart = later(lastRestart, lastEnded(container));
            const { waiting, terminated, running } = container.state ?? {};
            if (waiting?.reason) reason = waiting.reason;
            else if (terminated) reason = terminatedReason(terminated);
            else if (container.ready && running) {
                hasRunning = true;
                ready++;
            }
        }
        if (reason === "Completed" && hasRunning) reason = conditionTrue(pod, "Ready") ? "Running" : "NotReady";
    }

    if (pod.metadata?.deletionTimestamp) {
        if (status.reason === "NodeLost") reason = "Unknown";
        else if (status.phase !== "Succeeded" && status.phase !== "Failed") reason = "Terminating";
    }
    return { ready: `${ready}/${total}`, status: reason, restarts, lastRestart };
}

export function kubectlLine(pod: V1Pod, now: number): KubectlLine {
    const { ready, status, restarts, lastRestart } = podStatus(pod);
    const created = time(pod.metadata?.creationTimestamp);
    return {
        name: pod.metadata?.name ?? "",
        ready,
        status,
        restarts,
        restartsText:
            restarts !== 0 && lastRestart !== undefined
                ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
                : String(restarts),
        age: created === undefined ? "<unknown>" : humanDuration(now - created),
    };
}

const COLUMNS = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"] as const;

/** Lines as kubectl aligns them: a header, then one row per Pod, columns three spaces apart. */
export function kubectlTable(lines: readonly KubectlLine[]): string[] {
    const rows = [[...COLUMNS], ...lines.map((l) => [l.name, l.ready, l.status, l.restartsText, l.age])] as string[][];
    const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) =>
        r
            .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] + 3)))
            .join("")
            .trimEnd(),
    );
}
