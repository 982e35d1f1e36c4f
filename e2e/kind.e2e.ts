import * as assert from "assert";
import * as fs from "fs";
import { Stack } from "@pulumi/pulumi/automation";
import { LabProject, runVerify } from "./harness";
import { KindStandin } from "./standin";

/**
 * The lab exactly as `pulumi up` runs it by default, in kind mode, with the
 * kind stand-in (e2e/kind-standin/kind) first on PATH: it boots a real node
 * for `kind create cluster`, so the KindCluster provider, the Kubernetes
 * provider built from its kubeconfig and the Pods all run for real.
 */
describe("the lab in kind mode, on a real node booted by the kind stand-in", () => {
    const standin = new KindStandin("lab-kind-");
    const { env } = standin;
    let project: LabProject;
    let stack: Stack;

    before(async () => {
        project = standin.project();
        stack = await project.stack("kindreal");
    });
    after(() => {
        project?.dispose();
        standin.dispose();
    });

    it("up with the default config creates the cluster and both Pods, and exports kind's context", async () => {
        const result = await stack.up();
        assert.deepStrictEqual(result.summary.resourceChanges, { create: 10 });
        assert.strictEqual(result.outputs.clusterName.value, "lab-kindreal");
        assert.strictEqual(result.outputs.kubeContext.value, "kind-lab-kindreal");
        assert.strictEqual(result.outputs.kubeconfig.secret, true);
        assert.strictEqual(standin.kind("get", "clusters").trim(), "lab-kindreal");
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
        assert.strictEqual(standin.paste(logs.init), "Initialization started...\nInitialization completed.\n");
        assert.strictEqual(standin.paste(logs.main), "Main container started\n");
        assert.strictEqual(standin.paste(logs.sidecarMain), "", "the writer writes to the file, not to stdout");
        const streamed = standin
            .paste(logs.sidecar, 7)
            .split("\n")
            .filter((l) => l === "Hello Container");
        assert.ok(streamed.length >= 1, `the sidecar streams Hello Container (got ${streamed.length} lines)`);
        const watch = outputs.watchCommands as Record<string, string>;
        assert.match(standin.paste(watch.all, 3), /init-test\s+1\/1\s+Running[\s\S]*sidecar-test\s+2\/2\s+Running/);
        assert.match(standin.paste(watch.init, 3), /init-test\s+1\/1\s+Running/);
        assert.match(standin.paste(watch.sidecar, 3), /sidecar-test\s+2\/2\s+Running/);
        const describe = outputs.describeCommands as Record<string, string>;
        assert.match(standin.paste(describe.init), /init-container:[\s\S]*Reason:\s+Completed/);
        assert.match(standin.paste(describe.sidecar), /sidecar-container:[\s\S]*State:\s+Running/);
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
        standin.kind("delete", "cluster", "--name", "lab-kindreal");
        const refresh = await stack.refresh();
        // The cluster is gone, and with it (deleteUnreachable) the namespace and the two Pods.
        assert.strictEqual(refresh.summary.resourceChanges?.delete, 4);
        const up = await stack.up();
        assert.strictEqual(up.summary.resourceChanges?.create, 4);
        const logs = up.outputs.logCommands.value as Record<string, string>;
        assert.strictEqual(standin.paste(logs.main), "Main container started\n");
    });

    it("destroy removes the Pods and the cluster, and kind's context, leaving nothing running", async () => {
        await stack.destroy();
        assert.strictEqual(standin.kind("get", "clusters"), "");
        assert.ok(!fs.readFileSync(env.KUBECONFIG, "utf8").includes("kind-lab-kindreal"));
        // The stand-in's delete fails (and so would destroy) when its teardown finds a leftover
        // mount, link, netns, iptables rule, nf_tables table or cgroup; processes are checked here too.
        assert.strictEqual(standin.runningProcesses(), "");
        assert.deepStrictEqual(standin.clusterDirs(), []);
    });
});
