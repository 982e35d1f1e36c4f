import type { CoreV1Event, V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { T0, at, completed, running, waiting } from "../verify/fixtures";

/**
 * The lab's Pods at moments of their lives, as the API server returns them (times are Dates),
 * for the timeline: each moment a learner would watch for.
 */

export { T0, at };
export const seconds = (s: number) => T0 + s * 1000;

const meta = (name: string, component: string) => ({
    name,
    namespace: "lab-dev",
    uid: `uid-${name}`,
    creationTimestamp: at(0),
    labels: { "app.kubernetes.io/name": "init-sidecar-lab", "app.kubernetes.io/component": component },
});

const condition = (type: string, ok: boolean) => ({ type, status: ok ? "True" : "False" });

/** init-test: init-container ran 1-11 s, main-container runs from `mainStartedS` (waits without it). */
export function initTest(mainStartedS?: number): V1Pod {
    const initialized = mainStartedS !== undefined;
    return {
        metadata: meta("init-test", "init-demo"),
        spec: {
            initContainers: [{ name: "init-container" }],
            containers: [{ name: "main-container" }],
        },
        status: {
            phase: initialized ? "Running" : "Pending",
            conditions: [condition("Initialized", initialized), condition("Ready", initialized)],
            initContainerStatuses: [
                initialized ? completed("init-container", 1, 11) : { ...running("init-container", 1), ready: false },
            ],
            containerStatuses: [
                initialized ? running("main-container", mainStartedS) : waiting("main-container", "PodInitializing"),
            ],
        },
    };
}

/** sidecar-test in native mode: the native sidecar started at 2 s and is ready, main-container at 4 s. */
export function nativeSidecarTest(): V1Pod {
    return {
        metadata: meta("sidecar-test", "sidecar-demo"),
        spec: {
            initContainers: [{ name: "sidecar-container", restartPolicy: "Always" }],
            containers: [{ name: "main-container" }],
        },
        status: {
            phase: "Running",
            conditions: [condition("Initialized", true), condition("Ready", true)],
            initContainerStatuses: [{ ...running("sidecar-container", 2), started: true }],
            containerStatuses: [running("main-container", 4)],
        },
    };
}

/** The native Job's Pod, done: sidecar 2-20 s, app 4-18 s; both exited 0. */
export function nativeJobDone(): V1Pod {
    const done = (s: V1ContainerStatus) => ({ ...s, started: false });
    return {
        metadata: meta("lesson-native-sidecar-abcde", "lesson-native-sidecar"),
        spec: {
            restartPolicy: "Never",
            initContainers: [{ name: "sidecar", restartPolicy: "Always" }],
            containers: [{ name: "app" }],
        },
        status: {
            phase: "Succeeded",
            conditions: [condition("Initialized", true), condition("Ready", false)],
            initContainerStatuses: [done(completed("sidecar", 2, 20))],
            containerStatuses: [completed("app", 4, 18)],
        },
    };
}

/** The classic Job's Pod: the app exited 0 at 18 s, its sidecar runs on. */
export function classicJobRunningOn(): V1Pod {
    return {
        metadata: meta("lesson-classic-sidecar-fghij", "lesson-native-sidecar"),
        spec: { restartPolicy: "Never", containers: [{ name: "app" }, { name: "sidecar" }] },
        status: {
            phase: "Running",
            conditions: [condition("Initialized", true), condition("Ready", false)],
            containerStatuses: [completed("app", 4, 18), running("sidecar", 4)],
        },
    };
}

/**
 * failing-init after its third failed run: the step ran 3-4 s, 6-7 s and 20-21 s (exit 1), and
 * now waits in back-off; the status shows the last two runs only.
 */
export function failingInit(reason: "CrashLoopBackOff" | "Error" = "CrashLoopBackOff"): V1Pod {
    const failed = (s: number) => ({
        exitCode: 1,
        reason: "Error",
        message: "Not found: this step fails with exit code 1",
        startedAt: at(s),
        finishedAt: at(s + 1),
    });
    const step: V1ContainerStatus = {
        ...waiting("fail-step", reason),
        restartCount: 2,
        state: reason === "Error" ? { terminated: failed(20) } : { waiting: { reason } },
        lastState: { terminated: reason === "Error" ? failed(6) : failed(20) },
    };
    return {
        metadata: meta("lesson-failing-init", "lesson-failing-init"),
        spec: { initContainers: [{ name: "fail-step" }], containers: [{ name: "main-container" }] },
        status: {
            phase: "Pending",
            conditions: [condition("Initialized", false), condition("Ready", false)],
            initContainerStatuses: [step],
            containerStatuses: [waiting("main-container", "PodInitializing")],
        },
    };
}

/** A kubelet event about one container of a Pod, first and last seen at these seconds. */
export function containerEvent(
    pod: string,
    container: string,
    reason: string,
    firstS: number,
    lastS = firstS,
    count = 1,
    init = true,
): CoreV1Event {
    return {
        metadata: { name: `${pod}.${reason}.${firstS}` },
        involvedObject: {
            kind: "Pod",
            name: pod,
            namespace: "lab-dev",
            uid: `uid-${pod}`,
            fieldPath: `spec.${init ? "initContainers" : "containers"}{${container}}`,
        },
        reason,
        message: reason,
        type: reason === "BackOff" ? "Warning" : "Normal",
        count,
        firstTimestamp: at(firstS),
        lastTimestamp: at(lastS),
    };
}

/** failing-init's events: three starts (3 s first, 20 s last) and back-offs from 5 s to 22 s. */
export const failingInitEvents = (): CoreV1Event[] => [
    containerEvent("lesson-failing-init", "fail-step", "Started", 3, 20, 3),
    containerEvent("lesson-failing-init", "fail-step", "BackOff", 5, 22, 4),
];
