import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { LESSON_NAMES } from "../lessons";
import { CREATED_KINDS, MANAGED_VERBS, grantedBy, instructorRules } from "../classroom/instructor";
import { studentRoleRules } from "../components/studentPolicies";
import type { DeployedLab } from "../components";
import {
    PROJECT,
    STACK,
    RecordedResource,
    fakeServiceAccountToken,
    promiseOf,
    recorded,
    registeredUrns,
    settle,
    useStack,
} from "./mocks";

type StackOutputs = Record<string, pulumi.Output<unknown> | Record<string, pulumi.Output<unknown>> | undefined>;

/** Runs index.ts afresh under the mocks with this stack config; returns its exports and what it registered. */
async function runProgram(
    config: Record<string, string>,
): Promise<{ outputs: StackOutputs; resources: RecordedResource[] }> {
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])));
    const before = recorded.length;
    delete require.cache[require.resolve("../index")];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const outputs: StackOutputs = require("../index");
    await settle();
    return { outputs, resources: recorded.slice(before) };
}

const value = <T>(output: unknown) => promiseOf(output as pulumi.Output<T>);

describe("the stack program (index.ts) under mocks", () => {
    describe("with the default config", () => {
        let outputs: StackOutputs;
        let resources: RecordedResource[];
        before(async () => ({ outputs, resources } = await runProgram({})));

        it("registers a kind cluster, its provider, the namespace and the two demo Pods", () => {
            assert.deepStrictEqual(
                resources
                    .filter((r) => r.custom)
                    .map((r) => `${r.type}::${r.name}`)
                    .sort(),
                [
                    "kubernetes:core/v1:Namespace::lab",
                    "kubernetes:core/v1:Pod::init-test",
                    "kubernetes:core/v1:Pod::sidecar-test",
                    "pulumi-nodejs:dynamic/kind:Cluster::lab",
                    "pulumi:providers:kubernetes::lab",
                ],
            );
            const cluster = resources.find((r) => r.type === "pulumi-nodejs:dynamic/kind:Cluster")!;
            assert.strictEqual(cluster.inputs.clusterName, "lab-dev");
        });

        it("deploys the namespace and both Pods through the kind cluster's provider, inside their components", async () => {
            await value(outputs.initPodName);
            const kindProvider = registeredUrns().find((u) =>
                u.endsWith("::initsidecarlab:kind:KindCluster$pulumi:providers:kubernetes::lab"),
            );
            assert.ok(kindProvider, "the provider is a child of the KindCluster component");
            for (const r of resources.filter((r) => r.type.startsWith("kubernetes:"))) {
                assert.strictEqual(r.provider, `${kindProvider}::lab-id`, `${r.type} ${r.name}`);
            }
            const urns = registeredUrns();
            assert.ok(
                urns.some((u) => u.endsWith("initsidecarlab:pods:InitDemoPod$kubernetes:core/v1:Pod::init-test")),
            );
            assert.ok(
                urns.some((u) => u.endsWith("initsidecarlab:pods:SidecarDemoPod$kubernetes:core/v1:Pod::sidecar-test")),
            );
        });

        it("marks what lives in the kind cluster as deleted with it, so destroy only deletes the cluster", () => {
            const kindCluster = `urn:pulumi:${STACK}::${PROJECT}::initsidecarlab:kind:KindCluster::lab`;
            const deletedWith = Object.fromEntries(
                resources.filter((r) => !r.custom).map((r) => [`${r.type}::${r.name}`, r.deletedWith]),
            );
            assert.deepStrictEqual(deletedWith, {
                "initsidecarlab:kind:KindCluster::lab": undefined,
                "initsidecarlab:pods:LabNamespace::lab": kindCluster,
                "initsidecarlab:pods:InitDemoPod::init-test": kindCluster,
                "initsidecarlab:pods:SidecarDemoPod::sidecar-test": kindCluster,
            });
        });

        it("puts both Pods in the stack's namespace, which enforces Pod Security restricted", () => {
            const ns = resources.find((r) => r.type === "kubernetes:core/v1:Namespace")!;
            const metadata = ns.inputs.metadata as { name: string; labels: Record<string, string> };
            assert.strictEqual(metadata.name, "lab-dev");
            assert.strictEqual(metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
            for (const pod of resources.filter((r) => r.type === "kubernetes:core/v1:Pod")) {
                assert.strictEqual((pod.inputs.metadata as { namespace: string }).namespace, "lab-dev");
            }
        });

        it("exports the cluster, context, secret kubeconfig, namespace and Pod names", async () => {
            assert.strictEqual(await value(outputs.clusterName), "lab-dev");
            assert.strictEqual(await value(outputs.kubeContext), "kind-lab-dev");
            assert.strictEqual(await pulumi.isSecret(outputs.kubeconfig as pulumi.Output<string>), true);
            assert.strictEqual(await value(outputs.namespace), "lab-dev");
            assert.strictEqual(await value(outputs.initPodName), "init-test");
            assert.strictEqual(await value(outputs.sidecarPodName), "sidecar-test");
            assert.ok(!("studentKubeconfig" in outputs) && !("studentCommands" in outputs), "no student outputs");
        });

        it("exports paste-ready log, watch and describe commands", async () => {
            const k = "kubectl --context kind-lab-dev -n lab-dev";
            assert.deepStrictEqual(await value(outputs.logCommands), {
                init: `${k} logs init-test -c init-container`,
                main: `${k} logs init-test -c main-container`,
                sidecar: `${k} logs sidecar-test -c sidecar-container -f`,
                sidecarMain: `${k} logs sidecar-test -c main-container`,
            });
            const watch = outputs.watchCommands as Record<string, pulumi.Output<string>>;
            assert.strictEqual(await value(watch.all), `${k} get pods -w`);
            assert.strictEqual(await value(watch.init), `${k} get pod init-test -w`);
            assert.strictEqual(await value(watch.sidecar), `${k} get pod sidecar-test -w`);
            const describe = outputs.describeCommands as Record<string, pulumi.Output<string>>;
            assert.strictEqual(await value(describe.init), `${k} describe pod init-test`);
            assert.strictEqual(await value(describe.sidecar), `${k} describe pod sidecar-test`);
        });
    });

    describe("with lessons=all", () => {
        let outputs: StackOutputs;
        let resources: RecordedResource[];
        before(async () => ({ outputs, resources } = await runProgram({ lessons: "all" })));

        it("deploys every lesson in the stack's namespace, through the kind provider, deleted with the cluster", async () => {
            const exported = (await value(outputs.lessons)) as Record<string, Record<string, unknown>>;
            assert.deepStrictEqual(Object.keys(exported), LESSON_NAMES);
            const kindCluster = `urn:pulumi:${STACK}::${PROJECT}::initsidecarlab:kind:KindCluster::lab`;
            const lessonComponents = resources.filter((r) => r.type.startsWith("initsidecarlab:lessons:"));
            assert.strictEqual(lessonComponents.length, LESSON_NAMES.length);
            for (const component of lessonComponents)
                assert.strictEqual(component.deletedWith, kindCluster, component.name);
            const workloads = resources.filter(
                (r) => r.custom && r.type.startsWith("kubernetes:") && r.name.startsWith("lesson-"),
            );
            assert.ok(workloads.length >= LESSON_NAMES.length);
            for (const w of workloads) {
                assert.strictEqual((w.inputs.metadata as { namespace: string }).namespace, "lab-dev", w.name);
                assert.match(w.provider ?? "", /KindCluster\$pulumi:providers:kubernetes::lab::lab-id$/, w.name);
            }
            for (const [name, commands] of Object.entries(exported)) {
                assert.match(
                    String(commands.watch),
                    /^kubectl --context kind-lab-dev -n lab-dev get pods? .* -w$/,
                    name,
                );
            }
        });

        it("exports what it deployed: every Pod's and lesson's checked settings, lessonSettings included", async () => {
            const run = await runProgram({
                lessons: "all",
                intervalSeconds: "12",
                initDelaySeconds: "25",
                message: "Hi there",
                lessonSettings: '{"failing-init":{"exitCode":7},"native-sidecar":{"lines":4}}',
            });
            const deployed = (await value(run.outputs.deployed)) as DeployedLab;
            assert.strictEqual(deployed.version, 1);
            assert.strictEqual(deployed.initPod.initDelaySeconds, 25);
            assert.deepStrictEqual(deployed.initPod.initSteps, ["init-container"]);
            assert.strictEqual(deployed.sidecarPod.intervalSeconds, 12);
            assert.strictEqual(deployed.sidecarPod.message, "Hi there");
            assert.strictEqual(deployed.sidecarPod.logPath, "/var/log/app.log");
            assert.deepStrictEqual(Object.keys(deployed.lessons), LESSON_NAMES);
            assert.strictEqual((deployed.lessons["failing-init"] as { exitCode: number }).exitCode, 7);
            assert.strictEqual((deployed.lessons["native-sidecar"] as { lines: number }).lines, 4);
            // ... and the lesson setting reached its Pod.
            const failing = run.resources.find(
                (r) => r.type === "kubernetes:core/v1:Pod" && r.name === "lesson-failing-init",
            );
            const spec = failing?.inputs.spec as { initContainers: { command: string[] }[] };
            assert.match(spec.initContainers[0].command[2], /exit 7\n$/);
        });

        it("exports no lessons with the default config", async () => {
            const { outputs } = await runProgram({});
            assert.ok(!("lessons" in outputs));
        });
    });

    it("passes config through to the Pods", async () => {
        const { resources } = await runProgram({
            initDelaySeconds: "12",
            sidecarMode: "native",
            image: "busybox:latest",
            waitForReady: "false",
            message: "Hi",
        });
        const pods = Object.fromEntries(
            resources.filter((r) => r.type === "kubernetes:core/v1:Pod").map((r) => [r.name, r.inputs]),
        ) as Record<
            string,
            {
                metadata: { annotations: Record<string, string> };
                spec: Record<string, { command: string[]; image: string; restartPolicy?: string }[]>;
            }
        >;
        assert.match(pods["init-test"].spec.initContainers[0].command[2], /sleep 12;/);
        assert.strictEqual(pods["init-test"].spec.initContainers[0].image, "busybox:latest");
        assert.strictEqual(pods["sidecar-test"].spec.initContainers[0].restartPolicy, "Always");
        assert.match(pods["sidecar-test"].spec.containers[0].command[2], /echo "Hi" >>/);
        for (const pod of Object.values(pods))
            assert.strictEqual(pod.metadata.annotations["pulumi.com/skipAwait"], "true");
    });

    it("targets an existing cluster without kind, naming its context in every command", async () => {
        // A home of its own, so `~/.kube/shared` exists (the program checks) and expands to a known path.
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "lab-home-"));
        fs.mkdirSync(path.join(home, ".kube"));
        fs.writeFileSync(
            path.join(home, ".kube", "shared"),
            "apiVersion: v1\nkind: Config\ncontexts:\n- name: prod-east\n  context: { cluster: east, user: admin }\n",
        );
        const savedHome = process.env.HOME;
        process.env.HOME = home;
        let run: Awaited<ReturnType<typeof runProgram>>;
        try {
            run = await runProgram({
                kubeContext: "prod-east",
                kubeconfigPath: "~/.kube/shared",
                namespace: "lab-alice",
            });
        } finally {
            if (savedHome === undefined) delete process.env.HOME;
            else process.env.HOME = savedHome;
            fs.rmSync(home, { recursive: true, force: true });
        }
        const { outputs, resources } = run;
        assert.ok(!resources.some((r) => r.type.startsWith("pulumi-nodejs:dynamic")), "no kind cluster");
        assert.deepStrictEqual(
            resources.filter((r) => r.deletedWith).map((r) => r.name),
            [],
            "a cluster the stack does not own: destroy deletes the Pods and the namespace themselves",
        );
        const provider = resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
        assert.strictEqual(provider.name, "existing-cluster");
        assert.strictEqual(provider.inputs.context, "prod-east");
        assert.strictEqual(provider.inputs.kubeconfig, `${home}/.kube/shared`);
        assert.strictEqual(
            provider.inputs.deleteUnreachable,
            undefined,
            "a shared cluster keeps its state when unreachable",
        );
        assert.strictEqual(provider.inputs.enableServerSideApply, "false");
        assert.strictEqual(outputs.clusterName, undefined);
        assert.strictEqual(outputs.kubeconfig, undefined);
        const logs = await value<Record<string, string>>(outputs.logCommands);
        assert.strictEqual(
            logs.init,
            "kubectl --kubeconfig ~/.kube/shared --context prod-east -n lab-alice logs init-test -c init-container",
        );
    });

    it("uses an existing namespace as it is when createNamespace is false", async () => {
        const { outputs, resources } = await runProgram({ namespace: "default", createNamespace: "false" });
        assert.ok(!resources.some((r) => r.type === "kubernetes:core/v1:Namespace"));
        assert.strictEqual(await value(outputs.namespace), "default");
    });

    it("names the cluster and namespace after the stack, so two stacks never collide", async () => {
        useStack("alice");
        try {
            const { outputs } = await runProgram({});
            assert.strictEqual(await value(outputs.clusterName), "lab-alice");
            assert.strictEqual(await value(outputs.namespace), "lab-alice");
            assert.strictEqual(await value(outputs.kubeContext), "kind-lab-alice");
        } finally {
            useStack(STACK);
        }
    });

    describe('with isolation "student" on a shared cluster', () => {
        const CA = Buffer.from("shared cluster CA").toString("base64");
        let dir: string;
        let adminKubeconfig: string;
        let outputs: StackOutputs;
        let resources: RecordedResource[];

        before(async () => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-admin-"));
            adminKubeconfig = path.join(dir, "admin.kubeconfig");
            fs.writeFileSync(
                adminKubeconfig,
                [
                    "apiVersion: v1",
                    "kind: Config",
                    "clusters:",
                    "- name: classroom",
                    `  cluster: { server: "https://class.example:6443", certificate-authority-data: ${CA} }`,
                    "- name: other",
                    '  cluster: { server: "https://other.example:6443" }',
                    "contexts:",
                    "- name: teacher@classroom",
                    "  context: { cluster: classroom, user: teacher }",
                    "- name: teacher@other",
                    "  context: { cluster: other, user: teacher }",
                    "current-context: teacher@classroom",
                    "users:",
                    "- name: teacher",
                    "  user: { token: teacher-token }",
                    "",
                ].join("\n"),
            );
            ({ outputs, resources } = await runProgram({ kubeconfigPath: adminKubeconfig, isolation: "student" }));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("creates only kinds of object the instructor's ClusterRole manages (classroom/instructor.ts), every lesson on", async () => {
            const run = await runProgram({ kubeconfigPath: adminKubeconfig, isolation: "student", lessons: "all" });
            await value(run.outputs.studentKubeconfig);
            const created = new Set(run.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.type));
            assert.deepStrictEqual([...created].sort(), Object.keys(CREATED_KINDS).sort());
            const rules = instructorRules();
            for (const type of created) {
                const { group, resource } = CREATED_KINDS[type];
                const rule = { apiGroups: [group], resources: [resource], verbs: [...MANAGED_VERBS] };
                assert.ok(grantedBy(rules, rule), type);
            }
            for (const rule of studentRoleRules()) assert.ok(grantedBy(rules, rule), `the student's ${rule.resources}`);
        });

        it("creates a StudentNamespace instead of a LabNamespace, through the existing cluster's provider", async () => {
            await value(outputs.studentKubeconfig);
            assert.ok(
                resources.some((r) => r.type === "initsidecarlab:classroom:StudentNamespace" && r.name === "lab"),
            );
            assert.ok(!resources.some((r) => r.type === "initsidecarlab:pods:LabNamespace"), "no LabNamespace");
            assert.ok(!resources.some((r) => r.type.startsWith("pulumi-nodejs:dynamic")), "no kind cluster");
            const kinds = resources.filter((r) => r.custom).map((r) => r.type);
            for (const kind of [
                "kubernetes:core/v1:ResourceQuota",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
                "kubernetes:core/v1:Secret",
            ]) {
                assert.ok(kinds.includes(kind), kind);
            }
            const provider = resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
            assert.strictEqual(provider.name, "existing-cluster");
            assert.strictEqual(provider.inputs.kubeconfig, adminKubeconfig);
            const providerUrn = registeredUrns().find((u) =>
                u.endsWith("pulumi:providers:kubernetes::existing-cluster"),
            );
            for (const r of resources.filter((r) => r.type.startsWith("kubernetes:"))) {
                assert.strictEqual(r.provider, `${providerUrn}::existing-cluster-id`, `${r.type} ${r.name}`);
            }
        });

        it("puts both Pods in the student's namespace", () => {
            const ns = resources.find((r) => r.type === "kubernetes:core/v1:Namespace")!;
            const metadata = ns.inputs.metadata as { name: string; labels: Record<string, string> };
            assert.strictEqual(metadata.name, "lab-dev");
            assert.strictEqual(metadata.labels["init-sidecar-lab/student"], STACK);
            const pods = resources.filter((r) => r.type === "kubernetes:core/v1:Pod");
            assert.strictEqual(pods.length, 2);
            for (const pod of pods)
                assert.strictEqual((pod.inputs.metadata as { namespace: string }).namespace, "lab-dev");
        });

        it("exports the student's kubeconfig as a secret, for the admin kubeconfig's cluster", async () => {
            const kubeconfig = outputs.studentKubeconfig as pulumi.Output<string>;
            assert.strictEqual(await pulumi.isSecret(kubeconfig), true);
            const config = parse(await value<string>(kubeconfig));
            assert.deepStrictEqual(config.clusters, [
                {
                    name: "classroom",
                    cluster: { server: "https://class.example:6443", "certificate-authority-data": CA },
                },
            ]);
            assert.deepStrictEqual(config.users, [
                { name: "dev", user: { token: fakeServiceAccountToken("lab-dev", "dev") } },
            ]);
            assert.deepStrictEqual(config.contexts, [
                { name: "dev@classroom", context: { cluster: "classroom", user: "dev", namespace: "lab-dev" } },
            ]);
        });

        it("exports the student's commands and leaves the other outputs as they are", async () => {
            const k = "kubectl --kubeconfig dev.kubeconfig -n lab-dev";
            assert.deepStrictEqual(outputs.studentCommands, {
                saveKubeconfig: "pulumi stack output studentKubeconfig --show-secrets --stack dev > dev.kubeconfig",
                getPods: `${k} get pods`,
                watchPods: `${k} get pods -w`,
                canI: `${k} auth can-i --list`,
            });
            assert.strictEqual(await value(outputs.namespace), "lab-dev");
            assert.strictEqual(outputs.kubeContext, undefined);
            const logs = await value<Record<string, string>>(outputs.logCommands);
            assert.strictEqual(
                logs.init,
                `kubectl --kubeconfig ${adminKubeconfig} -n lab-dev logs init-test -c init-container`,
            );
        });

        it("reads the configured kubeContext's cluster, from $KUBECONFIG's first file when no kubeconfig is set", async () => {
            const saved = process.env.KUBECONFIG;
            process.env.KUBECONFIG = `${adminKubeconfig}${path.delimiter}/nonexistent/config`;
            try {
                const { outputs } = await runProgram({
                    kubeContext: "teacher@other",
                    isolation: "student",
                    student: "erin",
                });
                const config = parse(await value<string>(outputs.studentKubeconfig));
                assert.strictEqual(config.clusters[0].name, "other");
                assert.strictEqual(config.clusters[0].cluster.server, "https://other.example:6443");
                assert.strictEqual(config.users[0].name, "erin");
            } finally {
                if (saved === undefined) delete process.env.KUBECONFIG;
                else process.env.KUBECONFIG = saved;
            }
        });

        it("stops before registering anything when the admin kubeconfig lacks the context", async () => {
            const before = recorded.length;
            await assert.rejects(
                runProgram({ kubeconfigPath: adminKubeconfig, kubeContext: "nope", isolation: "student" }),
                (err: Error) =>
                    err instanceof pulumi.RunError &&
                    err.message.includes(
                        `init-sidecar-lab:kubeContext must be a context of the kubeconfig ${adminKubeconfig} ` +
                            '(it has: teacher@classroom, teacher@other); got "nope". ' +
                            "Example: pulumi config set init-sidecar-lab:kubeContext teacher@classroom",
                    ),
            );
            assert.strictEqual(recorded.length, before);
        });
    });

    it('refuses isolation "student" on a kind cluster before registering anything', async () => {
        const before = recorded.length;
        await assert.rejects(
            runProgram({ isolation: "student" }),
            (err: Error) =>
                err instanceof pulumi.RunError &&
                err.message.includes("a problem; nothing was deployed") &&
                err.message.includes('init-sidecar-lab:isolation "student"') &&
                err.message.includes("pulumi config set init-sidecar-lab:kubeContext my-shared-cluster"),
        );
        assert.strictEqual(recorded.length, before);
    });

    it("stops on a misspelled key or the old kubeconfig key before registering anything", async () => {
        const before = recorded.length;
        await assert.rejects(
            runProgram({ initDelaySecond: "5", kubeconfig: "/etc/kube/config" }),
            (err: Error) =>
                err instanceof pulumi.RunError &&
                err.message.includes("2 problems; nothing was deployed") &&
                err.message.includes("did you mean init-sidecar-lab:initDelaySeconds?") &&
                err.message.includes("init-sidecar-lab:kubeconfig was renamed init-sidecar-lab:kubeconfigPath"),
        );
        assert.strictEqual(recorded.length, before);
    });

    it("stops when the configured kubeconfigPath does not exist on this host", async () => {
        const before = recorded.length;
        await assert.rejects(
            runProgram({ kubeconfigPath: "/nonexistent/lab/kubeconfig" }),
            (err: Error) =>
                err instanceof pulumi.RunError &&
                err.message.includes(
                    'kubeconfigPath must be an existing kubeconfig file; got "/nonexistent/lab/kubeconfig"',
                ),
        );
        assert.strictEqual(recorded.length, before);
    });

    it("stops on bad config before registering anything, listing every problem", async () => {
        const before = recorded.length;
        await assert.rejects(
            runProgram({ initDelaySeconds: "soon", sidecarMode: "sidecar" }),
            (err: Error) =>
                err instanceof pulumi.RunError &&
                err.message.includes("2 problems; nothing was deployed") &&
                err.message.includes("init-sidecar-lab:initDelaySeconds must be a whole number") &&
                err.message.includes("init-sidecar-lab:sidecarMode must be one of"),
        );
        assert.strictEqual(recorded.length, before);
    });
});
