import * as assert from "assert";
import { checkPinnedImages, checkResourceBounds, checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../../tests/rejects";
import {
    APP_SCRIPT,
    buildSidecarRestartPodSpec,
    renderSidecarRestart,
    resolveSidecarRestartSettings,
    sidecarScript,
} from "./spec";

describe("lesson sidecar-restart", () => {
    describe("pure builders", () => {
        const settings = resolveSidecarRestartSettings("lesson-sidecar-restart", {});

        it("defaults: sidecars exit 1 after 5 s, and up never waits (the Pod is not Ready once the classic one exited)", () => {
            assert.deepStrictEqual(
                [settings.podName, settings.exitAfterSeconds, settings.exitCode, settings.waitForReady],
                ["lesson-sidecar-restart", 5, 1, false],
            );
            assert.strictEqual(resolveSidecarRestartSettings("x", { waitForReady: true }).waitForReady, false);
        });

        it("restartPolicy Never; the same sidecar as a native one and as a second container beside the app", () => {
            const spec = buildSidecarRestartPodSpec(settings);
            assert.strictEqual(spec.restartPolicy, "Never");
            assert.deepStrictEqual(
                spec.initContainers!.map((c) => [c.name, c.restartPolicy]),
                [["native-sidecar", "Always"]],
            );
            assert.deepStrictEqual(
                spec.containers.map((c) => c.name),
                ["app", "classic-sidecar"],
            );
            assert.deepStrictEqual(spec.initContainers![0].command, spec.containers[1].command);
            assert.strictEqual(spec.containers[1].terminationMessagePolicy, "FallbackToLogsOnError");
            assert.deepStrictEqual(
                [
                    ...checkRestrictedSecurity("Pod", spec),
                    ...checkPinnedImages("Pod", spec),
                    ...checkResourceBounds("Pod", spec),
                ],
                [],
            );
            assert.deepStrictEqual(renderSidecarRestart("x", {}).containers, [
                "native-sidecar",
                "app",
                "classic-sidecar",
            ]);
        });

        it("the sidecars exit with the chosen code after the chosen seconds; the app runs until stopped", () => {
            const script = sidecarScript(7, 3);
            assert.match(script, /^trap 'exit 0' TERM;\n/);
            assert.match(script, /sleep 7 &\nwait;\necho "Exiting with code 3.";\nexit 3\n$/);
            assert.match(APP_SCRIPT, /sleep 2147483647 &\nwait\n$/);
        });

        itRejectsEach((args) => resolveSidecarRestartSettings("lesson-sidecar-restart", args as never), [
            [{ exitAfterSeconds: 1 }, "exitAfterSeconds"],
            [{ exitAfterSeconds: 61 }, "exitAfterSeconds"],
            [{ exitCode: 256 }, "exitCode"],
            [{ exitCode: -1 }, "exitCode"],
            [{ podName: "Bad_Pod" }, "podName"],
        ] as const);
    });
});
