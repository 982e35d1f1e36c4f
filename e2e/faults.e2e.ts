import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { LabProject, TOOLCHAIN_DIR } from "./harness";
import { ExistingCluster, RealKind, sharedCluster } from "./realKind";

/**
 * What goes wrong on a learner's machine with real kind, beside Docker stopped (kind.e2e.ts, on a
 * live lab): a cluster of the lab's name that Pulumi did not make, and no kind at all.
 */
describe("faults only real kind shows", () => {
    const kind = new RealKind("lab-faults-");
    const projects: LabProject[] = [];
    after(() => {
        for (const project of projects) project.dispose();
        kind.dispose();
    });

    const clusterResources = async (stack: Stack) =>
        ((await stack.exportStack()).deployment.resources ?? []).filter(
            (r: { type: string }) => r.type === "pulumi-nodejs:dynamic/kind:Cluster",
        );

    describe("a cluster of the same name made outside Pulumi", () => {
        let existing: ExistingCluster;
        let project: LabProject;
        let stack: Stack;

        before(async function () {
            this.timeout(600_000);
            existing = sharedCluster();
            project = kind.project();
            projects.push(project);
            stack = await project.stack(kind.name("samename"), { clusterName: existing.cluster });
        });

        it("up refuses it, saying why and what to do, and leaves it untouched", async () => {
            const nodes = existing.kind.nodes(existing.cluster);
            const started = existing.kind.docker("inspect", "--format", "{{.State.StartedAt}}", ...nodes.keys());
            await assert.rejects(stack.up(), (err: Error) => {
                assert.match(
                    err.message,
                    new RegExp(
                        `A kind cluster named "${existing.cluster}" already exists, and this stack's state does not hold it`,
                    ),
                );
                assert.match(err.message, /it was left untouched/);
                assert.match(err.message, new RegExp(`kind delete cluster --name ${existing.cluster}`));
                assert.match(err.message, /pulumi config set init-sidecar-lab:clusterName <name>/);
                return true;
            });
            assert.deepStrictEqual(await clusterResources(stack), [], "the stack did not adopt it");
            assert.deepStrictEqual(existing.kind.nodes(existing.cluster), nodes, "the same node containers");
            assert.strictEqual(
                existing.kind.docker("inspect", "--format", "{{.State.StartedAt}}", ...nodes.keys()),
                started,
                "not restarted",
            );
            assert.match(existing.kubectl("get", "nodes", "--no-headers"), /\sReady\s/);
        });

        it("destroying that stack leaves the cluster running", async () => {
            await stack.destroy();
            assert.ok(existing.kind.clusters().includes(existing.cluster));
            assert.match(existing.kubectl("get", "nodes", "--no-headers"), /\sReady\s/);
        });
    });

    describe("kind not installed", () => {
        let project: LabProject;
        let stack: Stack;

        before(async () => {
            // The toolchain's tools but kind, in a bin directory of their own, for the Automation API
            // puts the pulumi binary's directory first on PATH; then every PATH directory without kind.
            const root = path.join(kind.root, "without-kind");
            const bin = path.join(root, "bin");
            fs.mkdirSync(bin, { recursive: true });
            const toolchainBin = path.join(TOOLCHAIN_DIR, "bin");
            for (const file of fs.readdirSync(toolchainBin)) {
                if (file !== "kind") fs.symlinkSync(path.join(toolchainBin, file), path.join(bin, file));
            }
            const others = (process.env.PATH ?? "")
                .split(path.delimiter)
                .filter((dir) => dir !== "" && !fs.existsSync(path.join(dir, "kind")));
            project = kind.project({ PATH: [bin, ...others].join(path.delimiter) }, root);
            projects.push(project);
            stack = await project.stack(kind.name("nokind"));
        });

        it("up stops with what to install and which setting points at kind, and creates nothing", async () => {
            await assert.rejects(stack.up(), (err: Error) => {
                assert.match(err.message, /The kind CLI was not found: "kind" is not on PATH or does not exist/);
                assert.match(err.message, /Install kind v0\.20 or newer/);
                assert.match(err.message, /pulumi config set init-sidecar-lab:kindPath/);
                return true;
            });
            assert.deepStrictEqual(await clusterResources(stack), []);
            assert.ok(!kind.clusters().some((c) => c.includes(kind.name("nokind"))), "no cluster was made");
        });
    });
});
