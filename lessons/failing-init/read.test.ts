import * as assert from "assert";
import { resolveSettings } from "../../components/settings";
import { at, fakeLessonReader, pod, terminated, waiting } from "../shared/testPods";
import { failingInitCheck } from "./read";
import { FAILING_INIT_SETTINGS } from "./spec";

describe("lesson failing-init: what verify reads", () => {
    const failingWith = (exitCode: number) =>
        pod(
            "lesson-failing-init",
            [{ ...terminated("check-config", exitCode, at(1), at(2)), restartCount: 2 }],
            [waiting("main-container", "PodInitializing")],
        );

    it("reads the Pod and its back-off events, and judges by what the stack deployed", async () => {
        const deployed = resolveSettings(FAILING_INIT_SETTINGS, { exitCode: 3, fixConfigMap: "my-fix" });
        const check = failingInitCheck(Date.now, deployed);
        const reader = fakeLessonReader(failingWith(3));
        const input = await check.read(reader);
        assert.deepStrictEqual(reader.calls, ["pod lesson-failing-init", "events lesson-failing-init BackOff"]);
        const verdict = check.judge(input, 0);
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "failing"]);
        assert.match(verdict.message, /exited with code 3, its exitCode setting.*Create ConfigMap my-fix/);
    });

    it("a stack that deployed exit code 3 does not pass on the defaults' exit code 1", async () => {
        const check = failingInitCheck(Date.now, resolveSettings(FAILING_INIT_SETTINGS, { exitCode: 3 }));
        const verdict = check.judge(await check.read(fakeLessonReader(failingWith(1))), 0);
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "wrong-exit-code"]);
        assert.match(verdict.message, /exited with code 1, not its exitCode setting 3/);
    });
});
