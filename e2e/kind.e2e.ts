import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { LabProject } from "./harness";
import { K8S_BIN, paste } from "./node";

/**
 * The lab exactly as `pulumi up` runs it by default, in kind mode, with the
 * kind stand-in (e2e/kind-standin/kind) first on PATH: it boots a real node
 * for `kind create cluster`, so the KindCluster provider, the Kubernetes
 * provider built from its kubeconfig and the Pods all run for real.
 */
describe("the lab in kind mode, on a real node booted by the kind stand-in", () => {
    const standinDir = path.join(__dirname, "kind-standin");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "lab-kind-"));
    const env = {
        LAB_KIND_STANDIN_STATE: path.join(root, "clusters"),
        // kind merges the kind-<name> context here, so the exported commands work as pasted.
        KUBECONFIG: path.join(root, "kubeconfig"),
    };
    const shellEnv = { ...process.env, ...env, PATH: [standinDir, K8S_BIN, process.env.PATH].join(path.delimiter) };
    let project: LabProject;
    let stack: Stack;

    const pasteHere = (command: string, seconds = 20) => paste(command, seconds, env, [standinDir]);
    const kind = (...args: string[]) =>
        execFileSync(path.join(standinDir, "kind"), args, { env: shellEnv, encoding: "utf8" });

    before(async () => {
        fs.mkdirSync(env.LAB_KIND_STANDIN_STATE);
        project = new LabProject([standinDir, K8S_BIN], env);
        stack = await project.stack("kindreal");
    });
    after(() => {
        // Whatever a failed test left running.
        spawnSync(path.join(standinDir, "kind"), ["delete", "cluster", "--name", "lab-kindreal"], { env: shellEnv });
        project?.dispose();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it("up with the default config creates the cluster and both Pods, and exports kind's context", async () => {
        const result = await stack.up();
        assert.deepStrictEqual(result.summary.resourceChanges, { create: 10 });
        assert.strictEqual(result.outputs.clusterName.value, "lab-kindreal");
        assert.strictEqual(result.outputs.kubeContext.value, "kind-lab-kindreal");
        assert.strictEqual(result.outputs.kubeconfig.secret, true);
        assert.strictEqual(kind("get", "clusters").trim(), "lab-kindreal");
    });

    it("the exported commands work as pasted, through the context kind merged", async () => {
        const logs = (await stack.outputs()).logCommands.value as Record<string, string>;
        assert.match(logs.init, /^kubectl --context kind-lab-kindreal -n lab-kindreal logs init-test/);
        assert.strictEqual(pasteHere(logs.init), "Initialization started...\nInitialization completed.\n");
        assert.strictEqual(pasteHere(logs.main), "Main container started\n");
        assert.ok(pasteHere(logs.sidecar, 7).includes("Hello Container"));
    });

    it("a cluster deleted behind Pulumi's back: refresh notices, the next up recreates it all", async () => {
        kind("delete", "cluster", "--name", "lab-kindreal");
        const refresh = await stack.refresh();
        // The cluster is gone, and with it (deleteUnreachable) the namespace and the two Pods.
        assert.strictEqual(refresh.summary.resourceChanges?.delete, 4);
        const up = await stack.up();
        assert.strictEqual(up.summary.resourceChanges?.create, 4);
        const logs = up.outputs.logCommands.value as Record<string, string>;
        assert.strictEqual(pasteHere(logs.main), "Main container started\n");
    });

    it("destroy removes the Pods and the cluster, and kind's context", async () => {
        await stack.destroy();
        assert.strictEqual(kind("get", "clusters"), "");
        assert.ok(!fs.readFileSync(env.KUBECONFIG, "utf8").includes("kind-lab-kindreal"));
    });
});
