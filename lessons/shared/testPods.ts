import type { V1ContainerStatus, V1Pod, V1ResourceQuota } from "@kubernetes/client-node";
import { Fetched, LessonReader } from "./reader";

/** Live objects as @kubernetes/client-node returns them (timestamps as Dates), trimmed to what the judges read. */
export const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 10, 0, second));

export function pod(
    name: string,
    inits: V1ContainerStatus[],
    containers: V1ContainerStatus[],
    phase = "Pending",
): V1Pod {
    return {
        metadata: { name },
        // The spec names the containers the statuses do, as the API server's Pod always does.
        spec: {
            initContainers: inits.map((s) => ({ name: s.name })),
            containers: containers.map((s) => ({ name: s.name })),
        },
        status: { phase, initContainerStatuses: inits, containerStatuses: containers },
    };
}

export const waiting = (name: string, reason: string, extra: Partial<V1ContainerStatus> = {}): V1ContainerStatus => ({
    name,
    image: "busybox:1.37.0",
    imageID: "",
    ready: false,
    restartCount: 0,
    state: { waiting: { reason } },
    ...extra,
});

export const running = (name: string, startedAt: Date, extra: Partial<V1ContainerStatus> = {}): V1ContainerStatus => ({
    ...waiting(name, ""),
    state: { running: { startedAt } },
    ...extra,
});

export const terminated = (
    name: string,
    exitCode: number,
    startedAt: Date,
    finishedAt: Date,
    extra: Partial<V1ContainerStatus> = {},
): V1ContainerStatus => ({
    ...waiting(name, ""),
    state: { terminated: { exitCode, startedAt, finishedAt, reason: exitCode === 0 ? "Completed" : "Error" } },
    ...extra,
});

/**
 * A fake {@link LessonReader}: one Pod (or `pods` by name), the Pods a selector picks, a Service
 * that exists or not, a ResourceQuota, a log and a page; every call is recorded.
 */
export function fakeLessonReader(
    podState: V1Pod | undefined,
    world: {
        pods?: Record<string, V1Pod>;
        labelled?: V1Pod[];
        serviceExists?: boolean;
        quota?: V1ResourceQuota;
        log?: string;
        page?: Fetched;
    } = {},
): LessonReader & { calls: string[] } {
    const calls: string[] = [];
    return {
        calls,
        pod: async (name) => (calls.push(`pod ${name}`), world.pods ? world.pods[name] : podState),
        podsByLabel: async (selector) => (calls.push(`pods ${selector}`), world.labelled ?? []),
        resourceQuota: async (name) => (calls.push(`quota ${name}`), world.quota),
        service: async (name) => (
            calls.push(`service ${name}`),
            world.serviceExists ? { metadata: { name } } : undefined
        ),
        observeJob: async (name) => (calls.push(`job ${name}`), { name, job: undefined, pods: [] }),
        log: async (p, container, tailLines) => (calls.push(`log ${p}/${container} ${tailLines}`), world.log ?? ""),
        fetch: async (p, container, port, path) => (
            calls.push(`fetch ${p}/${container} :${port}/${path}`),
            world.page ?? { ok: false, error: "no page" }
        ),
        eventCount: async (name, reason) => (calls.push(`events ${name} ${reason}`), 0),
    };
}
