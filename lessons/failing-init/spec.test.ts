import * as assert from "assert";
import { FAILING_INIT_SETTINGS, buildFailingInitPodSpec, checkConfigScript, resolveFailingInitSettings } from "./spec";
import { checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../../tests/rejects";

describe("lesson failing-init", () => {
    describe("pure builders", () => {
        const settings = resolveFailingInitSettings("lesson-failing-init", {});

        it("defaults: the lesson's Pod, its ConfigMap, exit code 1, and never waited for", () => {
            assert.strictEqual(settings.podName, "lesson-failing-init");
            assert.strictEqual(settings.fixConfigMap, FAILING_INIT_SETTINGS.fixConfigMap.default);
            assert.strictEqual(settings.exitCode, 1);
            assert.strictEqual(settings.waitForReady, false, "up must not hang on a Pod that never gets Ready");
            assert.strictEqual(resolveFailingInitSettings("x", { waitForReady: true }).waitForReady, false);
        });

        it("mounts the ConfigMap as an optional volume where the step looks for the key", () => {
            const spec = buildFailingInitPodSpec(settings);
            assert.deepStrictEqual(spec.volumes, [
                { name: "fix", configMap: { name: "lesson-failing-init-fix", optional: true } },
            ]);
            const step = spec.initContainers![0];
            assert.strictEqual(step.name, "check-config");
            assert.deepStrictEqual(step.volumeMounts, [{ name: "fix", mountPath: "/etc/lesson", readOnly: true }]);
            assert.strictEqual(step.terminationMessagePolicy, "FallbackToLogsOnError");
            assert.strictEqual(step.image, "busybox:1.37.0");
            assert.deepStrictEqual(
                spec.containers!.map((c) => c.name),
                ["main-container"],
            );
            assert.deepStrictEqual(checkRestrictedSecurity("Pod", spec), [], "Pod Security restricted");
        });

        it("the step succeeds only when the key is mounted, and fails with the chosen exit code", () => {
            const script = checkConfigScript("my-fix", 3);
            assert.match(script, /if \[ -f \/etc\/lesson\/ready \]; then\n {2}echo "Found it[^\n]*\n {2}exit 0;/);
            assert.ok(script.trimEnd().endsWith("exit 3"), script);
            assert.match(script, /Create ConfigMap my-fix with key ready/);
        });

        itRejectsEach((args) => resolveFailingInitSettings("lesson-failing-init", args as never), [
            [{ exitCode: 0 }, "exitCode"],
            [{ exitCode: 256 }, "exitCode"],
            [{ fixConfigMap: "Fix_Me" }, "fixConfigMap"],
            [{ fixConfigMap: "same", podName: "same" }, "fixConfigMap"],
            [{ podName: "Bad_Pod" }, "podName"],
        ] as const);
    });
});
