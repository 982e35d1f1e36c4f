import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { ResourceValidationArgs } from "@pulumi/policy";
import * as k8s from "@pulumi/kubernetes";
import { LESSON_NAMES, createLessons } from "../lessons";
import { recorded, settle } from "./mocks";
import { LAB_APP_LABEL as COMPONENTS_APP_LABEL, DEFAULT_IMAGE, demoPodLabels } from "../components/podDefaults";
import { buildInitDemoPodSpec, resolveInitDemoPodSettings } from "../components/initDemoPod";
import { SIDECAR_MODES, buildSidecarDemoPodSpec, resolveSidecarDemoPodSettings } from "../components/sidecarDemoPod";
import { podSecurityLabels, resolveLabNamespace } from "../components/labNamespace";
import {
    ContainerLike,
    LAB_APP_LABEL,
    PodSpecLike,
    checkBarePodIsDeliberate,
    checkNamespaceEnforcesRestricted,
    checkPinnedImages,
    checkResourceBounds,
    checkRestrictedSecurity,
    containersOf,
    describeObject,
    labPolicies,
    podSpecOf,
    unpinnedImageReason,
} from "../policy/policies";

const POD = "kubernetes:core/v1:Pod";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const SUBJECT = 'Pod "lab-dev/demo"';

/** A container that passes every policy; tests break one field at a time. */
function goodContainer(name = "app"): ContainerLike {
    return {
        name,
        image: "busybox:1.37.0",
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } },
        securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            runAsNonRoot: true,
            seccompProfile: { type: "RuntimeDefault" },
        },
    };
}

function spec(container: ContainerLike, extra: PodSpecLike = {}): PodSpecLike {
    return { containers: [container], ...extra };
}

/** Runs the pack's policies on one resource, as the engine would, and returns what they report. */
function violations(
    type: string,
    props: Record<string, unknown>,
    name = "demo",
): { policy: string; message: string }[] {
    const found: { policy: string; message: string }[] = [];
    for (const policy of labPolicies) {
        const validations = policy.validateResource;
        for (const validate of Array.isArray(validations) ? validations : validations ? [validations] : []) {
            const args = { type, props, name, urn: `urn:pulumi:dev::lab::${type}::${name}` } as ResourceValidationArgs;
            void validate(args, (message) => found.push({ policy: policy.name, message }));
        }
    }
    return found;
}

function labelledPod(podSpec: PodSpecLike, labels: Record<string, string> = demoPodLabels("init-demo")) {
    return { metadata: { name: "demo", namespace: "lab-dev", labels }, spec: podSpec };
}

describe("policy pack", () => {
    describe("1. pinned-container-images", () => {
        it("passes version tags, registry ports and sha256 digests", () => {
            for (const image of [
                "busybox:1.37.0",
                "registry.local:5000/busybox:1.36",
                `busybox@sha256:${"a".repeat(64)}`,
                `busybox:1.37.0@sha256:${"b".repeat(64)}`,
            ]) {
                assert.strictEqual(unpinnedImageReason(image), undefined, image);
            }
            assert.deepStrictEqual(checkPinnedImages(SUBJECT, spec(goodContainer())), []);
        });

        it("rejects :latest, no tag (also behind a registry port), a bad digest and no image", () => {
            assert.match(unpinnedImageReason("busybox:latest")!, /a moving tag/);
            assert.match(unpinnedImageReason("busybox")!, /with no tag, which means :latest/);
            assert.match(unpinnedImageReason("registry.local:5000/busybox")!, /with no tag/);
            assert.match(unpinnedImageReason("busybox@sha256:abc")!, /not a sha256 digest/);
            assert.strictEqual(unpinnedImageReason(undefined), "has no image");
            assert.strictEqual(unpinnedImageReason(""), "has no image");
        });

        it("checks init containers too, naming the Pod, the container and a fix", () => {
            const podSpec = spec(goodContainer(), {
                initContainers: [{ ...goodContainer("setup"), image: "busybox" }],
            });
            assert.deepStrictEqual(checkPinnedImages(SUBJECT, podSpec), [
                'Pod "lab-dev/demo": init container "setup" uses image "busybox" with no tag, which means :latest. ' +
                    'Pin a version or a digest, e.g. image: "busybox:1.37.0" or "busybox@sha256:<digest>" ' +
                    "(the lab's Pods: pulumi config set init-sidecar-lab:image busybox:1.37.0).",
            ]);
        });

        it("keeps the registry in the suggested fix", () => {
            const [message] = checkPinnedImages(SUBJECT, spec({ ...goodContainer(), image: "ghcr.io/org/app:latest" }));
            assert.match(
                message,
                /e\.g\. image: "ghcr\.io\/org\/app:1\.37\.0" or "ghcr\.io\/org\/app@sha256:<digest>"/,
            );
        });
    });

    describe("2. container-resource-bounds", () => {
        it("passes a container with cpu and memory requests and limits", () => {
            assert.deepStrictEqual(checkResourceBounds(SUBJECT, spec(goodContainer())), []);
        });

        it("lists every missing bound, for init containers too", () => {
            const noLimits = { ...goodContainer("setup"), resources: { requests: { cpu: "10m", memory: "" } } };
            const podSpec = spec({ ...goodContainer(), resources: undefined }, { initContainers: [noLimits] });
            assert.deepStrictEqual(checkResourceBounds(SUBJECT, podSpec), [
                'Pod "lab-dev/demo": init container "setup" has no resources.requests.memory, resources.limits.cpu, ' +
                    'resources.limits.memory. Set all four, e.g. resources: { requests: { cpu: "10m", memory: "16Mi" }, ' +
                    'limits: { cpu: "100m", memory: "32Mi" } }.',
                'Pod "lab-dev/demo": container "app" has no resources.requests.cpu, resources.requests.memory, ' +
                    "resources.limits.cpu, resources.limits.memory. Set all four, e.g. resources: { requests: " +
                    '{ cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } }.',
            ]);
        });
    });

    describe("3. pod-security-restricted", () => {
        it("passes with every field on the container", () => {
            assert.deepStrictEqual(checkRestrictedSecurity(SUBJECT, spec(goodContainer())), []);
        });

        it("takes runAsNonRoot and seccompProfile from the Pod when the container leaves them out", () => {
            const c = goodContainer();
            c.securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
            const pod = { runAsNonRoot: true, seccompProfile: { type: "Localhost" } };
            assert.deepStrictEqual(checkRestrictedSecurity(SUBJECT, spec(c, { securityContext: pod })), []);
            assert.strictEqual(checkRestrictedSecurity(SUBJECT, spec(c)).length, 1, "not set anywhere");
        });

        it("reports each missing field of each container, and a container overriding the Pod", () => {
            const bare: ContainerLike = { ...goodContainer("bare"), securityContext: undefined };
            const overriding = goodContainer("override");
            overriding.securityContext = {
                ...overriding.securityContext,
                capabilities: { drop: ["NET_RAW"] },
                runAsNonRoot: false,
                seccompProfile: { type: "Unconfined" },
            };
            const pod = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
            const messages = checkRestrictedSecurity(
                SUBJECT,
                spec(overriding, { initContainers: [bare], securityContext: pod }),
            );
            assert.strictEqual(messages.length, 2);
            assert.match(messages[0], /^Pod "lab-dev\/demo": init container "bare" does not meet Pod Security/);
            assert.match(
                messages[0],
                /needs securityContext\.allowPrivilegeEscalation: false, securityContext\.capabilities\.drop: \["ALL"\]\. E\.g\./,
            );
            assert.ok(!messages[0].includes("runAsNonRoot: true ("), "the Pod's runAsNonRoot covers it");
            assert.match(messages[1], /container "override" .* it needs securityContext\.capabilities\.drop/);
            assert.match(messages[1], /runAsNonRoot: true \(container or Pod securityContext\)/);
            assert.match(messages[1], /seccompProfile\.type "RuntimeDefault" or "Localhost"/);
            assert.match(messages[1], /E\.g\. securityContext: \{ allowPrivilegeEscalation: false/);
        });

        it("rejects running as UID 0", () => {
            const c = goodContainer();
            c.securityContext = { ...c.securityContext, runAsUser: 0 };
            assert.match(checkRestrictedSecurity(SUBJECT, spec(c))[0], /a runAsUser other than 0/);
        });
    });

    describe("4. namespace-enforces-restricted", () => {
        it("passes a Namespace that enforces restricted (the lab's, as LabNamespace builds it)", () => {
            const lab = resolveLabNamespace("lab", {});
            assert.deepStrictEqual(checkNamespaceEnforcesRestricted('Namespace "lab"', lab), []);
            assert.deepStrictEqual(violations(NAMESPACE, { metadata: lab }), []);
        });

        it("rejects a Namespace with a weaker level or none", () => {
            const baseline = resolveLabNamespace("lab", { podSecurity: "baseline" });
            assert.deepStrictEqual(violations(NAMESPACE, { metadata: baseline }, "lab"), [
                {
                    policy: "namespace-enforces-restricted",
                    message:
                        'Namespace "lab" must carry the label pod-security.kubernetes.io/enforce: restricted (it has ' +
                        '"baseline"), so the API server rejects Pods that are not hardened. E.g. metadata: { labels: ' +
                        '{ "pod-security.kubernetes.io/enforce": "restricted" } }, or LabNamespace with podSecurity: ' +
                        '"restricted" (its default).',
                },
            ]);
            assert.match(checkNamespaceEnforcesRestricted('Namespace "x"', { name: "x" })[0], /has no such label/);
            assert.match(checkNamespaceEnforcesRestricted('Namespace "x"', undefined)[0], /has no such label/);
        });
    });

    describe("5. bare-pods-only-for-the-lab", () => {
        it("allows a bare Pod labelled as the lab's", () => {
            assert.deepStrictEqual(checkBarePodIsDeliberate(SUBJECT, { labels: demoPodLabels("init-demo") }), []);
        });

        it("reports any other bare Pod, with the way out", () => {
            const [message] = checkBarePodIsDeliberate(SUBJECT, { labels: { "app.kubernetes.io/name": "web" } });
            assert.strictEqual(
                message,
                'Pod "lab-dev/demo" is a bare Pod: nothing re-creates it if its node fails. Run it from a Deployment ' +
                    "or a Job, or, if it is one of this lab's demo Pods, label it app.kubernetes.io/name: " +
                    'init-sidecar-lab (it has "web").',
            );
            assert.match(checkBarePodIsDeliberate(SUBJECT, undefined)[0], /\(it has no such label\)/);
        });

        it("leaves Pods run by a controller to the other policies", () => {
            const deployment = { metadata: { name: "web" }, spec: { template: { spec: spec(goodContainer()) } } };
            assert.deepStrictEqual(violations("kubernetes:apps/v1:Deployment", deployment), []);
        });
    });

    describe("wiring", () => {
        it("has five mandatory policies with unique names", () => {
            assert.strictEqual(labPolicies.length, 5);
            assert.strictEqual(new Set(labPolicies.map((p) => p.name)).size, 5);
            for (const p of labPolicies) assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
        });

        it("finds the Pod spec of every workload type, and none elsewhere", () => {
            const podSpec = spec(goodContainer());
            const template = { template: { spec: podSpec } };
            assert.strictEqual(podSpecOf(POD, { spec: podSpec }), podSpec);
            assert.strictEqual(podSpecOf("kubernetes:apps/v1:StatefulSet", { spec: template }), podSpec);
            assert.strictEqual(
                podSpecOf("kubernetes:batch/v1:CronJob", { spec: { jobTemplate: { spec: template } } }),
                podSpec,
            );
            assert.strictEqual(podSpecOf("kubernetes:apps/v1:Deployment", { spec: {} }), undefined);
            assert.strictEqual(podSpecOf(NAMESPACE, { spec: podSpec }), undefined);
        });

        it("checks a Deployment's template, naming the Deployment", () => {
            const bad = { ...goodContainer("web"), image: "nginx:latest" };
            const deployment = {
                metadata: { name: "web", namespace: "apps" },
                spec: { template: { spec: spec(bad) } },
            };
            const found = violations("kubernetes:apps/v1:Deployment", deployment);
            assert.deepStrictEqual(
                found.map((v) => v.policy),
                ["pinned-container-images"],
            );
            assert.match(found[0].message, /^Deployment "apps\/web": container "web" uses image "nginx:latest"/);
        });

        it("names objects by their Kubernetes name, else the Pulumi name", () => {
            assert.strictEqual(describeObject(POD, { name: "p", namespace: "ns" }, "res"), 'Pod "ns/p"');
            assert.strictEqual(describeObject(NAMESPACE, undefined, "res"), 'Namespace "res"');
        });

        it("numbers containers without a name", () => {
            assert.deepStrictEqual(
                containersOf({ containers: [{ image: "x" }] }).map((c) => c.label),
                ['container "#0"'],
            );
        });

        it("shares the lab's label value with components/podDefaults.ts", () => {
            assert.strictEqual(LAB_APP_LABEL, COMPONENTS_APP_LABEL);
            assert.strictEqual(podSecurityLabels("restricted")["pod-security.kubernetes.io/enforce"], "restricted");
        });

        it("gives the pack a manifest, a version and the nodejs runtime", () => {
            const dir = path.join(__dirname, "..", "policy");
            assert.match(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
            const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
            assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
            assert.strictEqual(pkg.main, "index.ts");
        });
    });

    describe("the lab's own Pods", () => {
        const labPods = (image?: string): Record<string, PodSpecLike> => ({
            "init-test": buildInitDemoPodSpec(resolveInitDemoPodSettings("init-test", { image })),
            ...Object.fromEntries(
                SIDECAR_MODES.map((mode) => [
                    `sidecar-test (${mode})`,
                    buildSidecarDemoPodSpec(
                        resolveSidecarDemoPodSettings("sidecar-test", { image, sidecarMode: mode }),
                    ),
                ]),
            ),
        });

        it(`pass every policy with the default config (${DEFAULT_IMAGE}), in both sidecar modes`, () => {
            const pods = labPods();
            assert.deepStrictEqual(Object.keys(pods), ["init-test", "sidecar-test (classic)", "sidecar-test (native)"]);
            for (const [label, podSpec] of Object.entries(pods)) {
                assert.ok(containersOf(podSpec).length >= 2, label);
                assert.deepStrictEqual(violations(POD, labelledPod(podSpec)), [], label);
            }
            // The native sidecar is an init container: the policies do look at it.
            assert.strictEqual(pods["sidecar-test (native)"].initContainers?.length, 1);
        });

        for (const image of ["busybox:latest", "busybox"]) {
            it(`are rejected by pinned-container-images, and only by it, with image ${image}`, () => {
                for (const [label, podSpec] of Object.entries(labPods(image))) {
                    const found = violations(POD, labelledPod(podSpec));
                    const containers = containersOf(podSpec);
                    assert.strictEqual(found.length, containers.length, `${label}: one violation per container`);
                    for (const v of found) {
                        assert.strictEqual(v.policy, "pinned-container-images", label);
                        assert.match(v.message, new RegExp(`uses image "${image}"`), label);
                    }
                }
            });
        }
    });

    describe("the lessons' Pods and Jobs", () => {
        it("pass every policy, each lesson deployed with its defaults", async () => {
            const before = recorded.length;
            const provider = new k8s.Provider("policy-lessons", { kubeconfig: "fake" });
            createLessons(LESSON_NAMES, { namespace: "lab-dev" }, {}, { provider });
            await settle();
            const workloads = recorded
                .slice(before)
                .filter((r) => r.type === POD || r.type === "kubernetes:batch/v1:Job");
            assert.ok(workloads.length >= LESSON_NAMES.length, workloads.map((w) => w.name).join(", "));
            for (const w of workloads) assert.deepStrictEqual(violations(w.type, w.inputs, w.name), [], w.name);
        });
    });
});
