import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { LabProject, projectWithFakeKind } from "./harness";
import { RealKind } from "./realKind";

/**
 * The lab program on the real Pulumi engine, the real Kubernetes provider
 * plugin and the real dynamic-provider host. No cluster is needed: previews
 * never reach one, nor run kind (the fake kind's log proves it). The kind cluster's own
 * lifecycle, below, runs on real kind.
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
});

/**
 * The kind cluster alone (targeted: no Pods), through the serialized dynamic provider on the real
 * engine and real kind, with a worker node: what the program asks of kind, kind makes.
 */
describe("the kind cluster's lifecycle through the serialized dynamic provider, on real kind", () => {
    const kind = new RealKind("lab-kindlife-");
    const stackName = kind.name("life");
    const cluster = `lab-${stackName}`;
    let project: LabProject;
    let stack: Stack;
    let nodes: Map<string, string>;
    let volumes: string[] = [];
    const componentUrn = `urn:pulumi:${stackName}::init-sidecar-lab::initsidecarlab:kind:KindCluster::lab`;
    const clusterUrn = `urn:pulumi:${stackName}::init-sidecar-lab::initsidecarlab:kind:KindCluster$pulumi-nodejs:dynamic/kind:Cluster::lab`;
    const onlyTheCluster = { target: [componentUrn, clusterUrn] };

    before(async () => {
        project = kind.project();
        stack = await project.stack(stackName, { workerNodes: "1" });
    });
    after(() => {
        project?.dispose();
        kind.dispose();
    });

    it("up creates the cluster with its worker, and keeps the kubeconfig only as a secret", async () => {
        const result = await stack.up(onlyTheCluster);
        assert.strictEqual(result.summary.result, "succeeded");
        nodes = kind.nodes(cluster);
        assert.deepStrictEqual([...nodes.keys()].sort(), [`${cluster}-control-plane`, `${cluster}-worker`]);
        const ready = kind.kubectl(`kind-${cluster}`, "get", "nodes", "-o", "jsonpath={.items[*].metadata.name}");
        assert.deepStrictEqual(ready.split(" ").sort(), [`${cluster}-control-plane`, `${cluster}-worker`]);
        volumes = kind.volumesOf(cluster);
        const state = await stack.exportStack();
        const resource = state.deployment.resources.find((r: { urn: string }) => r.urn === clusterUrn);
        assert.strictEqual(resource.outputs.kubeContext, `kind-${cluster}`);
        const secretSig = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
        assert.deepStrictEqual(
            { ...resource.outputs.kubeconfig, plaintext: undefined },
            { ...secretSig, plaintext: undefined },
        );
        // The admin client key kind made for this cluster, as kind prints it.
        const clientKey = /client-key-data: (\S+)/.exec(kind.kind("get", "kubeconfig", "--name", cluster))?.[1];
        assert.ok(clientKey && clientKey.length > 100, "kind's kubeconfig holds a client key");
        const onDisk = project.rawState(stackName);
        assert.ok(!onDisk.includes(clientKey), "the state file never holds the kubeconfig's client key in the clear");
        assert.ok(onDisk.includes("ciphertext"));
    });

    it("bad config on a deployed stack fails without touching the cluster", async () => {
        await stack.setConfig("init-sidecar-lab:intervalSeconds", { value: "0" });
        await assert.rejects(stack.up(), /intervalSeconds must be a whole number from 1 to 3600/);
        await stack.removeConfig("init-sidecar-lab:intervalSeconds");
        const state = await stack.exportStack();
        assert.ok(state.deployment.resources.some((r: { urn: string }) => r.urn === clusterUrn));
        assert.deepStrictEqual(kind.nodes(cluster), nodes, "the same node containers");
    });

    it("destroy deletes the cluster, its volumes and its context", async () => {
        await stack.destroy();
        assert.deepStrictEqual(kind.leftovers(cluster, volumes), {
            containers: [],
            volumes: [],
            networks: [],
            contexts: [],
        });
    });
});
