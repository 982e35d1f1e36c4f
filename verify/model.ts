import type { CoreV1Event, KubeConfig, V1ContainerState, V1ContainerStatus, V1Pod } from "@kubernetes/client-node";

/**
 * The check model every verify check follows (the lab's own in checks.ts, a
 * lesson's wired in lessonsLive.ts from lessons/<name>/read.ts and judge.ts): an id, a description, a timeout, a judge that is a
 * pure function of what was observed, and an explainer for when it fails.
 * The runner (run.ts) polls the cluster through an Observer until each check
 * passes or its timeout ends; nothing here talks to a cluster.
 */

/** A value worth keeping in a report: what the judge saw. */
export type ObservedValue = string | number | boolean | null;

export interface Verdict {
    ok: boolean;
    /** One sentence a learner understands. */
    message: string;
    /** What the judge read to decide, for the JSON report (`phase`, `mainStartedAt`, ...). */
    observed: Record<string, ObservedValue>;
    /** A failure that waiting cannot fix (the order already went wrong): stop polling this check. */
    final?: boolean;
}

/** Two reads of one container's log: the first the observer made, and the latest. */
export interface LogSamples {
    first: { text: string; at: number };
    latest: { text: string; at: number };
}

/** One look at the cluster, as the judges and explainers see it. */
export interface ObservedState {
    /** When this observation was made (ms since the epoch). */
    at: number;
    namespace: string;
    /** The Pods the checks named; null when the API server says there is no such Pod. */
    pods: Record<string, V1Pod | null>;
    /** The logs the checks asked for, by `pod/container`; absent until the container could be read. */
    logs: Record<string, LogSamples>;
    /** What each check's own `fetch` returned, by check id (a Service, a Job, a page through the Pod proxy). */
    fetched?: Record<string, unknown>;
    /** Evidence for explanations, gathered once a check fails: the Pods' events, oldest first. */
    events?: CoreV1Event[];
    /** ... and the last lines of each started container's log, by `pod/container`. */
    tails?: Record<string, string[]>;
}

/** A container's log a check reads. */
export interface LogRef {
    pod: string;
    container: string;
    /**
     * For a verify that looks once (the class dashboard): how far back, in seconds, the first
     * sample is taken from the log's own timestamps instead of an earlier read, so a judge that
     * compares two reads needs no wait. A polling verify ignores it.
     */
    lookBackSeconds?: number;
}

export const logKey = (ref: LogRef): string => `${ref.pod}/${ref.container}`;

/** What a check's `fetch` may use: the lab's cluster and namespace. */
export interface ClusterAccess {
    kubeConfig: KubeConfig;
    namespace: string;
    /** The Pods this poll already read (null: not there), so a check's fetch does not read them again. */
    pods?: Readonly<Record<string, V1Pod | null>>;
}

export interface Check {
    /** Stable, dotted, for reports and CI: `init-pod.init-completed`. */
    id: string;
    /** What the check proves, one line. */
    description: string;
    /** How long to poll before the check fails (--timeout overrides every check's). */
    timeoutSeconds: number;
    /** The Pods the judge reads: the observer fetches them, the explainer describes them. */
    pods: readonly string[];
    /** Container logs the judge reads (sampled at every poll). */
    logs?: readonly LogRef[];
    /**
     * Reads anything else the judge needs, at every poll; the result is `state.fetched[id]`. The one
     * impure part a check may have, kept apart so the judge stays a pure function of what it returns.
     * Return null for an object that does not exist (yet); a thrown error means the cluster cannot be read.
     */
    fetch?: (cluster: ClusterAccess) => Promise<unknown>;
    judge: (state: ObservedState) => Verdict;
    /** What to say when the check fails; defaults to {@link explainPods} over `pods` (explain.ts). */
    explain?: (state: ObservedState, verdict: Verdict) => Explanation;
}

/** A container as the explanation shows it. */
export interface ContainerReport {
    name: string;
    /** "init" for an init container (a native sidecar included), else "app". */
    kind: "init" | "app";
    image?: string;
    /** running, waiting, terminated, not started. */
    state: string;
    /** ErrImagePull, CrashLoopBackOff, OOMKilled, Completed, ... */
    reason?: string;
    message?: string;
    exitCode?: number;
    restarts: number;
    /** The reason the previous run ended (a crash loop's OOMKilled shows here). */
    lastReason?: string;
    lastExitCode?: number;
}

export interface EventReport {
    type: string;
    reason: string;
    message: string;
    count: number;
    /** ISO time of the last occurrence, when known. */
    at?: string;
}

export interface PodReport {
    name: string;
    found: boolean;
    phase?: string;
    /** READY, STATUS and RESTARTS as `kubectl get pod` prints them (podStatus.ts): `1/2`, `Init:CrashLoopBackOff`, 3. */
    ready?: string;
    status?: string;
    restarts?: number;
    /** `Ready False (ContainersNotReady)`, ... */
    conditions: string[];
    containers: ContainerReport[];
    events: EventReport[];
    /** The last log lines of each started container. */
    logs: { container: string; lines: string[] }[];
}

export interface Explanation {
    pods: PodReport[];
    /** The one most likely fix. */
    hint: string;
}

/** Milliseconds since the epoch of an API time (a Date from the client, or an ISO string); undefined if absent. */
export function time(value: string | Date | undefined | null): number | undefined {
    if (value === undefined || value === null) return undefined;
    const ms = value instanceof Date ? value.getTime() : Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
}

export function iso(ms: number | undefined): string | null {
    return ms === undefined ? null : new Date(ms).toISOString();
}

/** HH:MM:SS (UTC) of a time (milliseconds or an API time), for messages; a missing one says so. */
export function clock(value: number | string | Date | undefined | null): string {
    const ms = typeof value === "number" ? value : time(value);
    return ms === undefined ? "an unknown time" : new Date(ms).toISOString().slice(11, 19);
}

/**
 * How long, for messages, from milliseconds: "12 s", "1.5 s" (a tenth at most). The size only: the
 * sentence says which way ("before", "after", "apart").
 */
export function seconds(ms: number): string {
    return `${Math.round(Math.abs(ms) / 100) / 10} s`;
}

/**
 * What a container is doing, for messages: "running", "waiting (ImagePullBackOff)",
 * "terminated (exit 1)", "terminated (exit 137, OOMKilled)". The exit code is always there (a
 * lesson's failure is an exit code); the reason is added when it says more than "Error" or "Completed".
 */
export function describeState(state: V1ContainerState | undefined): string {
    if (state?.running) return "running";
    if (state?.terminated) {
        const { exitCode, reason } = state.terminated;
        const extra = reason && reason !== "Error" && reason !== "Completed" ? `, ${reason}` : "";
        return `terminated (exit ${exitCode}${extra})`;
    }
    if (state?.waiting) return `waiting (${state.waiting.reason ?? "no reason given"})`;
    return "not started";
}

/** Every container status of a Pod, init containers first. */
export function allStatuses(pod: V1Pod | null | undefined): V1ContainerStatus[] {
    return [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])];
}

/** Non-empty lines of a log. */
export function logLines(text: string): string[] {
    return text.split("\n").filter((l) => l.trim() !== "");
}

/**
 * Two samples of a log from one read made with the API server's timestamps (`timestamps=true`: each
 * line starts with an RFC 3339 time): the latest, as read at `at` without the times, and the first,
 * as a read `lookBackMs` earlier would have seen it (the lines stamped by then).
 */
export function samplesFromTimestamped(text: string, at: number, lookBackMs: number): LogSamples {
    const lines = logLines(text).map((line) => {
        const space = line.indexOf(" ");
        const stamp = space < 0 ? line : line.slice(0, space);
        return { at: time(stamp), text: space < 0 ? "" : line.slice(space + 1) };
    });
    const join = (list: typeof lines) => list.map((l) => `${l.text}\n`).join("");
    const before = at - lookBackMs;
    return {
        first: { text: join(lines.filter((l) => l.at !== undefined && l.at <= before)), at: before },
        latest: { text: join(lines), at },
    };
}

/** When the earliest of the observed Pods started (status.startTime), if any did. */
export function podsStartedAt(state: ObservedState | undefined): number | undefined {
    const starts = Object.values(state?.pods ?? {})
        .map((pod) => time(pod?.status?.startTime))
        .filter((t): t is number => t !== undefined);
    return starts.length > 0 ? Math.min(...starts) : undefined;
}
