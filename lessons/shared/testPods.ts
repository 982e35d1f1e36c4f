import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";

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
        spec: { containers: [] },
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
