import * as assert from "assert";
import {
    DEFAULT_IMAGE,
    demoContainer,
    LAB_IMAGE_PULL_POLICY,
    restrictedContainerSecurityContext,
    restrictedPodSecurityContext,
} from "../components/podDefaults";
import { buildInitDemoPodSpec, resolveInitDemoPodSettings } from "../components/initDemoPod";
import { buildSidecarDemoPodSpec, resolveSidecarDemoPodSettings } from "../components/sidecarDemoPod";

describe("podDefaults", () => {
    it("pins the default image to a version, never :latest", () => {
        assert.match(DEFAULT_IMAGE, /^busybox:\d+\.\d+\.\d+$/);
    });

    it("pulls an image only when the node lacks it, whatever its tag, so a loaded image is used as it is", () => {
        assert.strictEqual(LAB_IMAGE_PULL_POLICY, "IfNotPresent");
        for (const image of [
            "busybox:latest",
            "busybox",
            "registry.local:5000/busybox",
            "busybox:1.37.0",
            `busybox@sha256:${"a".repeat(64)}`,
        ]) {
            assert.strictEqual(demoContainer("c", image, "true").imagePullPolicy, "IfNotPresent", image);
        }
    });

    // The fields the Pod Security Standards "restricted" profile checks.
    const everyDemoPod = {
        "InitDemoPod (default)": buildInitDemoPodSpec(resolveInitDemoPodSettings("init-test", {})),
        "SidecarDemoPod classic": buildSidecarDemoPodSpec(resolveSidecarDemoPodSettings("s", {})),
        "SidecarDemoPod native": buildSidecarDemoPodSpec(resolveSidecarDemoPodSettings("s", { sidecarMode: "native" })),
    };
    for (const [label, spec] of Object.entries(everyDemoPod)) {
        it(`${label} meets Pod Security "restricted" and carries requests and limits`, () => {
            const pod = spec.securityContext as ReturnType<typeof restrictedPodSecurityContext>;
            assert.strictEqual(pod.runAsNonRoot, true);
            assert.ok((pod.runAsUser as number) > 0, "a non-root UID");
            assert.deepStrictEqual(pod.seccompProfile, { type: "RuntimeDefault" });
            const containers = [...((spec.initContainers as object[]) ?? []), ...(spec.containers as object[])];
            assert.ok(containers.length >= 2);
            for (const c of containers as ReturnType<typeof demoContainer>[]) {
                const sc = c.securityContext as ReturnType<typeof restrictedContainerSecurityContext>;
                assert.strictEqual(sc.allowPrivilegeEscalation, false, `${c.name}: no privilege escalation`);
                assert.deepStrictEqual(sc.capabilities, { drop: ["ALL"] }, `${c.name}: all capabilities dropped`);
                assert.strictEqual(sc.readOnlyRootFilesystem, true, `${c.name}: read-only root filesystem`);
                assert.deepStrictEqual(sc.seccompProfile, { type: "RuntimeDefault" });
                const resources = c.resources as { requests: Record<string, string>; limits: Record<string, string> };
                assert.deepStrictEqual(Object.keys(resources.requests).sort(), ["cpu", "memory"]);
                assert.deepStrictEqual(Object.keys(resources.limits).sort(), ["cpu", "memory"]);
            }
        });
    }
});
