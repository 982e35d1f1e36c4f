import * as assert from "assert";
import { SIDECAR_SCRIPT, appScript, buildSidecarJob, resolveNativeSidecarSettings } from "./spec";
import { checkPinnedImages, checkResourceBounds, checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../../tests/rejects";

describe("lesson native-sidecar", () => {
    describe("pure builders", () => {
        const settings = resolveNativeSidecarSettings({});

        it("classic: app and tailer are two containers, and up never waits for the Job", () => {
            const job = buildSidecarJob(settings, "classic", "lab-dev");
            assert.strictEqual(job.metadata?.name, "lesson-classic-sidecar");
            assert.deepStrictEqual(job.metadata?.annotations, { "pulumi.com/skipAwait": "true" });
            const spec = job.spec!.template.spec!;
            assert.strictEqual(spec.initContainers, undefined);
            assert.deepStrictEqual(
                spec.containers.map((c) => c.name),
                ["app", "sidecar"],
            );
            assert.strictEqual(spec.restartPolicy, "Never");
            assert.strictEqual(job.spec!.backoffLimit, 0);
        });

        it("native: the tailer is a restartPolicy: Always init container, and up waits for completion", () => {
            const job = buildSidecarJob(settings, "native", "lab-dev");
            assert.strictEqual(job.metadata?.name, "lesson-native-sidecar");
            assert.strictEqual(job.metadata?.annotations, undefined);
            const spec = job.spec!.template.spec!;
            assert.deepStrictEqual(
                spec.initContainers!.map((c) => [c.name, c.restartPolicy]),
                [["sidecar", "Always"]],
            );
            assert.deepStrictEqual(
                spec.containers.map((c) => c.name),
                ["app"],
            );
            const noWait = buildSidecarJob(resolveNativeSidecarSettings({ waitForReady: false }), "native", "x");
            assert.deepStrictEqual(noWait.metadata?.annotations, { "pulumi.com/skipAwait": "true" });
        });

        it("both Pods pass the policy pack's Pod checks (restricted, pinned, bounded)", () => {
            for (const style of ["classic", "native"] as const) {
                const spec = buildSidecarJob(settings, style, "lab-dev").spec!.template.spec!;
                assert.deepStrictEqual(
                    [
                        ...checkRestrictedSecurity("Job", spec),
                        ...checkPinnedImages("Job", spec),
                        ...checkResourceBounds("Job", spec),
                    ],
                    [],
                );
            }
        });

        it("the app writes its lines and exits; the tailer exits 0 on the kubelet's SIGTERM", () => {
            const script = appScript(4, 1);
            assert.match(script, /while \[ \$i -le 4 \]; do/);
            assert.match(script, /sleep 1;/);
            assert.match(SIDECAR_SCRIPT, /^trap "exit 0" TERM;/);
            assert.match(SIDECAR_SCRIPT, /tail -f \/var\/log\/app\/app.log &\nwait\n$/);
        });

        itRejectsEach((args) => resolveNativeSidecarSettings(args as never), [
            [{ lines: 0 }, "lines"],
            [{ intervalSeconds: 61 }, "intervalSeconds"],
            [{ classicJobName: "Classic" }, "classicJobName"],
            [{ classicJobName: "same", nativeJobName: "same" }, "nativeJobName"],
            [{ image: "busybox:" }, "image"],
        ] as const);
    });
});
