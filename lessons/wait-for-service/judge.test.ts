import * as assert from "assert";
import type { V1Pod } from "@kubernetes/client-node";
import { at, pod, running, terminated, waiting } from "../shared/testPods";
import { judgeFailingInit } from "../failing-init/judge";
import { judgeWaitForService } from "./judge";

describe("lesson wait-for-service: the judge (pure)", () => {
    const service = { name: "lesson-backend", exists: false };

    it("passes as waiting while the step loops, quoting its last line and the command to run", () => {
        const p = pod(
            "lesson-wait-for-service",
            [running("wait-for-service", at(1))],
            [waiting("main-container", "PodInitializing")],
        );
        const verdict = judgeWaitForService(
            p,
            "lesson-wait-for-service",
            service,
            "Waiting for Service lesson-backend: x does not resolve yet.\n",
        );
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "waiting"]);
        assert.match(
            verdict.message,
            /is Init:0\/1: the init step "wait-for-service" keeps looking up Service lesson-backend \("Waiting for Service/,
        );
        assert.match(verdict.message, /createService/);
        const soon = judgeWaitForService(p, "x", { ...service, exists: true }, undefined);
        assert.match(soon.message, /The Service exists now/);
    });

    it("fails as starting while the step completed and the main container has not started (both lessons)", () => {
        for (const [judge, step] of [
            [(p: V1Pod) => judgeWaitForService(p, "x", { ...service, exists: true }, undefined), "wait-for-service"],
            [(p: V1Pod) => judgeFailingInit(p, "x", { exitCode: 1, fixConfigMap: "fix" }), "check-config"],
        ] as const) {
            const p = pod("x", [terminated(step, 0, at(1), at(30))], [waiting("main-container", "PodInitializing")]);
            const verdict = judge(p);
            assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "starting"], step);
            assert.match(
                verdict.message,
                new RegExp(
                    `the init step "${step}" completed, but the main container is .*PodInitializing.*; it should start within seconds`,
                ),
            );
        }
    });

    it("passes as started once the step completed and the main container runs", () => {
        const p = pod(
            "lesson-wait-for-service",
            [terminated("wait-for-service", 0, at(1), at(30))],
            [running("main-container", at(31))],
            "Running",
        );
        const verdict = judgeWaitForService(p, "lesson-wait-for-service", { ...service, exists: true }, undefined);
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "started"]);
        assert.match(verdict.message, /completed at 10:00:30; the main container started at 10:00:31/);
    });

    it("fails when the step exited with an error, and when the Pod is missing", () => {
        const p = pod(
            "x",
            [waiting("wait-for-service", "CrashLoopBackOff", { lastState: { terminated: { exitCode: 2 } } })],
            [waiting("main-container", "PodInitializing")],
        );
        assert.deepStrictEqual(judgeWaitForService(p, "x", service, undefined).state, "broken");
        assert.deepStrictEqual(judgeWaitForService(undefined, "x", service, undefined).state, "missing");
        assert.match(
            judgeWaitForService(p, "x", service, undefined).message,
            /"wait-for-service" ended with exit code 2/,
        );
        assert.match(judgeWaitForService(undefined, "x", service, undefined).message, /Pod x does not exist/);
    });
});
