import * as assert from "assert";
import { at, pod, running, terminated, waiting } from "../shared/testPods";
import { resolveSettings } from "../../components/settings";
import { podStatusText } from "../shared/judge";
import { judgeFailingInit } from "./judge";
import { FAILING_INIT_SETTINGS } from "./spec";

describe("lesson failing-init: the judge (pure)", () => {
    /** What a stack deployed with the lesson's defaults: exit code 1, ConfigMap lesson-failing-init-fix. */
    const deployed = resolveSettings(FAILING_INIT_SETTINGS, {});
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
        const verdict = judgeFailingInit(p, "lesson-failing-init", deployed);
        assert.strictEqual(verdict.status, "pass");
        assert.strictEqual(verdict.state, "failing");
        assert.match(verdict.message, /Init:CrashLoopBackOff/);
        assert.match(
            verdict.message,
            /"check-config" exited with code 1, its exitCode setting \("Not found: this step fails/,
        );
        assert.match(verdict.message, /3 restarts so far/);
        assert.match(verdict.message, /never started/);
        assert.match(
            verdict.message,
            /Create ConfigMap lesson-failing-init-fix \(the lesson's `fix` command\) to fix it\.$/,
        );
    });

    it("passes as failing on the first Init:Error, before any back-off", () => {
        const p = pod(
            "lesson-failing-init",
            [{ ...waiting("check-config", ""), state: failedRun }],
            [waiting("main-container", "PodInitializing")],
        );
        assert.strictEqual(podStatusText(p), "Init:Error");
        const verdict = judgeFailingInit(p, "lesson-failing-init", deployed);
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "failing"]);
        assert.match(verdict.message, /0 restarts so far, and the main container never started/);
        const backingOff = judgeFailingInit(p, "lesson-failing-init", deployed, 3);
        assert.match(backingOff.message, /so far with the kubelet backing off 3 times \(Init:CrashLoopBackOff\)/);
    });

    it("passes as fixed once the step completed and the main container runs, counting the failed runs", () => {
        const p = pod(
            "lesson-failing-init",
            [terminated("check-config", 0, at(40), at(40), { restartCount: 4 })],
            [running("main-container", at(41))],
            "Running",
        );
        const verdict = judgeFailingInit(p, "lesson-failing-init", deployed);
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "fixed"]);
        assert.match(
            verdict.message,
            /found ConfigMap lesson-failing-init-fix and completed after 4 failed runs.*started at 10:00:41/,
        );
    });

    it("fails while the step has not run yet, and when the Pod is missing", () => {
        const starting = pod(
            "lesson-failing-init",
            [waiting("check-config", "PodInitializing")],
            [waiting("main-container", "PodInitializing")],
        );
        assert.strictEqual(podStatusText(starting), "Init:0/1");
        assert.deepStrictEqual(
            [judgeFailingInit(starting, "x", deployed).status, judgeFailingInit(starting, "x", deployed).state],
            ["fail", "starting"],
        );
        const gone = judgeFailingInit(undefined, "lesson-failing-init", deployed);
        assert.deepStrictEqual([gone.status, gone.state], ["fail", "missing"]);
        assert.match(gone.message, /Pod lesson-failing-init does not exist/);
    });

    it("fails when the main container ran although the step failed", () => {
        const p = pod(
            "lesson-failing-init",
            [waiting("check-config", "CrashLoopBackOff", { lastState: failedRun })],
            [running("main-container", at(2))],
        );
        assert.deepStrictEqual(judgeFailingInit(p, "x", deployed).status, "fail");
        const verdict = judgeFailingInit(p, "x", deployed);
        assert.strictEqual(verdict.state, "broken");
        assert.match(verdict.message, /main container started although the init step "check-config" failed/);
    });

    it("follows the deployed exitCode: passes on it, and fails on another one, naming both and the ConfigMap", () => {
        const exiting = (code: number) =>
            pod(
                "lesson-failing-init",
                [
                    waiting("check-config", "CrashLoopBackOff", {
                        restartCount: 1,
                        lastState: { terminated: { ...failedRun.terminated, exitCode: code } },
                    }),
                ],
                [waiting("main-container", "PodInitializing")],
            );
        const settings = { exitCode: 3, fixConfigMap: "my-fix" };
        const asDeployed = judgeFailingInit(exiting(3), "lesson-failing-init", settings);
        assert.deepStrictEqual([asDeployed.status, asDeployed.state], ["pass", "failing"]);
        assert.match(asDeployed.message, /exited with code 3, its exitCode setting/);
        assert.match(asDeployed.message, /Create ConfigMap my-fix/);

        const other = judgeFailingInit(exiting(127), "lesson-failing-init", settings);
        assert.deepStrictEqual([other.status, other.state], ["fail", "wrong-exit-code"]);
        assert.match(
            other.message,
            /^Pod lesson-failing-init is Init:CrashLoopBackOff: the init step "check-config" exited with code 127, not its exitCode setting 3 \("Not found: .*"\): it fails for another reason than the missing ConfigMap my-fix;/,
        );
        // The defaults' exit code 1 is not what this stack deployed.
        assert.strictEqual(judgeFailingInit(exiting(1), "lesson-failing-init", settings).state, "wrong-exit-code");
    });
});
