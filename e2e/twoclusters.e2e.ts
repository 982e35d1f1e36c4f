import * as assert from "assert";
import * as fs from "fs";
import { Stack } from "@pulumi/pulumi/automation";
import { LabProject } from "./harness";
import { RealKind } from "./realKind";

/**
 * Two stacks of the lab in kind mode, brought up at the same time on one machine: each gets its
 * own real kind cluster (its own node container, API server port and kubeconfig context), through
 * one shared KUBECONFIG as a learner's ~/.kube/config would be. Tearing one down must not disturb
 * the other, and the last one out must leave nothing behind.
 */
describe("two stacks in kind mode at once, each with its own real kind cluster", () => {
    const kind = new RealKind("lab-twokind-");
    const { env } = kind;
    const names = [kind.name("alpha"), kind.name("beta")];
    const [alpha, beta] = names;
    let project: LabProject;
    const stacks: Record<string, Stack> = {};
    const outputs: Record<string, Record<string, unknown>> = {};
    const volumes: Record<string, string[]> = {};

    /** The API server a kubeconfig (YAML as kind writes it) points at. */
    const serverOf = (kubeconfig: string) => /server: (https:\/\/127\.0\.0\.1:\d+)/.exec(kubeconfig)?.[1];
    const podUids = (name: string) =>
        kind
            .kubectl(`kind-lab-${name}`, "-n", `lab-${name}`, "get", "pods", "-o", "jsonpath={.items[*].metadata.uid}")
            .split(" ")
            .filter((uid) => uid !== "");

    before(async () => {
        project = kind.project();
        for (const name of names) stacks[name] = await project.stack(name, { initDelaySeconds: "2" });
    });
    after(() => {
        project?.dispose();
        kind.dispose();
    });

    it("both ups at once: each stack creates its own cluster, on its own API server port", async () => {
        const results = await Promise.all(names.map((name) => stacks[name].up()));
        for (const [i, name] of names.entries()) {
            assert.deepStrictEqual(results[i].summary.resourceChanges, { create: 10 }, name);
            outputs[name] = Object.fromEntries(Object.entries(results[i].outputs).map(([k, v]) => [k, v.value]));
            assert.strictEqual(outputs[name].clusterName, `lab-${name}`);
            assert.strictEqual(outputs[name].kubeContext, `kind-lab-${name}`);
        }
        const clusters = kind.clusters();
        for (const name of names) assert.ok(clusters.includes(`lab-${name}`), `kind lists lab-${name}: ${clusters}`);
        const servers = names.map((name) => serverOf(outputs[name].kubeconfig as string));
        assert.ok(servers[0] && servers[1], `both kubeconfigs name a server: ${servers.join(", ")}`);
        assert.notStrictEqual(servers[0], servers[1], "each cluster has its own API server");
        // The shared KUBECONFIG kept both contexts, each pointing at its own cluster.
        for (const [i, name] of names.entries()) {
            const server = kind.kubectl(
                `kind-lab-${name}`,
                "config",
                "view",
                "--minify",
                "-o",
                "jsonpath={.clusters[0].cluster.server}",
            );
            assert.strictEqual(server, servers[i], `context kind-lab-${name}`);
            assert.strictEqual(serverOf(kind.kind("get", "kubeconfig", "--name", `lab-${name}`)), servers[i]);
            volumes[name] = kind.volumesOf(`lab-${name}`);
        }
    });

    it("both Pods are Ready in each cluster, which holds only its own stack's namespace", () => {
        for (const name of names) {
            const context = `kind-lab-${name}`;
            kind.kubectl(
                context,
                "-n",
                `lab-${name}`,
                "wait",
                "--for=condition=Ready",
                "pod",
                "--all",
                "--timeout=90s",
            );
            const pods = kind.kubectl(
                context,
                "-n",
                `lab-${name}`,
                "get",
                "pods",
                "-o",
                "jsonpath={.items[*].metadata.name}",
            );
            assert.strictEqual(pods, "init-test sidecar-test", context);
            const namespaces = kind.kubectl(context, "get", "namespaces", "-o", "name").split("\n");
            const other = names.find((n) => n !== name);
            assert.ok(namespaces.includes(`namespace/lab-${name}`), namespaces.join(" "));
            assert.ok(!namespaces.includes(`namespace/lab-${other}`), `${context} is not shared: ${namespaces}`);
        }
        // Each cluster is its own node container, labelled with its own name.
        const nodes = names.map((name) => [...kind.nodes(`lab-${name}`).keys()]);
        assert.deepStrictEqual(nodes, [[`lab-${alpha}-control-plane`], [`lab-${beta}-control-plane`]]);
    });

    it("each stack's exported log commands print the guide's lines from its own cluster", () => {
        for (const name of names) {
            const logs = outputs[name].logCommands as Record<string, string>;
            assert.match(logs.init, new RegExp(`^kubectl --context kind-lab-${name} -n lab-${name} logs init-test`));
            assert.strictEqual(kind.paste(logs.init), "Initialization started...\nInitialization completed.\n", name);
            assert.strictEqual(kind.paste(logs.main), "Main container started\n", name);
            const streamed = kind
                .paste(logs.sidecar, 7)
                .split("\n")
                .filter((l) => l === "Hello Container");
            assert.ok(streamed.length >= 1, `${name}: the sidecar streams Hello Container (got ${streamed.length})`);
        }
    });

    it("destroying one stack leaves the other's cluster and Pods running and reachable", async () => {
        const before = podUids(beta);
        await stacks[alpha].destroy();
        const clusters = kind.clusters();
        assert.ok(!clusters.includes(`lab-${alpha}`) && clusters.includes(`lab-${beta}`), clusters.join(" "));
        const kubeconfig = fs.readFileSync(env.KUBECONFIG, "utf8");
        assert.ok(!kubeconfig.includes(`kind-lab-${alpha}`), "alpha's context is gone");
        assert.ok(kubeconfig.includes(`kind-lab-${beta}`), "beta's context is kept");
        assert.deepStrictEqual(kind.leftovers(`lab-${alpha}`, volumes[alpha]), {
            containers: [],
            volumes: [],
            networks: [],
            contexts: [],
        });
        const phases = kind.kubectl(
            `kind-lab-${beta}`,
            "-n",
            `lab-${beta}`,
            "get",
            "pods",
            "-o",
            "jsonpath={.items[*].status.phase}",
        );
        assert.strictEqual(phases, "Running Running");
        assert.deepStrictEqual(podUids(beta), before, "the same Pods, not replacements");
        const logs = outputs[beta].logCommands as Record<string, string>;
        assert.strictEqual(kind.paste(logs.main), "Main container started\n");
        const streamed = kind
            .paste(logs.sidecar, 7)
            .split("\n")
            .filter((l) => l === "Hello Container");
        assert.ok(streamed.length >= 1, `beta's sidecar still streams (got ${streamed.length} lines)`);
        const exec = kind.kubectl(
            `kind-lab-${beta}`,
            "-n",
            `lab-${beta}`,
            "exec",
            "sidecar-test",
            "-c",
            "sidecar-container",
            "--",
            "id",
        );
        assert.match(exec, /^uid=\d+/, "exec through beta's API server to its kubelet still works");
    });

    it("destroying the other leaves nothing behind", async () => {
        await stacks[beta].destroy();
        const clusters = kind.clusters();
        for (const name of names) assert.ok(!clusters.includes(`lab-${name}`), clusters.join(" "));
        assert.ok(!fs.readFileSync(env.KUBECONFIG, "utf8").includes("kind-lab-"), "no kind context is left");
        for (const name of names) {
            assert.deepStrictEqual(kind.leftovers(`lab-${name}`, volumes[name]), {
                containers: [],
                volumes: [],
                networks: [],
                contexts: [],
            });
        }
    });
});
