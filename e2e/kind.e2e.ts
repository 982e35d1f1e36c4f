import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { LabProject, runVerify } from "./harness";
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

    it("exports every output, and every exported command works as pasted, through the context kind merged", async () => {
        const outputs = Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value]));
        assert.deepStrictEqual(Object.keys(outputs).sort(), [
            "clusterName",
            "describeCommands",
            "initPodName",
            "kubeContext",
            "kubeconfig",
            "logCommands",
            "namespace",
            "sidecarPodName",
            "watchCommands",
        ]);
        assert.match(outputs.kubeconfig as string, /server: https:\/\/127\.0\.0\.1:/);
        const logs = outputs.logCommands as Record<string, string>;
        assert.match(logs.init, /^kubectl --context kind-lab-kindreal -n lab-kindreal logs init-test/);
        assert.strictEqual(pasteHere(logs.init), "Initialization started...\nInitialization completed.\n");
        assert.strictEqual(pasteHere(logs.main), "Main container started\n");
        assert.strictEqual(pasteHere(logs.sidecarMain), "", "the writer writes to the file, not to stdout");
        const streamed = pasteHere(logs.sidecar, 7)
            .split("\n")
            .filter((l) => l === "Hello Container");
        assert.ok(streamed.length >= 1, `the sidecar streams Hello Container (got ${streamed.length} lines)`);
        const watch = outputs.watchCommands as Record<string, string>;
        assert.match(pasteHere(watch.all, 3), /init-test\s+1\/1\s+Running[\s\S]*sidecar-test\s+2\/2\s+Running/);
        assert.match(pasteHere(watch.init, 3), /init-test\s+1\/1\s+Running/);
        assert.match(pasteHere(watch.sidecar, 3), /sidecar-test\s+2\/2\s+Running/);
        const describe = outputs.describeCommands as Record<string, string>;
        assert.match(pasteHere(describe.init), /init-container:[\s\S]*Reason:\s+Completed/);
        assert.match(pasteHere(describe.sidecar), /sidecar-container:[\s\S]*State:\s+Running/);
    });

    it("npm run verify finds the Pods from the stack and confirms the lesson", () => {
        const verify = runVerify(["--stack", "kindreal"], { ...project.env, LAB_PROJECT_DIR: project.workDir });
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
            /PASS {2}sidecar-test: the sidecar is streaming: \d+ new lines? in \d+ s \(last: "Hello Container"\)/,
        );
        assert.match(verify.output, /All 4 checks passed/);
    });

    it("npm run verify exits non-zero, saying why, where the lab's Pods are not", () => {
        const verify = runVerify(["--namespace", "default", "--context", "kind-lab-kindreal"], env);
        assert.strictEqual(verify.status, 1, verify.output);
        assert.match(verify.output, /FAIL {2}Pod init-test is not in namespace default/);
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

    it("destroy removes the Pods and the cluster, and kind's context, leaving nothing running", async () => {
        await stack.destroy();
        assert.strictEqual(kind("get", "clusters"), "");
        assert.ok(!fs.readFileSync(env.KUBECONFIG, "utf8").includes("kind-lab-kindreal"));
        // The stand-in's delete fails (and so would destroy) when its teardown finds a leftover
        // mount, link, netns, iptables rule, nf_tables table or cgroup; processes are checked here too.
        const stillRunning = spawnSync("pgrep", ["-a", "-f", env.LAB_KIND_STANDIN_STATE], { encoding: "utf8" }).stdout;
        assert.strictEqual(stillRunning, "");
        assert.deepStrictEqual(fs.readdirSync(env.LAB_KIND_STANDIN_STATE), []);
    });
});
