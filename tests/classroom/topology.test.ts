import * as assert from "assert";
import { CONFIG_KEYS, PROJECT } from "../../config";
import { configToRestore, kindClassRefusal, kindHostNotes, studentConfig } from "../../classroom/topology";
import { INOTIFY_INSTANCES_PER_CLUSTER, KIND_INOTIFY, MEMORY_PER_CLUSTER_MB, kindClassFit } from "../../host/capacity";

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

        it("always estimates the memory", () => {
            assert.match(
                kindHostNotes(4, roomy)[0],
                /^note: 4 kind clusters .* about 2\.5 GB .*\(room for about 75\)\.$/,
            );
        });
    });

    describe("a class the host cannot hold", () => {
        const small = { ...roomy, totalMemoryBytes: 8 * GB };

        it("fits up to the doctor's rule and is refused one past it, with the numbers and the shared topology", () => {
            const room = kindClassFit(1, small).room;
            assert.strictEqual(room, Math.floor((8192 * 0.75) / MEMORY_PER_CLUSTER_MB), "the memory rule");
            assert.strictEqual(kindClassRefusal(room, small), undefined);
            const refusal = (kindClassRefusal(room + 1, small) ?? "").replace(/\n */g, " ");
            assert.match(refusal, new RegExp(`^A class of ${room + 1} in --topology cluster .* nothing was created`));
            for (const line of (kindClassRefusal(room + 1, ubuntu) ?? "").split("\n")) {
                assert.ok(line.length <= 80 || line.startsWith("    sudo sysctl"), line);
            }
            assert.match(
                refusal,
                new RegExp(
                    `memory: ${room + 1} x ~650 MB = .*, more than 75% of this host's 8\\.0 GB \\(room for ${room} clusters\\)`,
                ),
            );
            assert.ok(!refusal.includes("inotify"), "the inotify limits hold this class");
            assert.match(refusal, /--topology shared --kubeconfig FILE/);
            assert.match(refusal, new RegExp(`at most ${room} students on this host`));
        });

        it("refuses by the inotify instances too, with the sysctl that raises them", () => {
            const room = Math.floor(128 / INOTIFY_INSTANCES_PER_CLUSTER);
            assert.strictEqual(kindClassRefusal(room, ubuntu), undefined);
            const refusal = (kindClassRefusal(room + 1, ubuntu) ?? "").replace(/\n */g, " ");
            assert.match(
                refusal,
                new RegExp(
                    `inotify: ${room + 1} x ~${INOTIFY_INSTANCES_PER_CLUSTER} instances = ${(room + 1) * INOTIFY_INSTANCES_PER_CLUSTER}, ` +
                        `more than fs.inotify.max_user_instances=128 \\(room for ${room}\\); raise it \\(until reboot\\) with: sudo sysctl`,
                ),
            );
            assert.ok(!refusal.includes("memory:"), "64 GB hold this class");
            // The sysctl holds this class: kind's advised 512, or more for a bigger class.
            assert.match(kindClassRefusal(room + 1, ubuntu) ?? "", /fs\.inotify\.max_user_instances=512\n/);
            const thirty = kindClassRefusal(30, ubuntu) ?? "";
            assert.match(
                thirty,
                new RegExp(`fs\\.inotify\\.max_user_instances=${30 * INOTIFY_INSTANCES_PER_CLUSTER}\\n`),
            );
        });

        it("judges the host, not the free memory of the moment, and an unreadable inotify limit refuses nothing", () => {
            assert.strictEqual(kindClassRefusal(5, { totalMemoryBytes: 64 * GB, availableMemoryBytes: 1 }), undefined);
        });
    });
});
