import * as assert from "assert";
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { judgeFailingInit, podStatusText } from "../../verify/lessons";

// Live objects as @kubernetes/client-node returns them (timestamps as Dates), trimmed to what the judges read.

const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 10, 0, second));

function pod(name: string, inits: V1ContainerStatus[], containers: V1ContainerStatus[], phase = "Pending"): V1Pod {
    return {
        metadata: { name },
        spec: { containers: [] },
        status: { phase, initContainerStatuses: inits, containerStatuses: containers },
    };
}

const waiting = (name: string, reason: string, extra: Partial<V1ContainerStatus> = {}): V1ContainerStatus => ({
    name,
    image: "busybox:1.37.0",
    imageID: "",
    ready: false,
    restartCount: 0,
    state: { waiting: { reason } },
    ...extra,
});

const running = (name: string, startedAt: Date, extra: Partial<V1ContainerStatus> = {}): V1ContainerStatus => ({
    ...waiting(name, ""),
    state: { running: { startedAt } },
    ...extra,
});

const terminated = (
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

describe("verify: the lessons' judges (pure)", () => {
    describe("failing-init", () => {
        const failedRun = {
            terminated: {
                exitCode: 1,
                reason: "Error",
                startedAt: at(1),
                finishedAt: at(1),
                message: "Looking for key ready ...\nNot found: this step fails with exit code 1.\n",
            },
        };

        it("passes as failing in Init:CrashLoopBackOff, naming the step, its exit code, last line and restarts", () => {
            const p = pod(
                "lesson-failing-init",
                [waiting("check-config", "CrashLoopBackOff", { restartCount: 3, lastState: failedRun })],
                [waiting("main-container", "PodInitializing")],
            );
            assert.strictEqual(podStatusText(p), "Init:CrashLoopBackOff");
            const verdict = judgeFailingInit(p, "lesson-failing-init");
            assert.strictEqual(verdict.status, "pass");
            assert.strictEqual(verdict.state, "failing");
            assert.match(verdict.message, /Init:CrashLoopBackOff/);
            assert.match(verdict.message, /"check-config" exited with code 1 \("Not found: this step fails/);
            assert.match(verdict.message, /3 restarts so far/);
            assert.match(verdict.message, /never started/);
        });

        it("passes as failing on the first Init:Error, before any back-off", () => {
            const p = pod(
                "lesson-failing-init",
                [{ ...waiting("check-config", ""), state: failedRun }],
                [waiting("main-container", "PodInitializing")],
            );
            assert.strictEqual(podStatusText(p), "Init:Error");
            const verdict = judgeFailingInit(p, "lesson-failing-init");
            assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "failing"]);
            assert.match(verdict.message, /0 restarts so far/);
        });

        it("passes as fixed once the step completed and the main container runs, counting the failed runs", () => {
            const p = pod(
                "lesson-failing-init",
                [terminated("check-config", 0, at(40), at(40), { restartCount: 4 })],
                [running("main-container", at(41))],
                "Running",
            );
            const verdict = judgeFailingInit(p, "lesson-failing-init");
            assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "fixed"]);
            assert.match(verdict.message, /after 4 failed runs.*started at 10:00:41/);
        });

        it("fails while the step has not run yet, and when the Pod is missing", () => {
            const starting = pod(
                "lesson-failing-init",
                [waiting("check-config", "PodInitializing")],
                [waiting("main-container", "PodInitializing")],
            );
            assert.strictEqual(podStatusText(starting), "Init:0/1");
            assert.deepStrictEqual(
                [judgeFailingInit(starting, "x").status, judgeFailingInit(starting, "x").state],
                ["fail", "starting"],
            );
            const gone = judgeFailingInit(undefined, "lesson-failing-init");
            assert.deepStrictEqual([gone.status, gone.state], ["fail", "missing"]);
            assert.match(gone.message, /Pod lesson-failing-init does not exist/);
        });

        it("fails when the main container ran although the step failed", () => {
            const p = pod(
                "lesson-failing-init",
                [waiting("check-config", "CrashLoopBackOff", { lastState: failedRun })],
                [running("main-container", at(2))],
            );
            assert.deepStrictEqual(judgeFailingInit(p, "x").status, "fail");
        });
    });
});
