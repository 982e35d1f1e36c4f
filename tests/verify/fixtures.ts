import type { CoreV1Event, V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { ObservedState } from "../../verify/model";

/**
 * Live objects as @kubernetes/client-node returns them (times are Dates),
 * trimmed to what the judges and explainers read, with the states a broken
 * lab shows: an image that cannot be pulled, a crash loop, an OOM kill.
 */

export const T0 = Date.parse("2026-11-25T10:00:00Z");
export const at = (seconds: number) => new Date(T0 + seconds * 1000);

export const running = (name: string, startedAtS = 2, restartCount = 0): V1ContainerStatus => ({
    name,
    image: "busybox:1.37.0",
    imageID: "",
    ready: true,
    restartCount,
    state: { running: { startedAt: at(startedAtS) } },
});

export const completed = (name: string, startedS: number, finishedS: number, exitCode = 0): V1ContainerStatus => ({
    name,
    image: "busybox:1.37.0",
    imageID: "",
    ready: false,
    restartCount: 0,
    state: {
        terminated: {
            exitCode,
            reason: exitCode === 0 ? "Completed" : "Error",
            startedAt: at(startedS),
            finishedAt: at(finishedS),
        },
    },
});

export const waiting = (name: string, reason: string, message?: string, restartCount = 0): V1ContainerStatus => ({
    name,
    image: "busybox:1.37.0",
    imageID: "",
    ready: false,
    restartCount,
    state: { waiting: { reason, message } },
});

/** The init Pod: init container done at `initFinishedS`, main running since `mainStartedS` (or waiting). */
export function initPod(initFinishedS: number, mainStartedS: number | undefined, exitCode = 0): V1Pod {
    return {
        metadata: { name: "init-test", namespace: "lab-dev", creationTimestamp: at(0) },
        spec: {
            initContainers: [{ name: "init-container", image: "busybox:1.37.0" }],
            containers: [{ name: "main-container", image: "busybox:1.37.0" }],
        },
        status: {
            phase: mainStartedS === undefined ? "Pending" : "Running",
            startTime: at(0),
            initContainerStatuses: [completed("init-container", 1, initFinishedS, exitCode)],
            containerStatuses: [
                mainStartedS === undefined
                    ? waiting("main-container", "PodInitializing")
                    : running("main-container", mainStartedS),
            ],
        },
    };
}

/** An init Pod whose image cannot be pulled, as the kubelet reports it. */
export function imagePullPod(reason = "ImagePullBackOff", image = "busybox:no-such-tag"): V1Pod {
    return {
        metadata: { name: "init-test", namespace: "lab-dev", creationTimestamp: at(0) },
        spec: {
            initContainers: [{ name: "init-container", image }],
            containers: [{ name: "main-container", image }],
        },
        status: {
            phase: "Pending",
            startTime: at(0),
            conditions: [
                { type: "Initialized", status: "False", reason: "ContainersNotInitialized" },
                { type: "Ready", status: "False", reason: "ContainersNotReady" },
                { type: "PodScheduled", status: "True" },
            ],
            initContainerStatuses: [
                { ...waiting("init-container", reason, `Back-off pulling image "${image}"`), image },
            ],
            containerStatuses: [{ ...waiting("main-container", "PodInitializing"), image }],
        },
    };
}

export const classicSidecarPod = (sidecar: V1ContainerStatus = running("sidecar-container")): V1Pod => ({
    metadata: { name: "sidecar-test", namespace: "lab-dev", creationTimestamp: at(0) },
    spec: {
        containers: [
            { name: "main-container", image: "busybox:1.37.0" },
            { name: "sidecar-container", image: "busybox:1.37.0" },
        ],
    },
    status: { phase: "Running", startTime: at(0), containerStatuses: [running("main-container"), sidecar] },
});

export const nativeSidecarPod = (): V1Pod => ({
    metadata: { name: "sidecar-test", namespace: "lab-dev" },
    spec: {
        initContainers: [{ name: "sidecar-container", restartPolicy: "Always" }],
        containers: [{ name: "main-container" }],
    },
    status: {
        phase: "Running",
        initContainerStatuses: [running("sidecar-container", 1)],
        containerStatuses: [running("main-container")],
    },
});

export function event(
    pod: string,
    reason: string,
    message: string,
    atS: number,
    type = "Warning",
    count = 1,
): CoreV1Event {
    return {
        metadata: { name: `${pod}.${reason}.${atS}` },
        involvedObject: { kind: "Pod", name: pod, namespace: "lab-dev" },
        reason,
        message,
        type,
        count,
        lastTimestamp: at(atS),
    };
}

/** An observation of the lab's two Pods, and optionally the sidecar's log read twice. */
export function state(
    pods: Partial<Record<"init-test" | "sidecar-test", V1Pod | null>>,
    sidecarLog?: [string, string, number],
    evidence: Pick<ObservedState, "events" | "tails"> = {},
): ObservedState {
    const s: ObservedState = { at: T0 + 60_000, namespace: "lab-dev", pods: { ...pods }, logs: {}, ...evidence };
    if (sidecarLog) {
        const [before, after, seconds] = sidecarLog;
        s.logs["sidecar-test/sidecar-container"] = {
            first: { text: before, at: T0 },
            latest: { text: after, at: T0 + seconds * 1000 },
        };
    }
    return s;
}
