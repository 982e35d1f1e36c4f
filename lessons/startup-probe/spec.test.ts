import * as assert from "assert";
import { checkPinnedImages, checkResourceBounds, checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../../tests/rejects";
import {
    APP_SCRIPT,
    buildStartupProbePod,
    buildStartupProbePodSpec,
    resolveStartupProbeSettings,
    sidecarScript,
} from "./spec";

describe("lesson startup-probe", () => {
    describe("pure builders", () => {
        const settings = resolveStartupProbeSettings({});

        it("defaults: an 8 s warm-up, the lab's image, and up waits for both Pods", () => {
            assert.deepStrictEqual(settings, { warmUpSeconds: 8, image: "busybox:1.37.0", waitForReady: true });
        });

        it("the same native sidecar in both Pods: a startupProbe in one, a readinessProbe only in the other", () => {
            const startup = buildStartupProbePodSpec(settings, "startup");
            const readiness = buildStartupProbePodSpec(settings, "readiness");
            for (const spec of [startup, readiness]) {
                assert.deepStrictEqual(
                    spec.initContainers!.map((c) => [c.name, c.restartPolicy]),
                    [["sidecar", "Always"]],
                );
                assert.deepStrictEqual(
                    spec.containers.map((c) => c.name),
                    ["app"],
                );
                assert.deepStrictEqual(spec.volumes, [{ name: "warm", emptyDir: {} }]);
            }
            const [withStartup] = startup.initContainers!;
            const [withReadiness] = readiness.initContainers!;
            const check = { exec: { command: ["cat", "/warm/ready"] }, periodSeconds: 1 };
            assert.deepStrictEqual(withStartup.startupProbe, { ...check, failureThreshold: 68 });
            assert.strictEqual(withStartup.readinessProbe, undefined);
            assert.deepStrictEqual(withReadiness.readinessProbe, check);
            assert.strictEqual(withReadiness.startupProbe, undefined);
            assert.deepStrictEqual(withStartup.command, withReadiness.command, "the same sidecar script");
        });

        it("names each Pod, labels both, and waits for them unless told not to", () => {
            const startup = buildStartupProbePod(settings, "startup", "lab-dev");
            assert.strictEqual(startup.metadata.name, "lesson-startup-probe");
            assert.strictEqual(startup.metadata.namespace, "lab-dev");
            assert.strictEqual(startup.metadata.annotations, undefined);
            const readiness = buildStartupProbePod(
                resolveStartupProbeSettings({ waitForReady: false }),
                "readiness",
                "x",
            );
            assert.strictEqual(readiness.metadata.name, "lesson-readiness-probe");
            assert.deepStrictEqual(readiness.metadata.annotations, { "pulumi.com/skipAwait": "true" });
            assert.deepStrictEqual(startup.metadata.labels, {
                "app.kubernetes.io/name": "init-sidecar-lab",
                "app.kubernetes.io/component": "lesson-startup-probe",
                "app.kubernetes.io/managed-by": "pulumi",
            });
        });

        it("both Pods pass the policy pack's Pod checks (restricted, pinned, bounded)", () => {
            for (const style of ["startup", "readiness"] as const) {
                const spec = buildStartupProbePodSpec(settings, style);
                assert.deepStrictEqual(
                    [
                        ...checkRestrictedSecurity("Pod", spec),
                        ...checkPinnedImages("Pod", spec),
                        ...checkResourceBounds("Pod", spec),
                    ],
                    [],
                );
            }
        });

        it("the sidecar writes the probed file after its warm-up, then both containers run until stopped", () => {
            const script = sidecarScript(12);
            assert.match(script, /^trap 'exit 0' TERM;\n/);
            assert.match(script, /sleep 12;\ntouch \/warm\/ready;\n/);
            assert.match(script, /sleep 2147483647 &\nwait\n$/);
            assert.match(APP_SCRIPT, /echo "App started.";\nsleep 2147483647 &\nwait\n$/);
        });

        itRejectsEach((args) => resolveStartupProbeSettings(args as never), [
            [{ warmUpSeconds: 3 }, "warmUpSeconds"],
            [{ warmUpSeconds: 61 }, "warmUpSeconds"],
            [{ image: "busybox:" }, "image"],
        ] as const);
    });
});
