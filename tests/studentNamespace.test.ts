import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { parse } from "yaml";
import { StudentNamespace } from "../components";
import { demoContainerResources } from "../components/podDefaults";
import { STUDENT_LABEL, resolveStudentNamespace } from "../components/studentNamespace";
import { parseQuantity } from "../components/quantity";
import {
    DEFAULT_STUDENT_LIMITS,
    DEFAULT_STUDENT_QUOTA,
    studentLimitRangeSpec,
    studentNetworkPolicySpec,
    studentQuotaSpec,
    studentRoleRules,
} from "../components/studentPolicies";
import { itRejectsEach } from "./rejects";
import {
    FAKE_TOKEN_CA,
    RecordedResource,
    fakeServiceAccountToken,
    findRecorded,
    isRecorded,
    promiseOf,
    recorded,
    registeredUrns,
    settle,
} from "./mocks";

const SERVER = "https://203.0.113.10:6443";
const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nadmin CA\n-----END CERTIFICATE-----\n").toString("base64");
const cluster = { server: SERVER, caData: CA, name: "shared" };

interface Kubeconfig {
    clusters: { name: string; cluster: { server: string; "certificate-authority-data"?: string } }[];
    users: { name: string; user: { token: string } }[];
    contexts: { name: string; context: { cluster: string; user: string; namespace: string } }[];
    "current-context": string;
}

describe("StudentNamespace", () => {
    describe("pure builders", () => {
        it("defaults the namespace to lab-<student>, labelled restricted, the lab's and the student's", () => {
            const s = resolveStudentNamespace("alice", { cluster });
            assert.strictEqual(s.student, "alice");
            assert.strictEqual(s.namespace, "lab-alice");
            for (const mode of ["enforce", "warn", "audit"]) {
                assert.strictEqual(s.namespaceLabels[`pod-security.kubernetes.io/${mode}`], "restricted");
            }
            assert.strictEqual(s.namespaceLabels["app.kubernetes.io/name"], "init-sidecar-lab");
            assert.strictEqual(s.namespaceLabels[STUDENT_LABEL], "alice");
            assert.deepStrictEqual(s.labels, {
                "app.kubernetes.io/name": "init-sidecar-lab",
                [STUDENT_LABEL]: "alice",
            });
            assert.strictEqual(s.serviceAccountName, "alice");
            assert.strictEqual(s.tokenSecretName, "alice-token");
            assert.deepStrictEqual(s.cluster, { name: "shared", server: SERVER, caData: CA });
            const named = resolveStudentNamespace("x", { student: "bob", namespaceName: "class-b", cluster });
            assert.deepStrictEqual([named.student, named.namespace], ["bob", "class-b"]);
        });

        it("sizes the default quota for the lab's two Pods plus their delete-before-replace successors", () => {
            const hard = studentQuotaSpec(DEFAULT_STUDENT_QUOTA).hard as Record<string, string>;
            assert.deepStrictEqual(hard, {
                pods: "8",
                "requests.cpu": "200m",
                "requests.memory": "256Mi",
                "limits.cpu": "1",
                "limits.memory": "512Mi",
            });
            // The costliest lab Pod runs two demo containers at once (sidecar, classic or native);
            // four such Pods (two old, two new) must fit.
            const c = demoContainerResources() as { requests: Record<string, string>; limits: Record<string, string> };
            const pods = 4;
            const need = (q: string) => pods * 2 * parseQuantity(q);
            assert.ok(Number(hard.pods) >= pods);
            assert.ok(need(c.requests.cpu) <= parseQuantity(hard["requests.cpu"]), "requests.cpu");
            assert.ok(need(c.requests.memory) <= parseQuantity(hard["requests.memory"]), "requests.memory");
            assert.ok(need(c.limits.cpu) <= parseQuantity(hard["limits.cpu"]), "limits.cpu");
            assert.ok(need(c.limits.memory) <= parseQuantity(hard["limits.memory"]), "limits.memory");
        });

        it("gives containers the demo containers' own resources by default and admits them under max", () => {
            const [limit] = studentLimitRangeSpec({ ...DEFAULT_STUDENT_LIMITS }).limits;
            const c = demoContainerResources();
            assert.strictEqual(limit.type, "Container");
            assert.deepStrictEqual(limit.defaultRequest, c.requests);
            assert.deepStrictEqual(limit.default, c.limits);
            const limits = c.limits as Record<string, string>;
            const max = limit.max as Record<string, string>;
            assert.ok(parseQuantity(limits.cpu) <= parseQuantity(max.cpu));
            assert.ok(parseQuantity(limits.memory) <= parseQuantity(max.memory));
        });

        it("takes quota and limit overrides", () => {
            const s = resolveStudentNamespace("alice", {
                cluster,
                quota: { pods: 20, limitsMemory: "2Gi" },
                limits: { maxCpu: "2", defaultCpu: "1" },
            });
            const hard = s.quota.hard as Record<string, string>;
            assert.strictEqual(hard.pods, "20");
            assert.strictEqual(hard["limits.memory"], "2Gi");
            assert.strictEqual(hard["requests.cpu"], "200m");
            const [limit] = s.limitRange.limits;
            assert.deepStrictEqual(limit.max, { cpu: "2", memory: "128Mi" });
            assert.deepStrictEqual(limit.default, { cpu: "1", memory: "32Mi" });
        });

        it("lets Pods talk only within the namespace, plus DNS to kube-system", () => {
            const spec = studentNetworkPolicySpec();
            assert.deepStrictEqual(spec.podSelector, {}, "every Pod of the namespace");
            assert.deepStrictEqual(spec.policyTypes, ["Ingress", "Egress"]);
            assert.deepStrictEqual(
                spec.ingress,
                [{ from: [{ podSelector: {} }] }],
                "a bare podSelector: this namespace",
            );
            assert.deepStrictEqual(spec.egress![0], { to: [{ podSelector: {} }] });
            assert.deepStrictEqual(spec.egress![1], {
                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
                ports: [
                    { protocol: "UDP", port: 53 },
                    { protocol: "TCP", port: 53 },
                ],
            });
            assert.strictEqual(spec.egress!.length, 2);
        });

        it("allows exactly the lab's kubectl steps, nothing cluster-wide, no Secrets, no exec", () => {
            assert.deepStrictEqual(studentRoleRules(), [
                { apiGroups: [""], resources: ["pods"], verbs: ["create", "get", "list", "watch", "delete"] },
                { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
                { apiGroups: [""], resources: ["events"], verbs: ["get", "list"] },
            ]);
            const all = JSON.stringify(studentRoleRules());
            assert.ok(!all.includes("*") && !all.includes("secrets") && !all.includes("pods/exec"), all);
        });

        itRejectsEach(
            (args) => resolveStudentNamespace("alice", { cluster, ...(args as object) }),
            [
                [{ student: "Alice" }, "student"],
                [{ student: "a".repeat(64) }, "student"],
                [{ namespaceName: "lab_alice" }, "namespaceName"],
                [{ namespaceName: "kube-system" }, "namespaceName"],
                [{ quota: { pods: 0 } }, "quota.pods"],
                [{ quota: { requestsCpu: "lots" } }, "quota.requestsCpu"],
                [{ quota: { limitsMemory: "-1Gi" } }, "quota.limitsMemory"],
                [{ quota: { requestsMemory: "0" } }, "quota.requestsMemory"],
                [{ limits: { maxMemory: "128 Mi" } }, "limits.maxMemory"],
                [{ limits: { defaultCpu: "1" } }, "limits.defaultCpu"],
                [{ limits: { defaultRequestMemory: "64Mi" } }, "limits.defaultRequestMemory"],
                [{ cluster: { server: "ftp://203.0.113.10" } }, "cluster.server"],
                [{ cluster: { server: "203.0.113.10:6443" } }, "cluster.server"],
                [{ cluster: { server: SERVER, caData: "not base64!" } }, "cluster.caData"],
                [{ cluster: { server: SERVER, name: "two\nlines" } }, "cluster.name"],
            ],
        );
    });

    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("student-tests", { kubeconfig: "fake" });
        let providerRef: string;
        let student: StudentNamespace;
        let children: RecordedResource[];
        const childTypes = [
            "kubernetes:core/v1:Namespace::class-a",
            "kubernetes:core/v1:ResourceQuota::class-a-quota",
            "kubernetes:core/v1:LimitRange::class-a-limits",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy::class-a-netpol",
            "kubernetes:core/v1:ServiceAccount::class-a-sa",
            "kubernetes:rbac.authorization.k8s.io/v1:Role::class-a-role",
            "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::class-a-rolebinding",
            "kubernetes:core/v1:Secret::class-a-token",
        ];

        before(async () => {
            const before = recorded.length;
            student = new StudentNamespace("class-a", { student: "alice", cluster }, { provider });
            await promiseOf(student.kubeconfig);
            await settle();
            children = recorded.slice(before).filter((r) => r.custom);
            providerRef = `${await promiseOf(provider.urn)}::student-tests-id`;
        });

        it("creates every child, parented to the component, through the provider it was given", () => {
            assert.deepStrictEqual(children.map((r) => `${r.type}::${r.name}`).sort(), [...childTypes].sort());
            const urns = registeredUrns();
            for (const child of childTypes) {
                const [type, name] = child.split("::");
                assert.ok(
                    urns.some((u) => u.endsWith(`::initsidecarlab:classroom:StudentNamespace$${type}::${name}`)),
                    `${child} is a child of the StudentNamespace`,
                );
            }
            for (const r of children) assert.strictEqual(r.provider, providerRef, `${r.type} ${r.name}`);
        });

        it("creates the namespace with its labels and everything else inside it", () => {
            const ns = findRecorded("kubernetes:core/v1:Namespace", "class-a").inputs.metadata as {
                name: string;
                labels: Record<string, string>;
            };
            assert.strictEqual(ns.name, "lab-alice");
            assert.strictEqual(ns.labels["pod-security.kubernetes.io/enforce"], "restricted");
            assert.strictEqual(ns.labels[STUDENT_LABEL], "alice");
            for (const r of children.filter((c) => c.type !== "kubernetes:core/v1:Namespace")) {
                const metadata = r.inputs.metadata as { namespace: string; labels: Record<string, string> };
                assert.strictEqual(metadata.namespace, "lab-alice", r.name);
                assert.strictEqual(metadata.labels[STUDENT_LABEL], "alice", r.name);
            }
            const quota = findRecorded("kubernetes:core/v1:ResourceQuota", "class-a-quota").inputs;
            assert.deepStrictEqual(quota.spec, studentQuotaSpec(DEFAULT_STUDENT_QUOTA));
            const limits = findRecorded("kubernetes:core/v1:LimitRange", "class-a-limits").inputs;
            assert.deepStrictEqual(limits.spec, studentLimitRangeSpec({ ...DEFAULT_STUDENT_LIMITS }));
            const netpol = findRecorded("kubernetes:networking.k8s.io/v1:NetworkPolicy", "class-a-netpol").inputs;
            assert.deepStrictEqual(netpol.spec, studentNetworkPolicySpec());
        });

        it("binds the student's ServiceAccount to the lab Role and asks the token controller for its token", () => {
            const sa = findRecorded("kubernetes:core/v1:ServiceAccount", "class-a-sa").inputs;
            assert.strictEqual((sa.metadata as { name: string }).name, "alice");
            assert.strictEqual(sa.automountServiceAccountToken, false);
            const role = findRecorded("kubernetes:rbac.authorization.k8s.io/v1:Role", "class-a-role").inputs;
            assert.deepStrictEqual(role.rules, studentRoleRules());
            const binding = findRecorded(
                "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
                "class-a-rolebinding",
            ).inputs;
            assert.deepStrictEqual(binding.roleRef, {
                apiGroup: "rbac.authorization.k8s.io",
                kind: "Role",
                name: (role.metadata as { name: string }).name,
            });
            assert.deepStrictEqual(binding.subjects, [
                { kind: "ServiceAccount", name: "alice", namespace: "lab-alice" },
            ]);
            const secret = findRecorded("kubernetes:core/v1:Secret", "class-a-token").inputs;
            assert.strictEqual(secret.type, "kubernetes.io/service-account-token");
            const metadata = secret.metadata as { name: string; annotations: Record<string, string> };
            assert.strictEqual(metadata.name, "alice-token");
            assert.deepStrictEqual(metadata.annotations, {
                "kubernetes.io/service-account.name": "alice",
                "pulumi.com/waitFor": "jsonpath={.data.token}",
            });
        });

        it("exports the namespace and ServiceAccount names, the namespace carrying its policies as dependencies", async () => {
            assert.strictEqual(await promiseOf(student.namespaceName), "lab-alice");
            assert.strictEqual(await promiseOf(student.serviceAccountName), "alice");
            const deps = await (
                student.namespaceName as unknown as { allResources(): Promise<Iterable<pulumi.Resource>> }
            ).allResources();
            const depUrns = await Promise.all([...deps].map((d) => promiseOf(d.urn)));
            for (const suffix of ["Namespace::class-a", "ResourceQuota::class-a-quota", "LimitRange::class-a-limits"]) {
                assert.ok(
                    depUrns.some((u) => u.endsWith(suffix)),
                    `${suffix} in ${depUrns.join(", ")}`,
                );
            }
            assert.ok(depUrns.some((u) => u.endsWith("NetworkPolicy::class-a-netpol")));
        });

        it("exports a secret kubeconfig with the cluster's server and CA, the token and the student's namespace", async () => {
            assert.strictEqual(await pulumi.isSecret(student.kubeconfig), true);
            const config = parse(await promiseOf(student.kubeconfig)) as Kubeconfig;
            assert.deepStrictEqual(config.clusters, [
                { name: "shared", cluster: { server: SERVER, "certificate-authority-data": CA } },
            ]);
            assert.deepStrictEqual(config.users, [
                { name: "alice", user: { token: fakeServiceAccountToken("lab-alice", "alice") } },
            ]);
            assert.deepStrictEqual(config.contexts[0].context, {
                cluster: "shared",
                user: "alice",
                namespace: "lab-alice",
            });
            assert.strictEqual(config["current-context"], config.contexts[0].name);
        });

        it("falls back to the token Secret's ca.crt when no CA is given", async () => {
            const bare = new StudentNamespace("class-b", { cluster: { server: SERVER } }, { provider });
            const config = parse(await promiseOf(bare.kubeconfig)) as Kubeconfig;
            assert.strictEqual(
                config.clusters[0].cluster["certificate-authority-data"],
                Buffer.from(FAKE_TOKEN_CA).toString("base64"),
            );
            assert.strictEqual(config.clusters[0].name, "init-sidecar-lab");
            assert.strictEqual(config.contexts[0].context.namespace, "lab-class-b");
            assert.strictEqual(config.users[0].user.token, fakeServiceAccountToken("lab-class-b", "class-b"));
        });

        it("validates arguments that arrive as Outputs too", async () => {
            const late = new StudentNamespace(
                "class-late",
                { student: pulumi.output("carol"), cluster: { server: pulumi.output(SERVER) } },
                { provider },
            );
            assert.strictEqual(await promiseOf(late.namespaceName), "lab-carol");
        });

        it("throws a ResourceError naming the component for a bad value, before creating anything", () => {
            assert.throws(
                () => new StudentNamespace("class-bad", { student: "Dave", cluster }, { provider }),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith('StudentNamespace "class-bad": student must be a DNS-1123 label') &&
                    err.message.includes("Example: alice"),
            );
            assert.throws(
                () =>
                    new StudentNamespace(
                        "class-bad-quota",
                        { cluster, quota: { requestsMemory: "plenty" } },
                        { provider },
                    ),
                /StudentNamespace "class-bad-quota": quota.requestsMemory must be a positive Kubernetes quantity/,
            );
            assert.ok(!isRecorded("kubernetes:core/v1:Namespace", "class-bad"));
            assert.ok(!isRecorded("kubernetes:core/v1:Namespace", "class-bad-quota"));
        });
    });
});
