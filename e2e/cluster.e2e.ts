import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { LabProject, runVerify } from "./harness";
import { ExistingCluster, sharedCluster } from "./realKind";

/**
 * The lab on the real engine in existing-cluster mode (kind.e2e.ts covers kind mode), against
 * a real kind cluster the run shares between suites. Proves the guide's behaviour on real
 * containers, Pod Security admission included.
 */
describe("the lab on an existing cluster (a real kind cluster)", () => {
    let node: ExistingCluster;
    let project: LabProject;
    let stack: Stack;
    let outputs: Record<string, unknown>;
    const paste = (command: string, seconds?: number) => node.kind.paste(command, seconds);

    before(async function () {
        this.timeout(600_000);
        node = sharedCluster();
        project = node.kind.project();
        stack = await project.stack("real", { kubeconfigPath: node.kubeconfig, kubeContext: node.context });
    });
    after(() => project?.dispose());

    it("up deploys both Pods to Ready and exports every output", async () => {
        const result = await stack.up();
        assert.deepStrictEqual(result.summary.resourceChanges, { create: 8 });
        outputs = Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value]));
        assert.deepStrictEqual(Object.keys(outputs).sort(), [
            "deployed",
            "describeCommands",
            "initPodName",
            "kubeContext",
            "logCommands",
            "namespace",
            "sidecarPodName",
            "watchCommands",
        ]);
        const ready = node.kubectl("-n", "lab-real", "get", "pods", "-o", "jsonpath={.items[*].status.phase}");
        assert.strictEqual(ready, "Running Running");
    });

    it("every exported log command prints the guide's lines", () => {
        const logs = outputs.logCommands as Record<string, string>;
        assert.strictEqual(paste(logs.init), "Initialization started...\nInitialization completed.\n");
        assert.strictEqual(paste(logs.main), "Main container started\n");
        assert.strictEqual(paste(logs.sidecarMain), "", "the writer writes to the file, not to stdout");
        const streamed = paste(logs.sidecar, 7)
            .split("\n")
            .filter((l) => l === "Hello Container");
        assert.ok(streamed.length >= 1, `the sidecar streams Hello Container (got ${streamed.length} lines)`);
        const describe = outputs.describeCommands as Record<string, string>;
        assert.match(paste(describe.init), /init-container:[\s\S]*Reason:\s+Completed/);
        assert.match(paste((outputs.watchCommands as Record<string, string>).init, 3), /init-test\s+1\/1\s+Running/);
    });

    it("the API server shows the init container finished before the main container started, 10 s after creation", () => {
        const pod = JSON.parse(node.kubectl("-n", "lab-real", "get", "pod", "init-test", "-o", "json"));
        const finished = Date.parse(pod.status.initContainerStatuses[0].state.terminated.finishedAt);
        const started = Date.parse(pod.status.containerStatuses[0].state.running.startedAt);
        const created = Date.parse(pod.metadata.creationTimestamp);
        const ready = Date.parse(
            pod.status.conditions.find((c: { type: string }) => c.type === "Ready").lastTransitionTime,
        );
        assert.ok(finished <= started, `init finished ${finished} before main started ${started}`);
        assert.ok(ready - created >= 10_000, `Ready ${(ready - created) / 1000} s after creation`);
        const labels = JSON.parse(node.kubectl("get", "namespace", "lab-real", "-o", "json")).metadata.labels;
        assert.strictEqual(labels["pod-security.kubernetes.io/enforce"], "restricted", "admission enforced restricted");
    });

    it("npm run verify, pointed at the namespace, confirms the lesson on the live Pods", () => {
        const verify = runVerify(
            ["--namespace", "lab-real", "--kubeconfig", node.kubeconfig, "--context", node.context],
            {},
        );
        assert.strictEqual(verify.status, 0, verify.output);
        assert.match(verify.output, /All 4 checks passed/);
    });

    it("two stacks at once on the same cluster do not collide", async () => {
        const config = { kubeconfigPath: node.kubeconfig, kubeContext: node.context, initDelaySeconds: "2" };
        const [ann, ben] = await Promise.all([project.stack("ann", config), project.stack("ben", config)]);
        const [a, b] = await Promise.all([ann.up(), ben.up()]);
        assert.deepStrictEqual([a.summary.resourceChanges, b.summary.resourceChanges], [{ create: 8 }, { create: 8 }]);
        assert.deepStrictEqual([a.outputs.namespace.value, b.outputs.namespace.value], ["lab-ann", "lab-ben"]);
        for (const ns of ["lab-ann", "lab-ben", "lab-real"]) {
            const phases = node.kubectl("-n", ns, "get", "pods", "-o", "jsonpath={.items[*].status.phase}");
            assert.strictEqual(phases, "Running Running", `the Pods in ${ns}`);
        }
        await Promise.all([ann.destroy(), ben.destroy()]);
        const phases = node.kubectl("-n", "lab-real", "get", "pods", "-o", "jsonpath={.items[*].status.phase}");
        assert.strictEqual(phases, "Running Running", "the first stack's Pods are untouched");
    });

    it("a second up and a refresh change nothing", async () => {
        const again = await stack.up();
        assert.deepStrictEqual(again.summary.resourceChanges, { same: 8 });
        const refresh = await stack.refresh();
        assert.deepStrictEqual(refresh.summary.resourceChanges, { same: 8 });
    });

    it("a config change replaces the Pods; in native mode the sidecar is a restartPolicy: Always init container", async () => {
        await stack.setConfig("init-sidecar-lab:sidecarMode", { value: "native" });
        await stack.setConfig("init-sidecar-lab:initDelaySeconds", { value: "3" });
        const preview = await stack.preview();
        assert.deepStrictEqual(preview.changeSummary, { replace: 2, same: 6 });
        const result = await stack.up();
        assert.deepStrictEqual(result.summary.resourceChanges, { replace: 2, same: 6 });
        const pod = JSON.parse(node.kubectl("-n", "lab-real", "get", "pod", "sidecar-test", "-o", "json"));
        assert.deepStrictEqual(
            pod.spec.initContainers.map((c: { name: string; restartPolicy?: string }) => [c.name, c.restartPolicy]),
            [["sidecar-container", "Always"]],
        );
        const logs = result.outputs.logCommands.value as Record<string, string>;
        assert.ok(paste(logs.sidecar, 7).includes("Hello Container"), "the native sidecar still streams");
    });

    it("destroy removes the Pods and the namespace", async () => {
        await stack.destroy();
        const namespaces = node.kubectl("get", "namespaces", "-o", "name").split("\n");
        assert.ok(namespaces.includes("namespace/default"), "the listing worked");
        assert.ok(!namespaces.includes("namespace/lab-real"), namespaces.join(" "));
        assert.strictEqual(
            node.kubectl("get", "pods", "-A", "-o", "name", "-l", "app.kubernetes.io/name=init-sidecar-lab"),
            "",
        );
    });
});
