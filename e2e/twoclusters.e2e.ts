import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { LabProject } from "./harness";
import { KindStandin } from "./standin";

/**
 * Two stacks of the lab in kind mode, brought up at the same time on one
 * machine: each gets its own real cluster from the kind stand-in (its own
 * node slot: ports, CNI bridge and subnet, cgroups), through one shared
 * KUBECONFIG as a learner's ~/.kube/config would be. Tearing one down must
 * not disturb the other, and the last one out must leave nothing behind.
 */
describe("two stacks in kind mode at once, each with its own real cluster", () => {
    const standin = new KindStandin("lab-twokind-");
    const { env } = standin;
    const names = ["alpha", "beta"] as const;
    let project: LabProject;
    const stacks: Record<string, Stack> = {};
    const outputs: Record<string, Record<string, unknown>> = {};

    /** The API server a kubeconfig (YAML as kind writes it) points at. */
    const serverOf = (kubeconfig: string) => /server: (https:\/\/127\.0\.0\.1:\d+)/.exec(kubeconfig)?.[1];
    const podIps = (name: string) =>
        standin
            .kubectl(`kind-lab-${name}`, "-n", `lab-${name}`, "get", "pods", "-o", "jsonpath={.items[*].status.podIP}")
            .split(" ")
            .filter((ip) => ip !== "");

    before(async () => {
        project = standin.project();
        for (const name of names) stacks[name] = await project.stack(name, { initDelaySeconds: "2" });
    });
    after(() => {
        project?.dispose();
        standin.dispose();
    });

    it("both ups at once: each stack creates its own cluster, on its own API server port", async () => {
        const results = await Promise.all(names.map((name) => stacks[name].up()));
        for (const [i, name] of names.entries()) {
            assert.deepStrictEqual(results[i].summary.resourceChanges, { create: 10 }, name);
            outputs[name] = Object.fromEntries(Object.entries(results[i].outputs).map(([k, v]) => [k, v.value]));
            assert.strictEqual(outputs[name].clusterName, `lab-${name}`);
            assert.strictEqual(outputs[name].kubeContext, `kind-lab-${name}`);
        }
        assert.deepStrictEqual(standin.kind("get", "clusters").trim().split("\n").sort(), ["lab-alpha", "lab-beta"]);
        const servers = names.map((name) => serverOf(outputs[name].kubeconfig as string));
        assert.ok(servers[0] && servers[1], `both kubeconfigs name a server: ${servers.join(", ")}`);
        assert.notStrictEqual(servers[0], servers[1], "each cluster has its own API server");
        // The shared KUBECONFIG kept both contexts, each pointing at its own cluster.
        for (const [i, name] of names.entries()) {
            const server = standin.kubectl(
                `kind-lab-${name}`,
                "config",
                "view",
                "--minify",
                "-o",
                "jsonpath={.clusters[0].cluster.server}",
            );
            assert.strictEqual(server, servers[i], `context kind-lab-${name}`);
            assert.strictEqual(serverOf(standin.kind("get", "kubeconfig", "--name", `lab-${name}`)), servers[i]);
        }
    });

    it("both Pods are Ready in each cluster, which holds only its own stack's namespace", () => {
        for (const name of names) {
            const context = `kind-lab-${name}`;
            standin.kubectl(
                context,
                "-n",
                `lab-${name}`,
                "wait",
                "--for=condition=Ready",
                "pod",
                "--all",
                "--timeout=90s",
            );
            const pods = standin.kubectl(
                context,
                "-n",
                `lab-${name}`,
                "get",
                "pods",
                "-o",
                "jsonpath={.items[*].metadata.name}",
            );
            assert.strictEqual(pods, "init-test sidecar-test", context);
            const namespaces = standin.kubectl(context, "get", "namespaces", "-o", "name").split("\n");
            const other = names.find((n) => n !== name);
            assert.ok(namespaces.includes(`namespace/lab-${name}`), namespaces.join(" "));
            assert.ok(!namespaces.includes(`namespace/lab-${other}`), `${context} is not shared: ${namespaces}`);
        }
        // Each node's CNI bridge hands out its own subnet.
        const subnets = names.map((name) => new Set(podIps(name).map((ip) => ip.split(".").slice(0, 3).join("."))));
        assert.strictEqual(subnets[0].size, 1, [...subnets[0]].join(" "));
        assert.strictEqual(subnets[1].size, 1, [...subnets[1]].join(" "));
        assert.notDeepStrictEqual([...subnets[0]], [...subnets[1]]);
    });

    it("each stack's exported log commands print the guide's lines from its own cluster", () => {
        for (const name of names) {
            const logs = outputs[name].logCommands as Record<string, string>;
            assert.match(logs.init, new RegExp(`^kubectl --context kind-lab-${name} -n lab-${name} logs init-test`));
            assert.strictEqual(
                standin.paste(logs.init),
                "Initialization started...\nInitialization completed.\n",
                name,
            );
            assert.strictEqual(standin.paste(logs.main), "Main container started\n", name);
            const streamed = standin
                .paste(logs.sidecar, 7)
                .split("\n")
                .filter((l) => l === "Hello Container");
            assert.ok(streamed.length >= 1, `${name}: the sidecar streams Hello Container (got ${streamed.length})`);
        }
    });

    it("destroying one stack leaves the other's cluster and Pods running and reachable", async () => {
        const before = podIps("beta");
        await stacks.alpha.destroy();
        assert.strictEqual(standin.kind("get", "clusters").trim(), "lab-beta");
        const kubeconfig = fs.readFileSync(env.KUBECONFIG, "utf8");
        assert.ok(!kubeconfig.includes("kind-lab-alpha"), "alpha's context is gone");
        assert.ok(kubeconfig.includes("kind-lab-beta"), "beta's context is kept");
        const phases = standin.kubectl(
            "kind-lab-beta",
            "-n",
            "lab-beta",
            "get",
            "pods",
            "-o",
            "jsonpath={.items[*].status.phase}",
        );
        assert.strictEqual(phases, "Running Running");
        assert.deepStrictEqual(podIps("beta"), before, "the same Pods, not replacements");
        const logs = outputs.beta.logCommands as Record<string, string>;
        assert.strictEqual(standin.paste(logs.main), "Main container started\n");
        const streamed = standin
            .paste(logs.sidecar, 7)
            .split("\n")
            .filter((l) => l === "Hello Container");
        assert.ok(streamed.length >= 1, `beta's sidecar still streams (got ${streamed.length} lines)`);
        const exec = standin.kubectl(
            "kind-lab-beta",
            "-n",
            "lab-beta",
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
        // The stand-in's delete fails (and so would destroy) when the last node's teardown finds a
        // leftover process, mount, link, netns, iptables rule, nf_tables table or cgroup.
        await stacks.beta.destroy();
        assert.strictEqual(standin.kind("get", "clusters"), "");
        assert.ok(!fs.readFileSync(env.KUBECONFIG, "utf8").includes("kind-lab-"), "no kind context is left");
        assert.strictEqual(standin.runningProcesses(), "");
        assert.deepStrictEqual(standin.clusterDirs(), []);
        // No node slot of ours is left registered on the host.
        const registry = "/run/init-sidecar-lab/nodes";
        const ours = fs.existsSync(registry)
            ? fs
                  .readdirSync(registry)
                  .filter((slot) => fs.readFileSync(path.join(registry, slot), "utf8").startsWith(standin.root))
            : [];
        assert.deepStrictEqual(ours, []);
    });
});
