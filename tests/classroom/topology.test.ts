import * as assert from "assert";
import { CONFIG_KEYS, PROJECT } from "../../config";
import { configToRestore, kindHostNotes, studentConfig } from "../../classroom/topology";
import { KIND_INOTIFY } from "../../host/capacity";

const GB = 1024 ** 3;
const roomy = { maxUserWatches: 524288, maxUserInstances: 512, totalMemoryBytes: 64 * GB };
const ubuntu = { maxUserWatches: 8192, maxUserInstances: 128, totalMemoryBytes: 64 * GB };

describe("classroom topology", () => {
    describe("student config", () => {
        it("shared: the cluster's kubeconfig and context, isolation student, the student's name", () => {
            const config = studentConfig({ kind: "shared", kubeconfig: "/k/c.yaml", context: "ctx" }, "alice");
            assert.deepStrictEqual(config.set, {
                "init-sidecar-lab:kubeconfigPath": "/k/c.yaml",
                "init-sidecar-lab:kubeContext": "ctx",
                "init-sidecar-lab:isolation": "student",
                "init-sidecar-lab:student": "alice",
            });
            // kind-only keys would make the program refuse existing-cluster mode.
            assert.ok(config.remove.includes("init-sidecar-lab:nodeImage"));
            assert.ok(!config.remove.includes("init-sidecar-lab:kubeContext"));
        });

        it("shared without --context clears a context set before", () => {
            const config = studentConfig({ kind: "shared", kubeconfig: "/k/c.yaml" }, "alice");
            assert.ok(config.remove.includes("init-sidecar-lab:kubeContext"));
            assert.ok(!("init-sidecar-lab:kubeContext" in config.set));
        });

        it("cluster: sets nothing, clears what a shared topology set", () => {
            const config = studentConfig({ kind: "cluster" }, "alice");
            assert.deepStrictEqual(config.set, {});
            for (const key of ["kubeconfigPath", "kubeContext", "isolation", "student", "clusterMode"]) {
                assert.ok(config.remove.includes(`${PROJECT}:${key}`), key);
            }
        });

        it("touches only keys the program declares", () => {
            for (const config of [
                studentConfig({ kind: "cluster" }, "a"),
                studentConfig({ kind: "shared", kubeconfig: "/k", context: "c" }, "a"),
                studentConfig({ kind: "shared", kubeconfig: "/k" }, "a"),
            ]) {
                for (const key of [...Object.keys(config.set), ...config.remove]) {
                    assert.ok(key.startsWith(`${PROJECT}:`), key);
                    assert.ok(key.slice(PROJECT.length + 1) in CONFIG_KEYS, `${key} is not in config.ts CONFIG_KEYS`);
                }
            }
        });
    });

    describe("restoring config after a preview", () => {
        it("puts back values that were set, secret or not, and removes what was unset or only the default", () => {
            const config = studentConfig({ kind: "shared", kubeconfig: "/k", context: "c" }, "alice");
            const restore = configToRestore(config, {
                "init-sidecar-lab:kubeconfigPath": { value: "/old/k", secret: false },
                "init-sidecar-lab:kubeContext": { value: "old-ctx", secret: true },
                // As `pulumi config --json` reports Pulumi.yaml's defaults for keys never set:
                "init-sidecar-lab:isolation": { value: "none", secret: false },
                "init-sidecar-lab:clusterName": { value: "", secret: false },
                "init-sidecar-lab:message": { value: "untouched", secret: false },
            });
            assert.deepStrictEqual(restore.set, {
                "init-sidecar-lab:kubeconfigPath": { value: "/old/k", secret: false },
                "init-sidecar-lab:kubeContext": { value: "old-ctx", secret: true },
            });
            assert.ok(restore.remove.includes("init-sidecar-lab:isolation"));
            assert.ok(restore.remove.includes("init-sidecar-lab:clusterName"));
            assert.ok(restore.remove.includes("init-sidecar-lab:student"));
            assert.ok(!restore.remove.includes("init-sidecar-lab:message"), "keys the classroom does not own stay");
        });
    });

    describe("kind host notes", () => {
        it("warns a large class about low inotify limits, with the values and kind's fix", () => {
            const notes = kindHostNotes(12, ubuntu);
            const warning = notes.find((n) => n.includes("inotify")) ?? "";
            assert.ok(warning.startsWith("warning:"), notes.join("\n"));
            assert.ok(warning.includes("fs.inotify.max_user_watches=8192"));
            assert.ok(warning.includes("fs.inotify.max_user_instances=128"));
            assert.ok(
                warning.includes(
                    `sudo sysctl fs.inotify.max_user_watches=${KIND_INOTIFY.maxUserWatches} ` +
                        `fs.inotify.max_user_instances=${KIND_INOTIFY.maxUserInstances}`,
                ),
            );
        });

        it("does not warn about inotify for a small class or raised limits", () => {
            assert.ok(!kindHostNotes(2, ubuntu).some((n) => n.includes("inotify")));
            assert.ok(!kindHostNotes(40, roomy).some((n) => n.includes("inotify")));
        });

        it("says so when the limits cannot be read", () => {
            const notes = kindHostNotes(5, { totalMemoryBytes: 64 * GB });
            assert.ok(notes.some((n) => n.startsWith("note: could not read /proc/sys/fs/inotify")));
        });

        it("always estimates the memory, and warns when the clusters would not fit", () => {
            assert.match(kindHostNotes(4, roomy)[0], /^note: 4 kind clusters .* about 2\.5 GB/);
            assert.match(kindHostNotes(20, { ...roomy, totalMemoryBytes: 8 * GB })[0], /^warning: 20 kind clusters/);
        });
    });
});
