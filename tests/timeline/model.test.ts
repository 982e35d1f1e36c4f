import * as assert from "assert";
import { AttemptMemory, ContainerTimeline, PodTimeline, podTimeline, timelineJson } from "../../timeline/model";
import {
    classicJobRunningOn,
    failingInit,
    failingInitEvents,
    initTest,
    nativeJobDone,
    nativeSidecarTest,
    seconds,
} from "./pods";

describe("timeline/model: each container's runs, from statuses and events", () => {
    const container = (pod: PodTimeline, name: string): ContainerTimeline => {
        const found = pod.containers.find((c) => c.name === name);
        assert.ok(found, `${pod.name} has no container ${name}: ${pod.containers.map((c) => c.name).join(", ")}`);
        return found;
    };

    it("ends the init bar before the app's begins, and says by how much", () => {
        const pod = podTimeline(initTest(12), [], seconds(30));
        const init = container(pod, "init-container");
        const app = container(pod, "main-container");
        assert.deepStrictEqual([init.role, app.role], ["init", "app"]);
        assert.ok(init.end !== undefined && app.start !== undefined && init.end < app.start, "init ended first");
        assert.deepStrictEqual(
            pod.containers.map((c) => c.name),
            ["init-container", "main-container"],
        );
        assert.strictEqual(pod.notice, "main-container started 1 s after init-container finished.");
        assert.strictEqual(pod.kubectl.status, "Running");
    });

    it("begins a native sidecar's bar before the app's and ends it after", () => {
        const pod = podTimeline(nativeJobDone(), [], seconds(30));
        const sidecar = container(pod, "sidecar");
        const app = container(pod, "app");
        assert.strictEqual(sidecar.role, "native-sidecar");
        assert.ok(sidecar.start! < app.start!, "the sidecar started first");
        assert.ok(sidecar.end! > app.end!, "the sidecar stopped last");
        assert.strictEqual(pod.notice, "sidecar started 2 s before app and stopped 2 s after it.");
        assert.deepStrictEqual([sidecar.exitCode, app.exitCode], [0, 0]);
    });

    it("keeps a running native sidecar's bar open (no end) beside the running app", () => {
        const pod = podTimeline(nativeSidecarTest(), [], seconds(30));
        assert.deepStrictEqual(
            pod.containers.map((c) => [c.name, c.role, c.end]),
            [
                ["sidecar-container", "native-sidecar", undefined],
                ["main-container", "app", undefined],
            ],
        );
        assert.strictEqual(pod.notice, "sidecar-container started 2 s before main-container and runs beside it.");
    });

    it("shows the classic Job's sidecar running on after the app exited", () => {
        const pod = podTimeline(classicJobRunningOn(), [], seconds(30));
        assert.strictEqual(container(pod, "sidecar").role, "sidecar");
        assert.strictEqual(container(pod, "sidecar").end, undefined);
        assert.strictEqual(container(pod, "app").end, seconds(18));
        assert.strictEqual(pod.notice, "app ended 12 s ago, sidecar runs on: the Pod never completes.");
    });

    it("makes each failed run of an init step its own short bar, with back-off marks from the events", () => {
        const pod = podTimeline(failingInit(), failingInitEvents(), seconds(30));
        const step = container(pod, "fail-step");
        // The status knows the last run (20-21 s); the Started event, that the first began at 3 s.
        assert.deepStrictEqual(
            step.attempts.map((a) => [a.start, a.end, a.exitCode, a.failed]),
            [
                [seconds(3), seconds(3), undefined, true],
                [seconds(20), seconds(21), 1, true],
            ],
        );
        assert.deepStrictEqual(
            step.marks.map((m) => [m.kind, (m.at - seconds(0)) / 1000]),
            [
                ["back-off", 5],
                ["restart", 20],
                ["back-off", 22],
            ],
        );
        assert.strictEqual(step.end, undefined, "a step waiting in back-off has not ended");
        assert.strictEqual(pod.notice, "fail-step failed 3 times (exit 1), so main-container never started.");
        assert.strictEqual(pod.kubectl.status, "Init:CrashLoopBackOff");
        assert.strictEqual(pod.lesson, "failing-init");
    });

    it("remembers across looks the runs a status no longer shows (a watch sees each)", () => {
        const memory = new AttemptMemory();
        podTimeline(failingInit("Error"), [], seconds(21), memory);
        const later = podTimeline(failingInit(), [], seconds(30), memory);
        assert.deepStrictEqual(
            container(later, "fail-step").attempts.map((a) => [(a.start - seconds(0)) / 1000, a.exitCode]),
            [
                [6, 1],
                [20, 1],
            ],
        );
    });

    it("ignores another Pod's events and another container's", () => {
        const events = failingInitEvents().map((e) => ({
            ...e,
            involvedObject: { ...e.involvedObject, name: "someone-else" },
        }));
        const pod = podTimeline(failingInit(), events, seconds(30));
        assert.deepStrictEqual(
            container(pod, "fail-step").marks.map((m) => m.kind),
            [],
        );
    });

    it("prints JSON with ISO times, roles, exit codes and the kubectl status", () => {
        const [json] = timelineJson([podTimeline(initTest(12), [], seconds(30))]);
        assert.strictEqual(json.status, "Running");
        assert.strictEqual(json.lesson, "init-demo");
        assert.deepStrictEqual(json.containers[0], {
            name: "init-container",
            role: "init",
            start: "2026-11-25T10:00:01.000Z",
            end: "2026-11-25T10:00:11.000Z",
            exitCode: 0,
            restarts: 0,
            state: "terminated (exit 0)",
            attempts: [
                { start: "2026-11-25T10:00:01.000Z", end: "2026-11-25T10:00:11.000Z", exitCode: 0, failed: false },
            ],
        });
        assert.strictEqual(json.containers[1].end, null);
        // The same words as verify's messages: the exit code, the reason only where it says more.
        const failed = podTimeline(failingInit("Error"), [], seconds(30));
        assert.strictEqual(container(failed, "fail-step").state, "terminated (exit 1)");
    });
});
