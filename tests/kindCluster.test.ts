import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { KindCluster } from "../components";
import { renderKindConfig } from "../components/kindCli";
import { FAKE_KUBECONFIG_PREFIX, findRecorded, isRecorded, promiseOf } from "./mocks";

describe("KindCluster (mocked engine)", () => {
    const cluster = new KindCluster("unit-lab", { clusterName: "lab-dev", workerNodes: 1 });

    it("registers the kind cluster as a dynamic resource with the generated config", async () => {
        await promiseOf(cluster.clusterName);
        const resource = findRecorded("pulumi-nodejs:dynamic/kind:Cluster", "unit-lab");
        assert.deepStrictEqual(
            {
                clusterName: resource.inputs.clusterName,
                nodeImage: resource.inputs.nodeImage,
                kindConfig: resource.inputs.kindConfig,
                kindPath: resource.inputs.kindPath,
            },
            {
                clusterName: "lab-dev",
                nodeImage: "",
                kindConfig: renderKindConfig({ workerNodes: 1 }),
                kindPath: "kind",
            },
        );
        assert.strictEqual(typeof resource.inputs.__provider, "string");
    });

    it("exports the cluster name, the kind-<name> context and the kubeconfig as a secret", async () => {
        assert.strictEqual(await promiseOf(cluster.clusterName), "lab-dev");
        assert.strictEqual(await promiseOf(cluster.kubeContext), "kind-lab-dev");
        assert.strictEqual(await promiseOf(cluster.kubeconfig), FAKE_KUBECONFIG_PREFIX + "lab-dev");
        assert.strictEqual(await pulumi.isSecret(cluster.kubeconfig), true);
    });

    it("builds one Kubernetes provider from that kubeconfig, parented to the cluster, tolerating a vanished cluster", async () => {
        const providerUrn = await promiseOf(cluster.provider.urn);
        assert.match(providerUrn, /::initsidecarlab:kind:KindCluster\$pulumi:providers:kubernetes::unit-lab$/);
        const provider = findRecorded("pulumi:providers:kubernetes", "unit-lab");
        // The kubeconfig reaches the provider still wrapped as a secret.
        assert.deepStrictEqual(provider.inputs.kubeconfig, {
            [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
            value: FAKE_KUBECONFIG_PREFIX + "lab-dev",
        });
        assert.strictEqual(provider.inputs.context, "kind-lab-dev");
        assert.strictEqual(provider.inputs.deleteUnreachable, "true");
        // Server-side apply would make every Pod replacement fail in preview (see LAB_SERVER_SIDE_APPLY).
        assert.strictEqual(provider.inputs.enableServerSideApply, "false");
    });

    for (const [args, message] of [
        [{ clusterName: "Lab_Dev" }, /clusterName must be a kind cluster name/],
        [{ clusterName: "x".repeat(41) }, /at most 40/],
        [
            { nodeImage: "kindest node" },
            /nodeImage must be a container image reference.*Example: kindest\/node:v1\.33\.1/,
        ],
        [{ workerNodes: 9 }, /workerNodes must be a whole number from 0 to 5/],
        [{ kindPath: "" }, /kindPath must be an executable's name on PATH or its path/],
    ] as const) {
        it(`rejects ${JSON.stringify(args)} with a ResourceError before registering the cluster`, () => {
            const name = `bad-${Object.keys(args)[0].toLowerCase()}`;
            assert.throws(
                () => new KindCluster(name, args),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith(`KindCluster "${name}": `) &&
                    message.test(err.message),
            );
            assert.ok(!isRecorded("pulumi-nodejs:dynamic/kind:Cluster", name));
        });
    }
});
