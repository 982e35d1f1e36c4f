import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { unknown } from "@pulumi/pulumi/output";
import { InitDemoPod } from "../components";
import { buildInitDemoPodSpec, initStepScript, resolveInitDemoPodSettings } from "../components/initDemoPod";
import { itRejectsEach } from "./rejects";
import { findRecorded, isRecorded, promiseOf, registeredUrns } from "./mocks";

describe("InitDemoPod", () => {
    describe("buildInitDemoPodSpec (pure)", () => {
        it("renders the guide's init-test Pod with no arguments", () => {
            const settings = resolveInitDemoPodSettings("init-test", {});
            assert.strictEqual(settings.podName, "init-test");
            const spec = buildInitDemoPodSpec(settings);
            assert.deepStrictEqual(
                spec.initContainers?.map((c) => [c.name, c.image, c.command]),
                [
                    [
                        "init-container",
                        "busybox:1.37.0",
                        [
                            "sh",
                            "-c",
                            'echo "Initialization started...";\nsleep 10;\necho "Initialization completed."\n',
                        ],
                    ],
                ],
            );
            assert.deepStrictEqual(
                spec.containers?.map((c) => [c.name, c.image, c.command]),
                [["main-container", "busybox:1.37.0", ["sh", "-c", 'echo "Main container started";\nsleep 3600\n']]],
            );
        });

        it("uses the init delay and image it is given, and pulls it only when the node lacks it", () => {
            const spec = buildInitDemoPodSpec(
                resolveInitDemoPodSettings("x", {
                    initDelaySeconds: 3,
                    image: "registry.local:5000/tools/busybox:1.36",
                }),
            );
            const init = spec.initContainers![0];
            assert.deepStrictEqual(init.command, ["sh", "-c", initStepScript(3)]);
            assert.ok(init.command![2].includes("sleep 3;"));
            assert.strictEqual(init.image, "registry.local:5000/tools/busybox:1.36");
            assert.strictEqual(init.imagePullPolicy, "IfNotPresent");
        });

        it("runs several init steps in order, each with its own delay or script", () => {
            const settings = resolveInitDemoPodSettings("x", {
                initDelaySeconds: 4,
                initSteps: [
                    { name: "wait-for-db" },
                    { name: "migrate", delaySeconds: 1 },
                    { name: "warm-cache", script: "echo warm" },
                ],
            });
            const spec = buildInitDemoPodSpec(settings);
            const inits = spec.initContainers!;
            assert.deepStrictEqual(
                inits.map((c) => c.name),
                ["wait-for-db", "migrate", "warm-cache"],
            );
            assert.deepStrictEqual(
                inits.map((c) => c.command![2]),
                [initStepScript(4), initStepScript(1), "echo warm"],
            );
        });

        itRejectsEach((args) => resolveInitDemoPodSettings("init-test", args as never), [
            [{ initDelaySeconds: -1 }, "initDelaySeconds"],
            [{ initDelaySeconds: 2.5 }, "initDelaySeconds"],
            [{ initSteps: [] }, "initSteps"],
            [{ initSteps: [{ name: "Bad_Name" }] }, "initSteps[0].name"],
            [{ initSteps: [{ name: "a" }, { name: "a" }] }, "initSteps[1].name"],
            [{ initSteps: [{ name: "main-container" }] }, "initSteps[0].name"],
            [{ initSteps: [{ name: "a", script: "  " }] }, "initSteps[0].script"],
            [{ initSteps: [{ name: "a", script: "true", delaySeconds: 2 }] }, "initSteps[0].delaySeconds"],
            [{ podName: "Init_Test" }, "podName"],
            [{ image: "busybox latest" }, "image"],
        ] as const);
    });

    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("init-tests", { kubeconfig: "fake" });
        // Component names are unique across the suite: the stack program test registers "init-test" too.
        const demo = new InitDemoPod(
            "unit-init",
            { podName: "init-test", namespace: "lab-dev", kubeContext: "kind-lab-dev", readyTimeoutSeconds: 120 },
            { provider },
        );

        it("creates one Pod, a child of the component, through the given provider", async () => {
            const podUrn = await promiseOf(demo.pod.urn);
            assert.match(podUrn, /::initsidecarlab:pods:InitDemoPod\$kubernetes:core\/v1:Pod::unit-init$/);
            assert.ok(registeredUrns().includes(podUrn));
            const pod = findRecorded("kubernetes:core/v1:Pod", "unit-init");
            const providerUrn = await promiseOf(provider.urn);
            assert.strictEqual(pod.provider, `${providerUrn}::init-tests-id`);
        });

        it("exports the pod name, namespace and paste-ready commands", async () => {
            assert.strictEqual(await promiseOf(demo.podName), "init-test");
            assert.strictEqual(await promiseOf(demo.namespace), "lab-dev");
            assert.deepStrictEqual(await promiseOf(demo.logCommands), {
                "init-container": "kubectl --context kind-lab-dev -n lab-dev logs init-test -c init-container",
                "main-container": "kubectl --context kind-lab-dev -n lab-dev logs init-test -c main-container",
            });
            assert.strictEqual(
                await promiseOf(demo.watchCommand),
                "kubectl --context kind-lab-dev -n lab-dev get pod init-test -w",
            );
            assert.strictEqual(
                await promiseOf(demo.describeCommand),
                "kubectl --context kind-lab-dev -n lab-dev describe pod init-test",
            );
        });

        it("bounds the wait for Ready by readyTimeoutSeconds and replaces the fixed-name Pod delete-first", async () => {
            // Resource options never reach the mocks; a transformation sees them as the SDK registers the Pod.
            const timeouts: Record<string, pulumi.CustomTimeouts | undefined> = {};
            const deleteFirst: Record<string, boolean | undefined> = {};
            const record: pulumi.ResourceTransformation = (r) => {
                if (r.type === "kubernetes:core/v1:Pod") {
                    timeouts[r.name] = r.opts.customTimeouts;
                    deleteFirst[r.name] = (r.opts as pulumi.CustomResourceOptions).deleteBeforeReplace;
                }
                return undefined;
            };
            const bounded = new InitDemoPod(
                "unit-timeout",
                { readyTimeoutSeconds: 120 },
                { provider, transformations: [record] },
            );
            const defaulted = new InitDemoPod("unit-default-timeout", {}, { provider, transformations: [record] });
            await Promise.all([promiseOf(bounded.podName), promiseOf(defaulted.podName)]);
            assert.deepStrictEqual(timeouts["unit-timeout"], { create: "120s", update: "120s" });
            assert.deepStrictEqual(timeouts["unit-default-timeout"], { create: "180s", update: "180s" });
            // A fixed-name Pod can only be replaced by deleting it first.
            assert.deepStrictEqual(deleteFirst, { "unit-timeout": true, "unit-default-timeout": true });
        });

        it("waits for Ready by default: no skipAwait annotation", () => {
            const pod = findRecorded("kubernetes:core/v1:Pod", "unit-init");
            const metadata = pod.inputs.metadata as { annotations?: Record<string, string> };
            assert.strictEqual(metadata.annotations?.["pulumi.com/skipAwait"], undefined);
        });

        it("can return without waiting, so a learner sees Init:0/1 live", async () => {
            const quick = new InitDemoPod("init-quick", { waitForReady: false }, { provider });
            await promiseOf(quick.podName);
            const pod = findRecorded("kubernetes:core/v1:Pod", "init-quick");
            const metadata = pod.inputs.metadata as { annotations?: Record<string, string> };
            assert.strictEqual(metadata.annotations?.["pulumi.com/skipAwait"], "true");
        });

        it("keeps the Pod spec known when the namespace and context are not, so previews show it", async () => {
            // As in a first preview: the cluster, its context and the namespace are still to be created.
            const pending = pulumi.output(unknown) as pulumi.Output<string>;
            const demo = new InitDemoPod("unit-preview", { namespace: pending, kubeContext: pending }, { provider });
            await promiseOf(demo.pod.urn);
            const pod = findRecorded("kubernetes:core/v1:Pod", "unit-preview");
            const spec = pod.inputs.spec as { initContainers: { name: string; command: string[] }[] };
            assert.strictEqual(spec.initContainers[0].name, "init-container");
            assert.match(spec.initContainers[0].command[2], /sleep 10;/);
        });

        it("validates arguments that arrive as Outputs too", async () => {
            const late = new InitDemoPod("init-late", { initDelaySeconds: pulumi.output(7) }, { provider });
            const pod = await promiseOf(late.pod.spec);
            assert.ok(pod.initContainers[0].command[2].includes("sleep 7;"));
        });

        it("throws a ResourceError naming the component for a bad value, before creating the Pod", () => {
            assert.throws(
                () => new InitDemoPod("init-bad", { initDelaySeconds: 99999 }, { provider }),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith(
                        'InitDemoPod "init-bad": initDelaySeconds must be a whole number from 0 to 3600',
                    ),
            );
            assert.throws(
                () => new InitDemoPod("init-bad-timeout", { readyTimeoutSeconds: 1 }, { provider }),
                /readyTimeoutSeconds must be a whole number from 10 to 3600; got 1/,
            );
            assert.throws(
                () => new InitDemoPod("init-bad-ns", { namespace: "my.ns" }, { provider }),
                /InitDemoPod "init-bad-ns": namespace must be a DNS-1123 label.*Example: init-sidecar-lab/,
            );
            assert.throws(
                () => new InitDemoPod("init-bad-context", { kubeContext: "my context" }, { provider }),
                /kubeContext must be a non-empty value of letters.*Example: kind-lab-dev/,
            );
            assert.ok(!isRecorded("kubernetes:core/v1:Pod", "init-bad"));
            assert.ok(!isRecorded("kubernetes:core/v1:Pod", "init-bad-timeout"));
        });
    });
});
