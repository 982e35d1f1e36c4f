import * as assert from "assert";
import { checkPinnedImages, checkResourceBounds, checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../../tests/rejects";
import {
    buildShutdownOrderReplicaSet,
    containerScript,
    gracePeriodSeconds,
    resolveShutdownOrderSettings,
} from "./spec";

describe("lesson shutdown-order", () => {
    describe("pure builders", () => {
        const settings = resolveShutdownOrderSettings({});

        it("a ReplicaSet of one Pod: two native sidecars, then the app and a classic sidecar", () => {
            const rs = buildShutdownOrderReplicaSet(settings, "lab-dev");
            assert.deepStrictEqual([rs.metadata?.name, rs.metadata?.namespace], ["lesson-shutdown-order", "lab-dev"]);
            assert.strictEqual(rs.spec?.replicas, 1);
            assert.deepStrictEqual(rs.spec?.selector.matchLabels, {
                "app.kubernetes.io/component": "lesson-shutdown-order",
            });
            assert.strictEqual(
                rs.spec?.template?.metadata?.labels?.["app.kubernetes.io/component"],
                "lesson-shutdown-order",
            );
            const spec = rs.spec!.template!.spec!;
            assert.deepStrictEqual(
                spec.initContainers!.map((c) => [c.name, c.restartPolicy]),
                [
                    ["sidecar-1", "Always"],
                    ["sidecar-2", "Always"],
                ],
            );
            assert.deepStrictEqual(
                spec.containers.map((c) => [c.name, c.restartPolicy]),
                [
                    ["app", undefined],
                    ["classic-sidecar", undefined],
                ],
            );
            assert.strictEqual(spec.activeDeadlineSeconds, undefined, "only `stop` sets a deadline");
            assert.deepStrictEqual(
                [
                    ...checkRestrictedSecurity("ReplicaSet", spec),
                    ...checkPinnedImages("ReplicaSet", spec),
                    ...checkResourceBounds("ReplicaSet", spec),
                ],
                [],
            );
        });

        it("the grace period outlasts the four stops one after the other", () => {
            assert.strictEqual(
                buildShutdownOrderReplicaSet(settings, "x").spec?.template?.spec?.terminationGracePeriodSeconds,
                16,
            );
            assert.ok(gracePeriodSeconds(10) > 3 * 10, "app and classic together, then each native sidecar");
        });

        it("each container writes when SIGTERM came to its termination message, then takes stopSeconds to stop", () => {
            const script = containerScript("sidecar-2", 3);
            assert.match(script, /^trap 'stopped' TERM;\nstopped\(\) \{\n/);
            assert.match(script, /read up rest < \/proc\/uptime;\n/);
            assert.match(
                script,
                /echo "SIGTERM at \$\(date -u \+%Y-%m-%dT%H:%M:%SZ\), uptime \$up s" > \/dev\/termination-log;\n/,
            );
            assert.match(
                script,
                /echo "sidecar-2: SIGTERM received, stopping in 3 s.";\n {2}sleep 3;\n {2}exit 0;\n\}\n/,
            );
            assert.match(script, /echo "sidecar-2 started.";\nsleep 2147483647 &\nwait\n$/);
        });

        it("up waits for the Pod unless told not to", () => {
            assert.strictEqual(buildShutdownOrderReplicaSet(settings, "x").metadata?.annotations, undefined);
            const noWait = buildShutdownOrderReplicaSet(resolveShutdownOrderSettings({ waitForReady: false }), "x");
            assert.deepStrictEqual(noWait.metadata?.annotations, { "pulumi.com/skipAwait": "true" });
        });

        itRejectsEach((args) => resolveShutdownOrderSettings(args as never), [
            [{ stopSeconds: 0 }, "stopSeconds"],
            [{ stopSeconds: 11 }, "stopSeconds"],
            [{ image: "busybox:" }, "image"],
        ] as const);
    });
});
