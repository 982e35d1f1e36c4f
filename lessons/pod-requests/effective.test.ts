import * as assert from "assert";
import { effectiveRequest, formatCpu, formatMemory, sameAmount } from "./effective";

const c = (name: string, cpu?: string, restartPolicy?: string) => ({
    name,
    ...(restartPolicy ? { restartPolicy } : {}),
    resources: cpu === undefined ? {} : { requests: { cpu } },
});

describe("lesson pod-requests: the effective request (pure, KEP-753's formula)", () => {
    it("classic: the larger of the largest init container and the sum of the app containers", () => {
        const spec = {
            initContainers: [c("setup", "60m"), c("small", "10m")],
            containers: [c("app", "20m"), c("sidecar", "20m")],
        };
        const r = effectiveRequest(spec, "cpu");
        assert.deepStrictEqual([r.effective, r.initPhase, r.runPhase, r.sumOfAll].map(formatCpu), [
            "60m",
            "60m",
            "40m",
            "110m",
        ]);
    });

    it("native: a sidecar adds to every init container after it, and to the app containers", () => {
        const spec = {
            initContainers: [c("sidecar", "20m", "Always"), c("setup", "60m")],
            containers: [c("app", "20m")],
        };
        const r = effectiveRequest(spec, "cpu");
        assert.deepStrictEqual([r.effective, r.initPhase, r.runPhase].map(formatCpu), ["80m", "80m", "40m"]);
        // Listed after the setup step, the sidecar does not run beside it: the Pod reserves less.
        const after = {
            initContainers: [c("setup", "60m"), c("sidecar", "20m", "Always")],
            containers: [c("app", "20m")],
        };
        assert.strictEqual(formatCpu(effectiveRequest(after, "cpu").effective), "60m");
    });

    it("a sidecar's own entry counts the sidecars before it; the running phase wins when larger", () => {
        const spec = {
            initContainers: [c("a", "300m", "Always"), c("b", "200m", "Always"), c("setup", "100m")],
            containers: [c("app", "50m")],
        };
        const r = effectiveRequest(spec, "cpu");
        assert.deepStrictEqual([r.initPhase, r.runPhase, r.effective].map(formatCpu), ["600m", "550m", "600m"]);
        const big = { initContainers: [c("s", "100m", "Always"), c("setup", "50m")], containers: [c("app", "1")] };
        assert.strictEqual(formatCpu(effectiveRequest(big, "cpu").effective), "1100m");
    });

    it("adds the Pod's overhead, counts a missing request as 0, and reads memory in bytes", () => {
        const spec = {
            initContainers: [{ name: "i", resources: { requests: { memory: "48Mi" } } }],
            containers: [{ name: "a", resources: { requests: { memory: "16Mi" } } }, { name: "b" }],
            overhead: { memory: "1Mi" },
        };
        assert.strictEqual(formatMemory(effectiveRequest(spec, "memory").effective), "49Mi");
        assert.strictEqual(effectiveRequest({ containers: [] }, "cpu").effective, 0);
    });

    it("shows amounts as kubectl does, and compares them in millicores and bytes", () => {
        assert.deepStrictEqual([formatCpu(0.08), formatCpu(2), formatCpu(1.5)], ["80m", "2", "1500m"]);
        assert.deepStrictEqual(
            [formatMemory(64 * 2 ** 20), formatMemory(2 ** 30), formatMemory(1000)],
            ["64Mi", "1Gi", "1000"],
        );
        assert.ok(sameAmount("cpu", 0.06 + 0.02, 0.08), "floating point sums still match");
        assert.ok(!sameAmount("memory", 1, 2));
    });
});
