import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { LabProject, runVerify } from "./harness";
import { RealKind } from "./realKind";
import { dockerControl } from "./docker";
import { DEPLOYED_VERSION, DeployedLab } from "../components";

/**
 * The lab exactly as `pulumi up` runs it by default, in kind mode, with real kind on the host's
 * real Docker: the KindCluster provider, the Kubernetes provider built from the kubeconfig kind
 * hands back, the Pods, the exported commands pasted into a shell, and the faults only a real
 * Docker shows.
 */
/** `npm run up` (scripts/lab.sh): refresh first, in program order, so a cluster that cannot be read stops it. */
const AS_NPM_RUN_UP = { refresh: true, runProgram: true };

describe("the lab in kind mode, on real kind", () => {
    const kind = new RealKind("lab-kind-");
    const stackName = kind.name("kind");
    const cluster = `lab-${stackName}`;
    const context = `kind-${cluster}`;
    let project: LabProject;
    let stack: Stack;
    let volumes: string[] = [];

    const resourcesOf = async () =>
        ((await stack.exportStack()).deployment.resources ?? []).map((r: { urn: string; id?: string }) => [
            r.urn,
            r.id,
        ]);

    before(async () => {
        project = kind.project();
        stack = await project.stack(stackName);
    });
    after(() => {
        project?.dispose();
        kind.dispose();
    });

    it("up with the default config creates the cluster and both Pods, and kind writes its context", async () => {
        const result = await stack.up();
        assert.deepStrictEqual(result.summary.resourceChanges, { create: 10 });
        assert.strictEqual(result.outputs.clusterName.value, cluster);
        assert.strictEqual(result.outputs.kubeContext.value, context);
        assert.strictEqual(result.outputs.kubeconfig.secret, true);
        assert.ok(kind.clusters().includes(cluster), `kind get clusters lists ${cluster}`);
        assert.deepStrictEqual([...kind.nodes(cluster).keys()], [`${cluster}-control-plane`]);
        // kind sets the new context as current, as it does for anyone who runs `kind create cluster`.
        assert.strictEqual(kind.run("kubectl", "config", "current-context").stdout.trim(), context);
        volumes = kind.volumesOf(cluster);
        assert.strictEqual(volumes.length, 1, `the node's /var volume: ${volumes.join(" ")}`);
    });

    it("exports every output, and every exported command works as pasted, through the context kind wrote", async () => {
        const outputs = Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value]));
        assert.deepStrictEqual(Object.keys(outputs).sort(), [
            "clusterName",
            "deployed",
            "describeCommands",
            "initPodName",
            "kubeContext",
            "kubeconfig",
            "logCommands",
            "namespace",
            "sidecarPodName",
            "watchCommands",
        ]);
        assert.strictEqual(outputs.namespace, cluster);
        assert.deepStrictEqual([outputs.initPodName, outputs.sidecarPodName], ["init-test", "sidecar-test"]);
        // What verify and the timeline read: the defaults, resolved, as deployed.
        const deployed = outputs.deployed as DeployedLab;
        assert.strictEqual(deployed.version, DEPLOYED_VERSION);
        assert.deepStrictEqual(deployed.initPod.initSteps, ["init-container"]);
        assert.strictEqual(deployed.initPod.initDelaySeconds, 10);
        assert.strictEqual(deployed.sidecarPod.intervalSeconds, 5);
        assert.strictEqual(deployed.sidecarPod.logPath, "/var/log/app.log");
        // kind's kubeconfig points at the API server kind published on loopback (the lab's config).
        const server = /server: (https:\/\/127\.0\.0\.1:\d+)/.exec(outputs.kubeconfig as string)?.[1];
        assert.ok(server, "the kubeconfig names a loopback API server");
        const port = kind.docker("port", `${cluster}-control-plane`, "6443/tcp").trim();
        assert.strictEqual(server, `https://${port}`, "the port Docker published for the API server");
        const logs = outputs.logCommands as Record<string, string>;
        assert.match(logs.init, new RegExp(`^kubectl --context ${context} -n ${cluster} logs init-test`));
        assert.strictEqual(kind.paste(logs.init), "Initialization started...\nInitialization completed.\n");
        assert.strictEqual(kind.paste(logs.main), "Main container started\n");
        assert.strictEqual(kind.paste(logs.sidecarMain), "", "the writer writes to the file, not to stdout");
        const streamed = kind
            .paste(logs.sidecar, 7)
            .split("\n")
            .filter((l) => l === "Hello Container");
        assert.ok(streamed.length >= 1, `the sidecar streams Hello Container (got ${streamed.length} lines)`);
        const watch = outputs.watchCommands as Record<string, string>;
        assert.match(kind.paste(watch.all, 3), /init-test\s+1\/1\s+Running[\s\S]*sidecar-test\s+2\/2\s+Running/);
        assert.match(kind.paste(watch.init, 3), /init-test\s+1\/1\s+Running/);
        assert.match(kind.paste(watch.sidecar, 3), /sidecar-test\s+2\/2\s+Running/);
        const describe = outputs.describeCommands as Record<string, string>;
        assert.match(kind.paste(describe.init), /init-container:[\s\S]*Reason:\s+Completed/);
        assert.match(kind.paste(describe.sidecar), /sidecar-container:[\s\S]*State:\s+Running/);
    });

    it("npm run verify finds the Pods from the stack and confirms the lesson", () => {
        const verify = runVerify(["--stack", stackName], { ...project.env, LAB_PROJECT_DIR: project.workDir });
        assert.strictEqual(verify.status, 0, verify.output);
        assert.match(
            verify.output,
            /PASS {2}init-test: init container "init-container" ran first and completed \(exit 0\)/,
        );
        assert.match(
            verify.output,
            /PASS {2}init-test: the main container started at .* after the init container finished/,
        );
        assert.match(
            verify.output,
            /PASS {2}sidecar-test: the main container and the sidecar \(a second container\) run side by side/,
        );
        assert.match(
            verify.output,
            /PASS {2}sidecar-test: the sidecar is streaming \/var\/log\/app\.log: \d+ new lines? in \d+ s \(last: "Hello Container"\) \(the app writes every 5 s\)/,
        );
        assert.match(verify.output, /All 4 checks passed/);
    });

    it("npm run verify exits non-zero, saying why, where the lab's Pods are not", () => {
        const verify = runVerify(["--namespace", "default", "--context", context], kind.env);
        assert.strictEqual(verify.status, 1, verify.output);
        assert.match(verify.output, /FAIL {2}Pod init-test is not in namespace default/);
    });

    it("Docker stopped: up says to start Docker and keeps the state; once Docker is back, up converges", async function () {
        const docker = dockerControl();
        if (!docker) {
            // Stopping the engine of a machine we do not own (a CI runner's, a developer's) is not ours to do.
            this.skip();
        }
        const before = await resourcesOf();
        docker.stop();
        try {
            await assert.rejects(stack.up(AS_NPM_RUN_UP), (err: Error) => {
                assert.match(err.message, /kind cannot reach Docker: start Docker/);
                assert.match(err.message, /Cannot connect to the Docker daemon/);
                return true;
            });
            assert.deepStrictEqual(await resourcesOf(), before, "the failed up changed nothing in the state");
        } finally {
            docker.start();
        }
        const up = await stack.up(AS_NPM_RUN_UP);
        assert.strictEqual(up.summary.result, "succeeded");
        kind.kubectl(context, "-n", cluster, "wait", "--for=condition=Ready", "pod", "--all", "--timeout=120s");
        // The node container restarted with Docker, so its Pods' containers did too: the log may end with
        // the shell's "Terminated" from the stop. What matters is that the main container started again.
        const main = kind.paste((await stack.outputs()).logCommands.value.main);
        assert.match(main, /^Main container started\n/, main);
    });

    it("a cluster deleted with `kind delete cluster`: refresh notices, the next up recreates it all", async () => {
        kind.kind("delete", "cluster", "--name", cluster);
        const refresh = await stack.refresh();
        // The cluster is gone, and with it (deleteUnreachable) the namespace and the two Pods.
        assert.strictEqual(refresh.summary.resourceChanges?.delete, 4);
        const up = await stack.up();
        assert.strictEqual(up.summary.resourceChanges?.create, 4);
        const logs = up.outputs.logCommands.value as Record<string, string>;
        assert.strictEqual(kind.paste(logs.main), "Main container started\n");
    });

    it("a cluster deleted by hand again: npm run up alone (refresh, then up) recreates it all", async () => {
        kind.kind("delete", "cluster", "--name", cluster);
        const up = await stack.up(AS_NPM_RUN_UP);
        assert.strictEqual(up.summary.result, "succeeded");
        assert.ok(kind.clusters().includes(cluster));
        const logs = up.outputs.logCommands.value as Record<string, string>;
        assert.strictEqual(kind.paste(logs.main), "Main container started\n");
        assert.strictEqual(kind.paste(logs.init), "Initialization started...\nInitialization completed.\n");
        volumes = kind.volumesOf(cluster);
    });

    it("destroy leaves no container, volume, network or kubeconfig context of the cluster", async () => {
        await stack.destroy();
        assert.ok(!kind.clusters().includes(cluster), "kind no longer lists it");
        assert.deepStrictEqual(kind.leftovers(cluster, volumes), {
            containers: [],
            volumes: [],
            networks: [],
            contexts: [],
        });
    });
});
