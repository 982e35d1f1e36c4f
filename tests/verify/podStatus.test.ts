import * as assert from "assert";
import type { V1Pod } from "@kubernetes/client-node";
import { podStatusText } from "../../lessons/shared/judge";
import { humanDuration, isNativeSidecar, kubectlLine, kubectlTable, podStatus } from "../../verify/podStatus";
import { completed, running, waiting } from "./fixtures";
import {
    classicJobRunningOn,
    failingInit,
    initTest,
    nativeJobDone,
    nativeSidecarTest,
    seconds,
} from "../timeline/pods";

describe("verify/podStatus: a Pod's line as kubectl prints it", () => {
    const line = (pod: V1Pod, nowS = 60) => kubectlLine(pod, seconds(nowS));

    it("counts a ready native sidecar in READY: 2/2 with one native sidecar and one app container", () => {
        const l = line(nativeSidecarTest());
        assert.deepStrictEqual([l.ready, l.status, l.restartsText], ["2/2", "Running", "0"]);
    });

    it("counts a native sidecar that is not ready yet as not ready (1/2)", () => {
        const pod = nativeSidecarTest();
        pod.status!.initContainerStatuses![0].ready = false;
        assert.strictEqual(line(pod).ready, "1/2");
    });

    it("says Init:0/1 while the init container runs, Running once the app runs", () => {
        assert.deepStrictEqual([line(initTest()).status, line(initTest()).ready], ["Init:0/1", "0/1"]);
        assert.deepStrictEqual([line(initTest(12)).status, line(initTest(12)).ready], ["Running", "1/1"]);
    });

    it("says PodInitializing when the init steps are done and the app container is being created", () => {
        const pod = initTest(12);
        pod.status!.containerStatuses = [waiting("main-container", "PodInitializing")];
        assert.strictEqual(line(pod).status, "PodInitializing");
    });

    it("says Init:CrashLoopBackOff, then Init:Error, for a failing init step, with its restarts and when", () => {
        const looping = line(failingInit("CrashLoopBackOff"), 61);
        assert.strictEqual(looping.status, "Init:CrashLoopBackOff");
        // The last run ended at 21 s: 40 s before now.
        assert.strictEqual(looping.restartsText, "2 (40s ago)");
        assert.strictEqual(line(failingInit("Error")).status, "Init:Error");
    });

    it("names a failed step's exit code or signal where the kubelet gave no reason: Init:ExitCode:3, Init:Signal:9", () => {
        const pod = failingInit("Error");
        const step = pod.status!.initContainerStatuses![0].state!.terminated!;
        delete step.reason;
        step.exitCode = 3;
        assert.strictEqual(line(pod).status, "Init:ExitCode:3");
        step.signal = 9;
        assert.strictEqual(line(pod).status, "Init:Signal:9");
    });

    it("once initialized, says the app container's reason (CrashLoopBackOff), not the phase, and counts its restarts only", () => {
        const pod = initTest(12);
        pod.status!.initContainerStatuses = [{ ...completed("init-container", 1, 11), restartCount: 2 }];
        pod.status!.containerStatuses = [waiting("main-container", "CrashLoopBackOff", "back-off 40s", 3)];
        assert.strictEqual(pod.status!.phase, "Running");
        assert.deepStrictEqual(podStatus(pod), {
            ready: "0/1",
            status: "CrashLoopBackOff",
            restarts: 3,
            lastRestart: undefined,
        });
        // The lessons' judges quote the same STATUS.
        assert.strictEqual(podStatusText(pod), "CrashLoopBackOff");
        assert.strictEqual(podStatusText(failingInit()), "Init:CrashLoopBackOff");
    });

    it("counts a started native sidecar among the init steps done: Init:1/2 while the next step runs", () => {
        const pod = initTest();
        pod.spec!.initContainers!.unshift({ name: "sidecar-container", restartPolicy: "Always" });
        pod.spec!.containers.push({ name: "second" });
        pod.status!.initContainerStatuses!.unshift({ ...running("sidecar-container", 1), started: true });
        assert.deepStrictEqual([line(pod).status, line(pod).ready], ["Init:1/2", "1/3"]);
    });

    it("tells a native sidecar by its init container's restartPolicy Always, by name", () => {
        const pod = nativeSidecarTest();
        assert.strictEqual(isNativeSidecar(pod, "sidecar-container"), true);
        assert.strictEqual(isNativeSidecar(pod, "main-container"), false, "an app container");
        assert.strictEqual(isNativeSidecar(initTest(), "init-container"), false, "a regular init container");
        assert.strictEqual(isNativeSidecar(undefined, "sidecar-container"), false);
    });

    it("says Completed for a finished Job's Pod, its stopped native sidecar counted: 0/2", () => {
        const l = line(nativeJobDone());
        assert.deepStrictEqual([l.ready, l.status], ["0/2", "Completed"]);
    });

    it("says NotReady when the app completed but its classic sidecar runs on", () => {
        // kubectl's rule: Completed with a container still running is Running, or NotReady without the Ready condition.
        assert.deepStrictEqual(
            [line(classicJobRunningOn()).ready, line(classicJobRunningOn()).status],
            ["1/2", "NotReady"],
        );
    });

    it("says Terminating once the Pod is being deleted, and the first container's waiting reason wins", () => {
        const deleted = initTest(12);
        deleted.metadata!.deletionTimestamp = new Date(seconds(50));
        assert.strictEqual(line(deleted).status, "Terminating");
        const pulling = initTest(12);
        pulling.spec!.containers.push({ name: "second" });
        pulling.status!.containerStatuses = [
            waiting("main-container", "ErrImagePull"),
            { ...running("second", 5), ready: true },
        ];
        assert.strictEqual(line(pulling).status, "ErrImagePull");
    });

    it("ages as kubectl does", () => {
        assert.deepStrictEqual(
            [5_000, 119_000, 190_000, 600_000, 3 * 3600_000 + 60_000, 50 * 3600_000].map(humanDuration),
            ["5s", "119s", "3m10s", "10m", "3h1m", "2d2h"],
        );
        assert.strictEqual(line(initTest(12), 75).age, "75s");
    });

    it("aligns the table as kubectl does: columns three spaces apart", () => {
        const [header, row] = kubectlTable([line(nativeSidecarTest())]);
        assert.strictEqual(header, "NAME           READY   STATUS    RESTARTS   AGE");
        assert.strictEqual(row, "sidecar-test   2/2     Running   0          60s");
    });
});
