import * as assert from "assert";
import type { V1Job } from "@kubernetes/client-node";
import { ObservedJob } from "../shared/reader";
import { at, pod, running, terminated, waiting } from "../shared/testPods";
import { judgeNativeSidecar } from "./judge";

describe("lesson native-sidecar: the judge (pure)", () => {
    const job = (name: string, condition?: "Complete" | "Failed", completionTime?: Date): V1Job => ({
        metadata: { name },
        status: {
            ...(condition ? { conditions: [{ type: condition, status: "True" }] } : {}),
            ...(completionTime ? { completionTime } : {}),
        },
    });
    const nativeSpec = { containers: [], initContainers: [{ name: "sidecar", restartPolicy: "Always" }] };
    const classicRunning: ObservedJob = {
        name: "lesson-classic-sidecar",
        job: job("lesson-classic-sidecar"),
        pods: [pod("c", [], [terminated("app", 0, at(2), at(8)), running("sidecar", at(2))], "Running")],
    };
    const nativeDone: ObservedJob = {
        name: "lesson-native-sidecar",
        job: job("lesson-native-sidecar", "Complete", at(11)),
        pods: [
            {
                ...pod(
                    "n",
                    [terminated("sidecar", 0, at(1), at(9))],
                    [terminated("app", 0, at(2), at(8))],
                    "Succeeded",
                ),
                spec: nativeSpec,
            },
        ],
    };

    it("passes as shown: classic never completes, native ran its sidecar first, stopped it after, completed", () => {
        const verdict = judgeNativeSidecar(classicRunning, nativeDone, at(38).getTime());
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "shown"], verdict.message);
        assert.match(verdict.message, /Classic: the app and the sidecar started together \(0 s apart\)/);
        assert.match(
            verdict.message,
            /exited 0 at 10:00:08, but the sidecar still runs, so Job lesson-classic-sidecar is not complete 30 s later/,
        );
        assert.match(verdict.message, /Native: the sidecar started at 10:00:01, 1 s before the app/);
        assert.match(
            verdict.message,
            /stopped after it, at 10:00:09, and Job lesson-native-sidecar completed at 10:00:11/,
        );
    });

    it("fails as running while the apps still write their lines", () => {
        const classic = {
            ...classicRunning,
            pods: [pod("c", [], [running("app", at(2)), running("sidecar", at(2))])],
        };
        const native = {
            ...nativeDone,
            job: job("lesson-native-sidecar"),
            pods: [{ ...pod("n", [running("sidecar", at(1))], [running("app", at(2))]), spec: nativeSpec }],
        };
        const verdict = judgeNativeSidecar(classic, native, at(5).getTime());
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "running"]);
    });

    it("fails as broken when the classic Job completed or the native sidecar started after the app", () => {
        const completed = { ...classicRunning, job: job("lesson-classic-sidecar", "Complete") };
        assert.strictEqual(judgeNativeSidecar(completed, nativeDone, 0).state, "broken");
        const late: ObservedJob = {
            ...nativeDone,
            pods: [
                {
                    ...pod("n", [terminated("sidecar", 0, at(3), at(9))], [terminated("app", 0, at(2), at(8))]),
                    spec: nativeSpec,
                },
            ],
        };
        const verdict = judgeNativeSidecar(classicRunning, late, 0);
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "broken"]);
        assert.match(verdict.message, /the app started before the native sidecar/);
    });

    it("says when the cluster runs the sidecar as a plain init container (no native sidecars)", () => {
        const old: ObservedJob = {
            ...nativeDone,
            job: job("lesson-native-sidecar"),
            pods: [
                {
                    ...pod("n", [running("sidecar", at(1))], [waiting("app", "PodInitializing")]),
                    spec: { containers: [], initContainers: [{ name: "sidecar" }] },
                },
            ],
        };
        const verdict = judgeNativeSidecar(classicRunning, old, 0);
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "broken"]);
        assert.match(verdict.message, /does not support native sidecars \(Kubernetes 1\.29\+\)/);
    });

    it("fails as missing when a Job does not exist", () => {
        const verdict = judgeNativeSidecar({ name: "lesson-classic-sidecar", job: undefined, pods: [] }, nativeDone, 0);
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "missing"]);
        assert.match(verdict.message, /Job lesson-classic-sidecar does not exist/);
    });
});
