import * as assert from "assert";
import { checkPinnedImages, checkResourceBounds, checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../../tests/rejects";
import { effectiveRequest, formatCpu, formatMemory } from "./effective";
import {
    buildPodRequestsPod,
    buildPodRequestsPodSpec,
    buildPodRequestsQuota,
    resolvePodRequestsSettings,
} from "./spec";

describe("lesson pod-requests", () => {
    describe("pure builders", () => {
        const settings = resolvePodRequestsSettings({});
        const classic = buildPodRequestsPodSpec(settings, "classic");
        const native = buildPodRequestsPodSpec(settings, "native");

        it("the same three containers: the sidecar beside the app (classic), or before the setup step (native)", () => {
            assert.deepStrictEqual(
                [classic.initContainers!.map((c) => c.name), classic.containers.map((c) => c.name)],
                [["setup"], ["app", "sidecar"]],
            );
            assert.deepStrictEqual(
                [native.initContainers!.map((c) => [c.name, c.restartPolicy]), native.containers.map((c) => c.name)],
                [
                    [
                        ["sidecar", "Always"],
                        ["setup", undefined],
                    ],
                    ["app"],
                ],
            );
            assert.deepStrictEqual(classic.containers[1].resources, {
                requests: { cpu: "20m", memory: "16Mi" },
                limits: { cpu: "20m", memory: "16Mi" },
            });
        });

        it("the defaults make the native Pod reserve more: 80m / 64Mi against 60m / 48Mi", () => {
            const shown = (spec: typeof classic) => [
                formatCpu(effectiveRequest(spec, "cpu").effective),
                formatMemory(effectiveRequest(spec, "memory").effective),
            ];
            assert.deepStrictEqual(shown(classic), ["60m", "48Mi"]);
            assert.deepStrictEqual(shown(native), ["80m", "64Mi"]);
        });

        it("both Pods have a deadline no lab reaches, which puts them alone in the quota's Terminating scope", () => {
            assert.strictEqual(classic.activeDeadlineSeconds, 31536000);
            const quota = buildPodRequestsQuota("lab-dev");
            assert.deepStrictEqual(
                [quota.metadata?.name, quota.metadata?.namespace],
                ["lesson-pod-requests", "lab-dev"],
            );
            // It counts; it limits nothing the lab runs (shutdown-order's stopped Pod joins its scope for a while).
            assert.deepStrictEqual(quota.spec, {
                scopes: ["Terminating"],
                hard: { "requests.cpu": "64", "requests.memory": "256Gi" },
            });
        });

        it("names the Pods, and both pass the policy pack's Pod checks (restricted, pinned, bounded)", () => {
            assert.strictEqual(buildPodRequestsPod(settings, "native", "x").metadata.name, "lesson-requests-native");
            assert.strictEqual(buildPodRequestsPod(settings, "classic", "x").metadata.name, "lesson-requests-classic");
            for (const spec of [classic, native]) {
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

        itRejectsEach((args) => resolvePodRequestsSettings(args as never), [
            [{ setupCpu: "0" }, "setupCpu"],
            [{ appMemory: "16 Mi" }, "appMemory"],
            [{ sidecarCpu: "-1" }, "sidecarCpu"],
            [{ image: "busybox:" }, "image"],
        ] as const);
    });
});
