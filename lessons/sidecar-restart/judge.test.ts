import * as assert from "assert";
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { at, pod, running, terminated } from "../shared/testPods";
import { judgeSidecarRestart } from "./judge";

const NAME = "lesson-sidecar-restart";

function restartPod(
    native: V1ContainerStatus,
    app: V1ContainerStatus,
    classic: V1ContainerStatus,
    phase = "Running",
): V1Pod {
    const p = pod(NAME, [native], [app, classic], phase);
    return {
        ...p,
        metadata: { name: NAME, creationTimestamp: at(0) },
        spec: {
            restartPolicy: "Never",
            initContainers: [{ name: "native-sidecar", restartPolicy: "Always" }],
            containers: [{ name: "app" }, { name: "classic-sidecar" }],
        },
        status: { ...p.status, conditions: [{ type: "Initialized", status: "True" }] },
    };
}

const lastRun = { lastState: { terminated: { exitCode: 1, startedAt: at(1), finishedAt: at(6), reason: "Error" } } };

describe("lesson sidecar-restart: the judge (pure)", () => {
    it("passes as restarted: the native sidecar restarted, the classic one stays down, the app never restarted", () => {
        const p = restartPod(
            running("native-sidecar", at(16), { restartCount: 1, started: true, ready: true, ...lastRun }),
            running("app", at(2), { ready: true }),
            terminated("classic-sidecar", 1, at(2), at(7), {}),
        );
        p.status!.containerStatuses![1].state!.terminated!.message = "Sidecar started ...\nExiting with code 1.\n";
        const verdict = judgeSidecarRestart(p, NAME, at(30).getTime());
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "restarted"], verdict.message);
        assert.match(
            verdict.message,
            /^Pod lesson-sidecar-restart \(restartPolicy Never\): the native sidecar exited with code 1 and the kubelet restarted it, 1 time so far \(last exit at 10:00:06\); the classic sidecar exited with code 1 at 10:00:07 \("Exiting with code 1."\) and stays down; the app runs on since 10:00:02, never restarted\./,
        );
        // What kubectl prints for this Pod (verify/podStatus.ts): the restarts are the native sidecar's.
        assert.match(verdict.message, /kubectl get pod shows READY 2\/3, STATUS Error, RESTARTS 1 \(24s ago\)/);
    });

    it("fails as running until the native sidecar's first restart", () => {
        const p = restartPod(
            terminated("native-sidecar", 1, at(1), at(6)),
            running("app", at(2)),
            terminated("classic-sidecar", 1, at(2), at(7)),
        );
        const verdict = judgeSidecarRestart(p, NAME, at(8).getTime());
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "running"]);
        assert.match(verdict.message, /the native sidecar is terminated \(exit 1\) \(0 restarts\)/);
    });

    it("fails as broken when the app or the classic sidecar restarted, or the Pod ended", () => {
        const restarted = restartPod(
            running("native-sidecar", at(16), { restartCount: 1 }),
            running("app", at(20), { restartCount: 1 }),
            terminated("classic-sidecar", 1, at(2), at(7)),
        );
        const verdict = judgeSidecarRestart(restarted, NAME, 0);
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "broken"]);
        assert.match(verdict.message, /the app restarted 1 time and the classic sidecar 0 times/);
        const ended = restartPod(
            terminated("native-sidecar", 1, at(1), at(6)),
            waiting(),
            terminated("classic-sidecar", 1, at(2), at(7)),
            "Failed",
        );
        assert.strictEqual(judgeSidecarRestart(ended, NAME, 0).state, "broken");
        assert.strictEqual(judgeSidecarRestart(undefined, NAME, 0).state, "missing");
    });
});

function waiting(): V1ContainerStatus {
    return {
        name: "app",
        image: "busybox:1.37.0",
        imageID: "",
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: "PodInitializing" } },
    };
}
