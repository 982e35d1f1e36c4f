import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import {
    CONFIG_KEYS,
    LabConfigError,
    PROJECT,
    RawConfig,
    parseLabConfig,
    projectConfig,
    stackScopedName,
} from "../config";
import { closestKey } from "../components/validation";

function problemsOf(raw: RawConfig, stack = "dev"): string[] {
    try {
        parseLabConfig(raw, stack);
    } catch (err) {
        if (err instanceof LabConfigError) return err.problems;
        throw err;
    }
    assert.fail(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe("config", () => {
    describe("stackScopedName: per-stack defaults keep stacks apart", () => {
        it("prefixes a clean stack name", () => {
            assert.strictEqual(stackScopedName("dev"), "lab-dev");
            assert.strictEqual(stackScopedName("alice"), "lab-alice");
        });

        it("cleans names Kubernetes and kind would refuse, keeping different stacks different", () => {
            const names = ["Alice", "alice", "team_a.prod", "team-a-prod", "x".repeat(80), "___"].map(stackScopedName);
            assert.strictEqual(new Set(names).size, names.length, names.join(", "));
            for (const name of names) {
                assert.match(name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
                assert.ok(name.length <= 40, name);
            }
        });
    });

    describe("parseLabConfig", () => {
        it("gives the guide's lab on a kind cluster named after the stack when nothing is set", () => {
            const config = parseLabConfig({}, "dev");
            assert.deepStrictEqual(config.cluster, {
                mode: "kind",
                clusterName: "lab-dev",
                nodeImage: "",
                workerNodes: 0,
                kindPath: "kind",
            });
            assert.strictEqual(config.namespace, "lab-dev");
            assert.strictEqual(config.createNamespace, true);
            assert.deepStrictEqual(config.initPod, { podName: "init-test", initDelaySeconds: 10 });
            assert.deepStrictEqual(config.sidecarPod, {
                podName: "sidecar-test",
                message: "Hello Container",
                intervalSeconds: 5,
                logPath: "/var/log/app.log",
                sidecarMode: "classic",
            });
            assert.strictEqual(config.waitForReady, true);
            assert.strictEqual(config.readyTimeoutSeconds, 180);
            assert.deepStrictEqual(config.isolation, { mode: "none" });
        });

        it("isolates a student on an existing cluster, named after the stack unless told otherwise", () => {
            const shared = { kubeContext: "shared", isolation: "student" };
            const alice = parseLabConfig(shared, "alice");
            assert.deepStrictEqual(alice.isolation, { mode: "student", student: "alice" });
            assert.strictEqual(alice.namespace, "lab-alice");
            assert.strictEqual(alice.cluster.mode, "existing");
            const bob = parseLabConfig({ ...shared, student: "bob", namespace: "class-bob" }, "Stack_7");
            assert.deepStrictEqual(bob.isolation, { mode: "student", student: "bob" });
            assert.strictEqual(bob.namespace, "class-bob");
            const explicit = parseLabConfig({ clusterMode: "existing", isolation: "student" }, "carol");
            assert.deepStrictEqual(explicit.isolation, { mode: "student", student: "carol" });
        });

        it("accepts Pulumi.yaml's defaults for isolation and student", () => {
            assert.deepStrictEqual(parseLabConfig({ isolation: "none", student: "" }, "dev").isolation, {
                mode: "none",
            });
        });

        it("refuses student isolation on a kind cluster, saying why and how to target a shared one", () => {
            const [problem, ...rest] = problemsOf({ isolation: "student" });
            assert.deepStrictEqual(rest, []);
            assert.match(
                problem,
                /init-sidecar-lab:isolation "student" isolates students who share one existing cluster/,
            );
            assert.match(problem, /needs init-sidecar-lab:clusterMode "existing"/);
            assert.match(problem, /a kind cluster is already one stack's own/);
            assert.match(problem, /Example: pulumi config set init-sidecar-lab:kubeContext my-shared-cluster$/);
            assert.strictEqual(problemsOf({ isolation: "student", clusterMode: "kind" }).length, 1);
        });

        it("asks for a student name when the stack name is not a DNS-1123 label", () => {
            const problems = problemsOf({ kubeContext: "shared", isolation: "student" }, "Alice");
            assert.deepStrictEqual(problems, [
                'init-sidecar-lab:student defaults to the stack name, but "Alice" is not a DNS-1123 label ' +
                    "(lowercase letters, digits and '-'). Example: pulumi config set init-sidecar-lab:student alice",
            ]);
        });

        it("lists student-isolation problems together with every other one", () => {
            const problems = problemsOf({ isolation: "student", student: "Bob", initDelaySeconds: "x" });
            assert.strictEqual(problems.length, 3, problems.join("\n"));
            assert.ok(problems.some((p) => p.startsWith("init-sidecar-lab:student must be a DNS-1123 label")));
            assert.ok(problems.some((p) => p.includes('clusterMode "existing"')));
            for (const p of problems) assert.match(p, /pulumi config set init-sidecar-lab:\w+ \S+/);
        });

        it("reads each lesson's own settings from lessonSettings, as structured config gives them (JSON, typed or text)", () => {
            const config = parseLabConfig(
                {
                    lessons: "failing-init,native-sidecar",
                    lessonSettings:
                        '{"failing-init":{"exitCode":"3"},"native-sidecar":{"lines":5,"classicJobName":"old-style"}}',
                },
                "dev",
            );
            assert.deepStrictEqual(config.lessonSettings, {
                "failing-init": { exitCode: 3 },
                "native-sidecar": { lines: 5, classicJobName: "old-style" },
            });
            assert.deepStrictEqual(parseLabConfig({ lessonSettings: "" }, "dev").lessonSettings, {});
        });

        it("reads typed values from their string form", () => {
            const config = parseLabConfig(
                { initDelaySeconds: "3", waitForReady: "false", sidecarMode: "native", workerNodes: "2" },
                "dev",
            );
            assert.strictEqual(config.initPod.initDelaySeconds, 3);
            assert.strictEqual(config.waitForReady, false);
            assert.strictEqual(config.sidecarPod.sidecarMode, "native");
            assert.deepStrictEqual(config.cluster.mode === "kind" && config.cluster.workerNodes, 2);
        });

        it("switches to an existing cluster when a kube context or kubeconfig is set", () => {
            const config = parseLabConfig({ kubeContext: "prod-east", kubeconfigPath: "/etc/lab/kubeconfig" }, "dev");
            assert.deepStrictEqual(config.cluster, {
                mode: "existing",
                kubeContext: "prod-east",
                kubeconfigPath: "/etc/lab/kubeconfig",
            });
        });

        it("accepts Pulumi.yaml's defaults for kind-only keys in existing mode (the CLI fills them in)", () => {
            const config = parseLabConfig(
                { clusterMode: "existing", kindPath: "kind", workerNodes: "0", nodeImage: "" },
                "dev",
            );
            assert.strictEqual(config.cluster.mode, "existing");
        });

        it("takes the node image from LAB_KIND_NODE_IMAGE when nodeImage is unset; the key wins, existing mode ignores it", () => {
            const env = { LAB_KIND_NODE_IMAGE: "lab.local/kind-node:v1.37.2" };
            const nodeImageOf = (raw: RawConfig) => {
                const { cluster } = parseLabConfig(raw, "dev", { env });
                return cluster.mode === "kind" ? cluster.nodeImage : undefined;
            };
            assert.strictEqual(nodeImageOf({}), "lab.local/kind-node:v1.37.2");
            assert.strictEqual(nodeImageOf({ nodeImage: "" }), "lab.local/kind-node:v1.37.2");
            assert.strictEqual(nodeImageOf({ nodeImage: "kindest/node:v1.33.1" }), "kindest/node:v1.33.1");
            assert.strictEqual(parseLabConfig({ kubeContext: "shared" }, "dev", { env }).cluster.mode, "existing");
            assert.throws(
                () => parseLabConfig({}, "dev", { env: { LAB_KIND_NODE_IMAGE: "lab local/node" } }),
                (err: Error) =>
                    err instanceof LabConfigError &&
                    err.problems.length === 1 &&
                    err.problems[0].startsWith(
                        "LAB_KIND_NODE_IMAGE (environment) must be a container image reference",
                    ) &&
                    err.problems[0].includes('got "lab local/node"') &&
                    err.problems[0].includes("export LAB_KIND_NODE_IMAGE=kindest/node:v1.33.1"),
            );
        });

        it("may use an existing namespace such as default, when told not to create it", () => {
            const config = parseLabConfig({ namespace: "default", createNamespace: "false" }, "dev");
            assert.strictEqual(config.namespace, "default");
        });

        for (const [raw, expected] of [
            [
                { initDelaySeconds: "ten" },
                'init-sidecar-lab:initDelaySeconds must be a whole number from 0 to 3600; got "ten". Example: pulumi config set init-sidecar-lab:initDelaySeconds 10',
            ],
            [{ clusterName: "Lab Dev" }, "init-sidecar-lab:clusterName must be a kind cluster name"],
            [
                { clusterMode: "minikube" },
                'init-sidecar-lab:clusterMode must be one of "kind", "existing"; got "minikube"',
            ],
            [{ nodeImage: "kindest/node:v1.33 .1" }, "init-sidecar-lab:nodeImage must be a container image reference"],
            [{ workerNodes: "10" }, "init-sidecar-lab:workerNodes must be a whole number from 0 to 5"],
            [{ kindPath: "kind\nrm" }, "init-sidecar-lab:kindPath must be an executable's name on PATH or its path"],
            [{ namespace: "Lab" }, "init-sidecar-lab:namespace must be a DNS-1123 label"],
            [{ namespace: "kube-system" }, "also set init-sidecar-lab:createNamespace to false"],
            [{ createNamespace: "yes" }, 'init-sidecar-lab:createNamespace must be true or false; got "yes"'],
            [{ image: "busybox:" }, "init-sidecar-lab:image must be a container image reference"],
            [{ initPodName: "init_test" }, "init-sidecar-lab:initPodName must be a DNS-1123 subdomain"],
            [{ sidecarPodName: "-x" }, "init-sidecar-lab:sidecarPodName must be a DNS-1123 subdomain"],
            [{ message: 'a"b' }, "init-sidecar-lab:message must be 1 to 200 characters"],
            [{ intervalSeconds: "0" }, "init-sidecar-lab:intervalSeconds must be a whole number from 1 to 3600"],
            [{ logPath: "/app.log" }, "init-sidecar-lab:logPath must be an absolute path to a file inside a directory"],
            [{ sidecarMode: "Native" }, 'init-sidecar-lab:sidecarMode must be one of "classic", "native"'],
            [{ waitForReady: "1" }, "init-sidecar-lab:waitForReady must be true or false"],
            [
                { readyTimeoutSeconds: "5" },
                "init-sidecar-lab:readyTimeoutSeconds must be a whole number from 10 to 3600",
            ],
            [{ kubeContext: "my ctx" }, "init-sidecar-lab:kubeContext must be a non-empty value"],
            [
                { clusterMode: "kind", kubeContext: "prod" },
                'init-sidecar-lab:kubeContext only applies when init-sidecar-lab:clusterMode is "existing"',
            ],
            [
                { clusterMode: "existing", clusterName: "lab-x" },
                'init-sidecar-lab:clusterName only applies when init-sidecar-lab:clusterMode is "kind"',
            ],
            [
                { initPodName: "same", sidecarPodName: "same" },
                "init-sidecar-lab:initPodName and init-sidecar-lab:sidecarPodName must differ",
            ],
            [
                { isolation: "students" },
                'init-sidecar-lab:isolation must be one of "none", "student"; got "students". Example: pulumi config set init-sidecar-lab:isolation student',
            ],
            [
                { kubeContext: "shared", isolation: "student", student: "Bob" },
                "init-sidecar-lab:student must be a DNS-1123 label (at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit); got \"Bob\". Example: pulumi config set init-sidecar-lab:student alice",
            ],
            [
                { kubeContext: "shared", isolation: "student", createNamespace: "false" },
                'init-sidecar-lab:createNamespace false does not go with init-sidecar-lab:isolation "student"',
            ],
            [
                { student: "bob" },
                'init-sidecar-lab:student only applies when init-sidecar-lab:isolation is "student". Remove it (pulumi config rm init-sidecar-lab:student) or set pulumi config set init-sidecar-lab:isolation student.',
            ],
            [
                { lessons: "failing-init", lessonSettings: '{"failing-init":{"exitCode":300}}' },
                "init-sidecar-lab:lessonSettings.failing-init.exitCode must be a whole number from 1 to 255; got 300. " +
                    "Example: pulumi config set --path 'init-sidecar-lab:lessonSettings.failing-init.exitCode' 1",
            ],
            [
                { lessons: "failing-init", lessonSettings: '{"failing-init":{"exitCod":3}}' },
                'init-sidecar-lab:lessonSettings.failing-init.exitCod must be a setting of lesson failing-init (fixConfigMap, exitCode); did you mean "exitCode"?',
            ],
            [
                { lessons: "all", lessonSettings: '{"failng-init":{"exitCode":3}}' },
                'init-sidecar-lab:lessonSettings.failng-init must be a lesson\'s name (failing-init, wait-for-service, stage-files, log-adapter, metrics-exporter, native-sidecar, startup-probe, shutdown-order, sidecar-restart, pod-requests); did you mean "failing-init"?',
            ],
            [
                { lessonSettings: '{"native-sidecar":{"lines":5}}' },
                "init-sidecar-lab:lessonSettings.native-sidecar must be left out while the lesson is not deployed (add it to the lessons key: pulumi config set lessons native-sidecar)",
            ],
            [
                { lessons: "all", lessonSettings: "exitCode=3" },
                'init-sidecar-lab:lessonSettings must be an object keyed by lesson name, each an object of that lesson\'s settings; got "exitCode=3". Example: pulumi config set --path',
            ],
        ] as [RawConfig, string][]) {
            it(`rejects ${JSON.stringify(raw)}`, () => {
                const problems = problemsOf(raw);
                assert.strictEqual(problems.length, 1, problems.join("\n"));
                assert.ok(problems[0].includes(expected), `${problems[0]}\n  should include\n${expected}`);
            });
        }

        describe("keys the lab does not read", () => {
            it("stops on a misspelled key, suggesting the closest real one", () => {
                for (const [typo, meant] of [
                    ["initDelaySecond", "initDelaySeconds"],
                    ["workernodes", "workerNodes"],
                    ["sidcarMode", "sidecarMode"],
                    ["LOGPATH", "logPath"],
                    ["namespce", "namespace"],
                ]) {
                    assert.deepStrictEqual(problemsOf({ [typo]: "5" }), [
                        `init-sidecar-lab:${typo} is not a setting of the lab; did you mean init-sidecar-lab:${meant}? ` +
                            `Fix: pulumi config rm init-sidecar-lab:${typo} && pulumi config set init-sidecar-lab:${meant} <value>`,
                    ]);
                }
            });

            it("lists the real keys when none is close", () => {
                const [problem] = problemsOf({ colour: "blue" });
                assert.match(problem, /^init-sidecar-lab:colour is not a setting of the lab \(its keys: clusterMode, /);
                assert.match(problem, /Fix: pulumi config rm init-sidecar-lab:colour$/);
            });

            it("points the old kubeconfig key at kubeconfigPath, with the value to move", () => {
                assert.deepStrictEqual(problemsOf({ kubeconfig: "~/.kube/my config" }), [
                    "init-sidecar-lab:kubeconfig was renamed init-sidecar-lab:kubeconfigPath. Fix: pulumi config rm " +
                        "init-sidecar-lab:kubeconfig && pulumi config set init-sidecar-lab:kubeconfigPath '~/.kube/my config'",
                ]);
            });

            it("reports them together with every other problem", () => {
                const problems = problemsOf({ workernodes: "2", intervalSeconds: "0" });
                assert.strictEqual(problems.length, 2, problems.join("\n"));
            });

            it("closestKey: a close key, or none", () => {
                const known = Object.keys(CONFIG_KEYS);
                assert.strictEqual(closestKey("imag", known), "image");
                assert.strictEqual(closestKey("readyTimeout", known), "readyTimeoutSeconds");
                assert.strictEqual(closestKey("podName", known), undefined);
                assert.strictEqual(closestKey("zzz", known), undefined);
            });

            it("projectConfig keeps the project's keys, without the prefix, and nothing else", () => {
                assert.deepStrictEqual(
                    projectConfig({
                        "init-sidecar-lab:message": "hi",
                        "init-sidecar-lab:typo": "x",
                        "kubernetes:context": "c",
                        "other-project:message": "no",
                    }),
                    { message: "hi", typo: "x" },
                );
            });
        });

        it("in existing mode, refuses a kubeconfigPath that the host does not have", () => {
            const seen: string[] = [];
            const host = {
                kubeconfigFileProblem: (file: string) => {
                    seen.push(file);
                    return file === "/etc/lab/kubeconfig" ? undefined : "it does not exist";
                },
            };
            assert.strictEqual(
                parseLabConfig({ kubeconfigPath: "/etc/lab/kubeconfig" }, "dev", host).cluster.mode,
                "existing",
            );
            let problems: string[] = [];
            try {
                parseLabConfig({ kubeconfigPath: "/nope/config" }, "dev", host);
            } catch (err) {
                problems = (err as LabConfigError).problems;
            }
            assert.deepStrictEqual(problems, [
                'init-sidecar-lab:kubeconfigPath must be an existing kubeconfig file; got "/nope/config" (it does not exist). ' +
                    "Example: pulumi config set init-sidecar-lab:kubeconfigPath ~/.kube/config",
            ]);
            assert.deepStrictEqual(seen, ["/etc/lab/kubeconfig", "/nope/config"]);
        });

        it("in existing mode, refuses a kubeContext the kubeconfig does not define, suggesting a close one", () => {
            const asked: (string | undefined)[] = [];
            const host = {
                kubeContexts: (file: string | undefined) => {
                    asked.push(file);
                    return ["kind-lab-dev", "prod-east"];
                },
            };
            assert.strictEqual(parseLabConfig({ kubeContext: "prod-east" }, "dev", host).cluster.mode, "existing");
            let problems: string[] = [];
            try {
                parseLabConfig({ kubeContext: "prod-eats", kubeconfigPath: "/k/config" }, "dev", host);
            } catch (err) {
                problems = (err as LabConfigError).problems;
            }
            assert.deepStrictEqual(problems, [
                "init-sidecar-lab:kubeContext must be a context of the kubeconfig /k/config (it has: kind-lab-dev, prod-east); " +
                    'got "prod-eats". Example: pulumi config set init-sidecar-lab:kubeContext prod-east',
            ]);
            assert.deepStrictEqual(asked, [undefined, "/k/config"]);
            // No readable kubeconfig: the provider finds its cluster another way, or says why not.
            assert.ok(parseLabConfig({ kubeContext: "x" }, "dev", { kubeContexts: () => undefined }));
        });

        it("shows a long bad value cut, with its length", () => {
            const [problem] = problemsOf({ message: `${"m".repeat(300)}"` });
            assert.ok(problem.includes(`got "${"m".repeat(60)}"…(301 chars).`), problem);
            assert.ok(problem.length < 400, problem);
        });

        it("refuses control characters in message and a logPath in /bin or /proc", () => {
            assert.match(
                problemsOf({ message: "a\u0000b" })[0],
                /message must be .* control characters; got "a\\u0000b"/,
            );
            assert.match(problemsOf({ logPath: "/bin/app.log" })[0], /logPath must be a file in a directory outside/);
            assert.match(problemsOf({ logPath: "/proc/app.log" })[0], /which in \/proc would hide/);
        });

        it("reports every bad value at once, each with a command that fixes it", () => {
            const problems = problemsOf({ initDelaySeconds: "-1", sidecarMode: "x", image: "Bad Image" });
            assert.strictEqual(problems.length, 3);
            for (const p of problems) assert.match(p, /Example: pulumi config set init-sidecar-lab:\w+ \S+/);
            assert.throws(
                () => parseLabConfig({ initDelaySeconds: "-1" }, "dev"),
                /has a problem; nothing was deployed/,
            );
        });
    });

    describe("Pulumi.yaml", () => {
        const project = parse(fs.readFileSync(path.join(__dirname, "..", "Pulumi.yaml"), "utf8"));

        it("is a TypeScript Node.js project named as the config namespace", () => {
            assert.strictEqual(project.name, PROJECT);
            assert.strictEqual(project.runtime.name, "nodejs");
            assert.strictEqual(project.runtime.options.typescript, true);
        });
    });
});
