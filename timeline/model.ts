import type { CoreV1Event, V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { describeState, iso, seconds, time } from "../verify/model";
import { KubectlLine, isNativeSidecar, kubectlLine } from "../verify/podStatus";

/**
 * The timeline's model: per Pod, per container, each run ("attempt") from its start to its end,
 * read from the container statuses (the current run and the previous one) and the Pod's events
 * (Started, Killing, BackOff). A watch sees every status change, so {@link AttemptMemory} keeps
 * the runs a status no longer shows: a crash-looping init step keeps each failed run as its own bar.
 * Pure: every function takes the clock it needs.
 */

export type Role = "init" | "sidecar" | "native-sidecar" | "app";

/** One run of a container. */
export interface Attempt {
    /** ms since the epoch. */
    start: number;
    /** Absent while it runs. */
    end?: number;
    exitCode?: number;
    /** `Completed`, `Error`, `OOMKilled`, ... */
    reason?: string;
    /** It ended badly: a non-zero exit, or an init step that had to run again (its exit code forgotten). */
    failed?: boolean;
}

/** Something that happened to a container at one time, beside its runs. */
export interface Mark {
    at: number;
    kind: "restart" | "back-off" | "killing";
}

export interface ContainerTimeline {
    name: string;
    role: Role;
    /** The first run's start, if it ever started. */
    start?: number;
    /** The last run's end, when it is not running (nor waiting to run again). */
    end?: number;
    exitCode?: number;
    restarts: number;
    /** `running`, `waiting (CrashLoopBackOff)`, `terminated (Completed)`, `not started`. */
    state: string;
    attempts: Attempt[];
    marks: Mark[];
}

export interface PodTimeline {
    name: string;
    /** The lesson the Pod belongs to (`failing-init`), or the guide's Pod (`init-demo`, `sidecar-demo`). */
    lesson?: string;
    phase: string;
    kubectl: KubectlLine;
    /** When the API server created the Pod: the axis' zero. */
    createdAt: number;
    containers: ContainerTimeline[];
    /** One sentence of what to notice, from the data. */
    notice: string;
}

/** Runs seen earlier, by `namespace/pod/container`: a status shows only the current and the previous. */
export class AttemptMemory {
    private readonly seen = new Map<string, Map<number, Attempt>>();

    /** Adds these runs to what was seen; returns every run known, oldest first. */
    remember(key: string, attempts: readonly Attempt[]): Attempt[] {
        let known = this.seen.get(key);
        if (!known) this.seen.set(key, (known = new Map()));
        // A run is known by its start; a later look may know its end.
        for (const attempt of attempts) known.set(attempt.start, { ...known.get(attempt.start), ...attempt });
        return [...known.values()].sort((a, b) => a.start - b.start);
    }

    forget(keyPrefix: string): void {
        for (const key of [...this.seen.keys()]) if (key.startsWith(keyPrefix)) this.seen.delete(key);
    }
}

/** The runs a container status shows: the previous (lastState) and the current. */
export function attemptsOf(status: V1ContainerStatus | undefined): Attempt[] {
    const attempts: Attempt[] = [];
    const last = status?.lastState?.terminated;
    const lastStart = time(last?.startedAt);
    if (last && lastStart !== undefined) {
        attempts.push({ start: lastStart, end: time(last.finishedAt), exitCode: last.exitCode, reason: last.reason });
    }
    const running = status?.state?.running;
    const terminated = status?.state?.terminated;
    const start = time(running?.startedAt ?? terminated?.startedAt);
    if (start !== undefined) {
        attempts.push(
            terminated
                ? { start, end: time(terminated.finishedAt), exitCode: terminated.exitCode, reason: terminated.reason }
                : { start },
        );
    }
    return attempts;
}

/** The container an event is about, from its field path (`spec.initContainers{init-container}`). */
export function eventContainer(event: CoreV1Event): string | undefined {
    return /^spec\.(?:initContainers|containers)\{(.+)\}$/.exec(event.involvedObject?.fieldPath ?? "")?.[1];
}

/** When an event happened, first and last (the API server folds repeats into one event with a count). */
function eventTimes(event: CoreV1Event): number[] {
    const first = time(event.firstTimestamp ?? event.eventTime);
    const last = time(event.lastTimestamp ?? event.series?.lastObservedTime);
    return [...new Set([first, last].filter((t): t is number => t !== undefined))];
}

const MARK_OF: Record<string, Mark["kind"]> = { BackOff: "back-off", Killing: "killing" };

/** Back-off and kill marks from the Pod's events, and a restart mark at each run's start but the first. */
export function marksOf(container: string, attempts: readonly Attempt[], events: readonly CoreV1Event[]): Mark[] {
    const marks: Mark[] = attempts.slice(1).map((a) => ({ at: a.start, kind: "restart" }));
    for (const event of events) {
        const kind = MARK_OF[event.reason ?? ""];
        if (!kind || eventContainer(event) !== container) continue;
        for (const at of eventTimes(event)) marks.push({ at, kind });
    }
    return marks.sort((a, b) => a.at - b.at);
}

/**
 * Runs the statuses no longer show, from the Started events: the first run's start when the
 * container restarted more often than the status and memory know. Its end is unknown, so it
 * is a run of no length (a mark on the bar), never an invented bar.
 */
function earlierStart(container: string, attempts: readonly Attempt[], events: readonly CoreV1Event[]) {
    const first = attempts[0]?.start;
    const starts = events
        .filter((e) => e.reason === "Started" && eventContainer(e) === container)
        .flatMap(eventTimes)
        .filter((t) => first === undefined || t < first - 1000);
    return starts.length > 0 ? Math.min(...starts) : undefined;
}

/** What a container is doing, in verify's words: "running", "terminated (exit 0)", "waiting (CrashLoopBackOff)". */
export function stateOf(status: V1ContainerStatus | undefined): string {
    return describeState(status?.state);
}

/**
 * The role of each container. The lab's Pods list the app first (components/podDefaults.ts
 * placeSidecar), so a further container beside it is a classic sidecar.
 */
export function rolesOf(pod: V1Pod): { name: string; role: Role }[] {
    return [
        ...(pod.spec?.initContainers ?? []).map((c) => ({
            name: c.name,
            role: (isNativeSidecar(pod, c.name) ? "native-sidecar" : "init") as Role,
        })),
        ...(pod.spec?.containers ?? []).map((c, i) => ({ name: c.name, role: (i === 0 ? "app" : "sidecar") as Role })),
    ];
}

/** The lesson label of the lab's Pods (components/podDefaults.ts demoPodLabels). */
export const COMPONENT_LABEL = "app.kubernetes.io/component";

export function lessonOf(pod: V1Pod): string | undefined {
    const component = pod.metadata?.labels?.[COMPONENT_LABEL];
    return component?.startsWith("lesson-") ? component.slice("lesson-".length) : component;
}

/** One Pod's timeline; `memory` keeps runs across looks (a watch), `events` are the namespace's. */
export function podTimeline(
    pod: V1Pod,
    events: readonly CoreV1Event[],
    now: number,
    memory: AttemptMemory = new AttemptMemory(),
): PodTimeline {
    const name = pod.metadata?.name ?? "";
    const uid = pod.metadata?.uid;
    const own = events.filter((e) => e.involvedObject?.name === name && (!uid || e.involvedObject.uid === uid));
    const statuses = new Map(
        [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].map((s) => [
            s.name,
            s,
        ]),
    );
    const containers = rolesOf(pod).map(({ name: container, role }): ContainerTimeline => {
        const status = statuses.get(container);
        const attempts = memory.remember(`${pod.metadata?.namespace}/${name}/${container}`, attemptsOf(status));
        const earlier = earlierStart(container, attempts, own);
        if (earlier !== undefined) attempts.unshift({ start: earlier, end: earlier });
        attempts.forEach((a, i) => {
            a.failed = (a.exitCode !== undefined && a.exitCode !== 0) || (role === "init" && i < attempts.length - 1);
        });
        const last = attempts[attempts.length - 1];
        const terminated = status?.state?.terminated;
        return {
            name: container,
            role,
            start: attempts[0]?.start,
            // A container waiting to run again (a back-off) has not ended: its life goes on.
            end: terminated ? last?.end : undefined,
            exitCode: terminated?.exitCode ?? status?.lastState?.terminated?.exitCode,
            restarts: status?.restartCount ?? 0,
            state: stateOf(status),
            attempts,
            marks: marksOf(container, attempts, own),
        };
    });
    // Start order; the ones that never started keep the spec's order, last.
    const order = (c: ContainerTimeline) => c.start ?? Number.MAX_SAFE_INTEGER;
    containers.sort((a, b) => order(a) - order(b));
    const createdAt = time(pod.metadata?.creationTimestamp) ?? now;
    const timeline: Omit<PodTimeline, "notice"> = {
        name,
        lesson: lessonOf(pod),
        phase: pod.status?.phase ?? "Unknown",
        kubectl: kubectlLine(pod, now),
        createdAt,
        containers,
    };
    return { ...timeline, notice: noticeOf(timeline, now) };
}

/** The one thing to notice about a Pod, from what its timeline shows. */
export function noticeOf(pod: Omit<PodTimeline, "notice">, now: number): string {
    const byRole = (role: Role) => pod.containers.filter((c) => c.role === role);
    const [app] = byRole("app");
    const inits = byRole("init");
    const natives = byRole("native-sidecar");
    const sidecars = byRole("sidecar");
    const failing = inits.find((c) => c.attempts.some((a) => a.failed));
    if (failing && app?.start === undefined) {
        // Every run but a current one failed: the restarts count them, where the statuses forgot some.
        const runs = Math.max(failing.attempts.length, failing.restarts + (failing.state === "running" ? 0 : 1));
        return (
            `${failing.name} failed ${runs === 1 ? "once" : `${runs} times`}` +
            `${failing.exitCode !== undefined ? ` (exit ${failing.exitCode})` : ""}, so ${app?.name ?? "the app"} never started.`
        );
    }
    const lastInit = inits[inits.length - 1];
    if (lastInit && app) {
        if (lastInit.end === undefined || app.start === undefined) {
            return lastInit.start === undefined
                ? `${lastInit.name} has not started yet; ${app.name} waits for it.`
                : `${lastInit.name} runs; ${app.name} waits until it finishes.`;
        }
        return `${app.name} started ${seconds(app.start - lastInit.end)} after ${lastInit.name} finished.`;
    }
    const native = natives[0];
    if (native && app && native.start !== undefined && app.start !== undefined) {
        const before = `${native.name} started ${seconds(app.start - native.start)} before ${app.name}`;
        if (app.end === undefined) return `${before} and runs beside it.`;
        if (native.end !== undefined) return `${before} and stopped ${seconds(native.end - app.end)} after it.`;
        return `${before}; ${app.name} ended, ${native.name} is being stopped.`;
    }
    const sidecar = sidecars[0];
    if (sidecar && app && sidecar.start !== undefined && app.start !== undefined) {
        if (app.end !== undefined && sidecar.end === undefined) {
            return `${app.name} ended ${seconds(now - app.end)} ago, ${sidecar.name} runs on: the Pod never completes.`;
        }
        return `${sidecar.name} runs beside ${app.name}: they started ${seconds(sidecar.start - app.start)} apart.`;
    }
    const started = pod.containers.filter((c) => c.start !== undefined).length;
    return started === 0
        ? `No container has started yet (${pod.kubectl.status}).`
        : `${started} of ${pod.containers.length} containers started.`;
}

/** The timeline as `--json` prints it: ISO times, every field always present. */
export function timelineJson(pods: readonly PodTimeline[]) {
    return pods.map((pod) => ({
        name: pod.name,
        lesson: pod.lesson ?? null,
        phase: pod.phase,
        status: pod.kubectl.status,
        ready: pod.kubectl.ready,
        restarts: pod.kubectl.restarts,
        createdAt: iso(pod.createdAt),
        notice: pod.notice,
        containers: pod.containers.map((c) => ({
            name: c.name,
            role: c.role,
            start: iso(c.start),
            end: iso(c.end),
            exitCode: c.exitCode ?? null,
            restarts: c.restarts,
            state: c.state,
            attempts: c.attempts.map((a) => ({
                start: iso(a.start),
                end: iso(a.end),
                exitCode: a.exitCode ?? null,
                failed: a.failed ?? false,
            })),
        })),
    }));
}
