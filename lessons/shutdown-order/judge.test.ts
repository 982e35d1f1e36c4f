import * as assert from "assert";
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { at, pod, running, terminated } from "../shared/testPods";
import { judgeShutdownOrder, parseSigterm } from "./judge";

const SPEC = {
    initContainers: [
        { name: "sidecar-1", restartPolicy: "Always" },
        { name: "sidecar-2", restartPolicy: "Always" },
    ],
    containers: [{ name: "app" }, { name: "classic-sidecar" }],
};

function rsPod(
    name: string,
    created: number,
    inits: V1ContainerStatus[],
    containers: V1ContainerStatus[],
    stopped = false,
): V1Pod {
    const p = pod(name, inits, containers, stopped ? "Failed" : "Running");
    return {
        ...p,
        metadata: { name, creationTimestamp: at(created) },
        spec: { ...SPEC, ...(stopped ? { activeDeadlineSeconds: 1 } : {}) },
    };
}

const runningPod = (name: string, created: number) =>
    rsPod(
        name,
        created,
        [running("sidecar-1", at(created + 1)), running("sidecar-2", at(created + 1))],
        [running("app", at(created + 2)), running("classic-sidecar", at(created + 2))],
    );

/** A stopped Pod whose containers recorded SIGTERM at these uptimes (the wall clock follows). */
function stoppedPod(uptimes: Record<string, number | undefined>): V1Pod {
    const status = (name: string) => {
        const up = uptimes[name];
        const end = terminated(name, up === undefined ? 137 : 0, at(2), at(40));
        if (up !== undefined)
            end.state!.terminated!.message = `SIGTERM at 2026-11-30T10:00:${Math.floor(up - 1000 + 30)}Z, uptime ${up} s\n`;
        return end;
    };
    return rsPod(
        "lesson-shutdown-order-abcde",
        0,
        [status("sidecar-1"), status("sidecar-2")],
        [status("app"), status("classic-sidecar")],
        true,
    );
}

describe("lesson shutdown-order: the judge (pure)", () => {
    it("reads a container's SIGTERM record", () => {
        assert.deepStrictEqual(parseSigterm("SIGTERM at 2026-11-30T10:00:30Z, uptime 1000.25 s\n"), {
            at: "2026-11-30T10:00:30Z",
            uptime: 1000.25,
        });
        assert.strictEqual(parseSigterm(""), undefined);
    });

    it("passes as ready while no Pod was stopped yet and all four containers run", () => {
        const verdict = judgeShutdownOrder([runningPod("lesson-shutdown-order-abcde", 0)], 2);
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "ready"], verdict.message);
        assert.match(verdict.message, /Run the lesson's `stop` command/);
    });

    it("passes as shown: app and classic sidecar together, then sidecar-2, then sidecar-1, a stop apart each", () => {
        const stopped = stoppedPod({
            app: 1000,
            "classic-sidecar": 1000.01,
            "sidecar-2": 1002.05,
            "sidecar-1": 1004.1,
        });
        const verdict = judgeShutdownOrder([stopped, runningPod("lesson-shutdown-order-fghij", 45)], 2);
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "shown"], verdict.message);
        assert.match(
            verdict.message,
            /^Pod lesson-shutdown-order-abcde was stopped at 2026-11-30T10:00:30Z: SIGTERM reached the app and the classic sidecar together \(0.01 s apart\); the native sidecars only once the app had stopped \(each container takes 2 s\), the last started first: sidecar-2 at \+2.05 s, then sidecar-1 at \+4.10 s\./,
        );
        assert.match(verdict.message, /The ReplicaSet started Pod lesson-shutdown-order-fghij: run `stop` again/);
    });

    it("fails as stopping while a container still runs, and broken when one was killed before recording", () => {
        const stopping = stoppedPod({ app: 1000, "classic-sidecar": 1000, "sidecar-2": 1002, "sidecar-1": 1004 });
        stopping.status!.initContainerStatuses![0] = running("sidecar-1", at(1));
        const verdict = judgeShutdownOrder([stopping], 2);
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "stopping"]);
        assert.match(verdict.message, /sidecar-1 is running/);
        const killed = judgeShutdownOrder([stoppedPod({ app: 1000, "classic-sidecar": 1000, "sidecar-2": 1002 })], 2);
        assert.deepStrictEqual([killed.state], ["broken"]);
        assert.match(killed.message, /sidecar-1 \(terminated \(exit 137\)\) stopped without recording a SIGTERM/);
    });

    it("fails as broken when every container got SIGTERM at once, or the sidecars in start order", () => {
        const atOnce = judgeShutdownOrder(
            [stoppedPod({ app: 1000, "classic-sidecar": 1000, "sidecar-2": 1000, "sidecar-1": 1000 })],
            2,
        );
        assert.deepStrictEqual([atOnce.status, atOnce.state], ["fail", "broken"]);
        assert.match(atOnce.message, /sidecar-2 at \+0.00 s and sidecar-1 at \+0.00 s; each takes 2 s to stop/);
        const inOrder = judgeShutdownOrder(
            [stoppedPod({ app: 1000, "classic-sidecar": 1000, "sidecar-1": 1002, "sidecar-2": 1004 })],
            2,
        );
        assert.strictEqual(inOrder.state, "broken");
        const apart = judgeShutdownOrder(
            [stoppedPod({ app: 1000, "classic-sidecar": 1003, "sidecar-2": 1005, "sidecar-1": 1007 })],
            2,
        );
        assert.match(apart.message, /the app and the classic sidecar got SIGTERM 3.00 s apart/);
    });

    it("fails as starting before the Pod runs, and missing without any Pod", () => {
        const starting = rsPod("lesson-shutdown-order-abcde", 0, [running("sidecar-1", at(1))], []);
        assert.strictEqual(judgeShutdownOrder([starting], 2).state, "starting");
        const none = judgeShutdownOrder([], 2);
        assert.deepStrictEqual(
            [none.state, none.message.startsWith("ReplicaSet lesson-shutdown-order does not exist")],
            ["missing", true],
        );
    });
});
