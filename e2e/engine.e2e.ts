import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { projectWithFakeKind } from "./harness";

/**
 * The lab program on the real Pulumi engine, the real Kubernetes provider
 * plugin and the real dynamic-provider host. No cluster is needed: previews
 * never reach one, and the kind cluster's own lifecycle runs against the fake
 * kind (targeted, so the Pods are not attempted against its fake API server).
 */
describe("the lab on the real Pulumi engine (no cluster)", () => {
    const { fake, project } = projectWithFakeKind();

    it("previews a fresh stack with no cluster: every resource, with the Pods' full specs", async () => {
        const stack = await project().stack("ci");
        const preview = await stack.preview({ diff: true });
        assert.deepStrictEqual(preview.changeSummary, { create: 10 });
        for (const expected of [
            "pulumi-nodejs:dynamic/kind:Cluster",
            'clusterName: "lab-ci"',
            "pod-security.kubernetes.io/enforce",
            'echo \\"Initialization started...\\";\\nsleep 10;',
            "tail -f /var/log/app.log",
            "readOnlyRootFilesystem",
        ]) {
            assert.ok(preview.stdout.includes(expected), `preview shows ${expected}`);
        }
        assert.match(preview.stdout, /namespace\s*: "lab-ci"/, "the Pods' namespace is known in the preview");
        assert.deepStrictEqual(fake.calls(), [], "a preview never runs kind");
    });

    it("stops on bad config before creating anything, naming every bad value", async () => {
        const stack = await project().stack("bad", {
            initDelaySeconds: "-5",
            sidecarMode: "sidecar",
            workernodes: "2",
        });
        await assert.rejects(stack.up(), (err: Error) => {
            assert.match(err.message, /3 problems; nothing was deployed/);
            // A misspelled key reaches the program through the engine's config, and stops the run.
            assert.match(
                err.message,
                /init-sidecar-lab:workernodes is not a setting of the lab; did you mean init-sidecar-lab:workerNodes\?/,
            );
            assert.match(
                err.message,
                /init-sidecar-lab:initDelaySeconds must be a whole number from 0 to 3600; got "-5"/,
            );
            assert.match(err.message, /init-sidecar-lab:sidecarMode must be one of "classic", "native"; got "sidecar"/);
            return true;
        });
        const state = await stack.exportStack();
        const created = (state.deployment.resources ?? []).filter(
            (r: { type: string }) => r.type !== "pulumi:pulumi:Stack",
        );
        assert.deepStrictEqual(created, []);
        assert.deepStrictEqual(fake.calls(), []);
    });

    it("names two stacks' clusters and namespaces apart", async () => {
        const [alice, bob] = await Promise.all([project().stack("alice"), project().stack("bob")]);
        const [a, b] = await Promise.all([alice.preview({ diff: true }), bob.preview({ diff: true })]);
        assert.ok(a.stdout.includes('clusterName: "lab-alice"'));
        assert.match(a.stdout, /namespace\s*: "lab-alice"/);
        assert.ok(b.stdout.includes('clusterName: "lab-bob"'));
        assert.match(b.stdout, /namespace\s*: "lab-bob"/);
    });

    describe("the kind cluster's lifecycle through the serialized dynamic provider", () => {
        let stack: Stack;
        const componentUrn = (s: string) => `urn:pulumi:${s}::init-sidecar-lab::initsidecarlab:kind:KindCluster::lab`;
        const clusterUrn = (s: string) =>
            `urn:pulumi:${s}::init-sidecar-lab::initsidecarlab:kind:KindCluster$pulumi-nodejs:dynamic/kind:Cluster::lab`;
        // Only the cluster (and its component): the fake kind's API server does not exist.
        const onlyTheCluster = { target: [componentUrn("kindlife"), clusterUrn("kindlife")] };

        before(async () => {
            fake.reset();
            stack = await project().stack("kindlife", { workerNodes: "1" });
        });

        it("up creates the cluster with kind and keeps its kubeconfig as a secret", async () => {
            const result = await stack.up(onlyTheCluster);
            assert.strictEqual(result.summary.result, "succeeded");
            assert.deepStrictEqual(fake.clusters(), ["lab-kindlife"]);
            assert.match(fake.lastConfig() ?? "", /"role": "worker"/);
            const state = await stack.exportStack();
            const cluster = state.deployment.resources.find((r: { urn: string }) => r.urn === clusterUrn("kindlife"));
            assert.strictEqual(cluster.outputs.kubeContext, "kind-lab-kindlife");
            const secretSig = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
            assert.deepStrictEqual(
                { ...cluster.outputs.kubeconfig, plaintext: undefined },
                { ...secretSig, plaintext: undefined },
            );
            const onDisk = project().rawState("kindlife");
            assert.ok(!onDisk.includes("client-key-data"), "the state file never holds the kubeconfig in the clear");
            assert.ok(onDisk.includes("ciphertext"));
        });

        it("bad config on a deployed stack fails without touching what is deployed", async () => {
            await stack.setConfig("init-sidecar-lab:intervalSeconds", { value: "0" });
            await assert.rejects(stack.up(), /intervalSeconds must be a whole number from 1 to 3600/);
            await stack.removeConfig("init-sidecar-lab:intervalSeconds");
            const state = await stack.exportStack();
            assert.ok(state.deployment.resources.some((r: { urn: string }) => r.urn === clusterUrn("kindlife")));
            assert.deepStrictEqual(fake.clusters(), ["lab-kindlife"]);
            assert.ok(!fake.calls().some((c) => c[0] === "delete"));
        });

        it("refresh notices a cluster deleted behind Pulumi's back", async () => {
            fake.deleteOutOfBand("lab-kindlife");
            await stack.refresh();
            const state = await stack.exportStack();
            assert.ok(!state.deployment.resources.some((r: { urn: string }) => r.urn === clusterUrn("kindlife")));
        });

        it("the next up creates it again, and destroy deletes it", async () => {
            await stack.up(onlyTheCluster);
            assert.deepStrictEqual(fake.clusters(), ["lab-kindlife"]);
            await stack.destroy();
            assert.deepStrictEqual(fake.clusters(), []);
            assert.deepStrictEqual(fake.calls().pop(), ["delete", "cluster", "--name", "lab-kindlife"]);
        });
    });
});
