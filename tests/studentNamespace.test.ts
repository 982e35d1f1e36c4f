import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { parse } from "yaml";
import { StudentNamespace } from "../components";
import { demoContainerResources } from "../components/podDefaults";
import {
    DEFAULT_STUDENT_LIMITS,
    DEFAULT_STUDENT_QUOTA,
    STUDENT_LABEL,
    resolveStudentNamespace,
} from "../components/studentNamespace";
import { parseQuantity } from "../components/quantity";
import { studentKubeconfig, tokenFromSecretData } from "../components/studentKubeconfig";
import {
    studentLimitRangeSpec,
    studentNetworkPolicySpec,
    studentQuotaSpec,
    studentRoleRules,
} from "../components/studentPolicies";
import { clusterEndpoint, loadClusterEndpoint } from "../host/kubeconfig";
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

/** The admin kubeconfig of a shared cluster with two contexts, as kubectl writes one. */
const ADMIN_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: east
  cluster:
    server: https://east.example:6443
    certificate-authority-data: ${CA.slice(0, 20)}
      ${CA.slice(20)}
- name: west
  cluster:
    server: https://west.example:443
    certificate-authority: pki/west-ca.crt
- name: broken
  cluster:
    insecure-skip-tls-verify: true
contexts:
- name: admin@east
  context: { cluster: east, user: admin }
- name: admin@west
  context: { cluster: west, user: admin }
- name: admin@gone
  context: { cluster: nowhere, user: admin }
- name: admin@broken
  context: { cluster: broken, user: admin }
current-context: admin@east
users:
- name: admin
  user: { token: admin-token }
`;

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

        it("parses Kubernetes quantities into base units", () => {
            assert.strictEqual(parseQuantity("100m"), 0.1);
            assert.strictEqual(parseQuantity("2"), 2);
            assert.strictEqual(parseQuantity("1.5"), 1.5);
            assert.strictEqual(parseQuantity("16Mi"), 16 * 1024 * 1024);
            assert.strictEqual(parseQuantity("1G"), 1e9);
            assert.strictEqual(parseQuantity("1e3"), 1000);
            assert.throws(() => parseQuantity("1 Gi"), /not a Kubernetes quantity/);
            assert.throws(() => parseQuantity("-1"), /not a Kubernetes quantity/);
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

        it("renders a kubeconfig kubectl reads: one cluster, a token user, a context defaulting to the namespace", () => {
            const text = studentKubeconfig({
                clusterName: "shared",
                server: SERVER,
                caData: CA,
                token: "t0k3n",
                namespace: "lab-alice",
                user: "alice",
            });
            const config = parse(text) as Kubeconfig & { apiVersion: string; kind: string };
            assert.strictEqual(config.apiVersion, "v1");
            assert.strictEqual(config.kind, "Config");
            assert.deepStrictEqual(config.clusters, [
                { name: "shared", cluster: { server: SERVER, "certificate-authority-data": CA } },
            ]);
            assert.deepStrictEqual(config.users, [{ name: "alice", user: { token: "t0k3n" } }]);
            assert.deepStrictEqual(config.contexts, [
                { name: "alice@shared", context: { cluster: "shared", user: "alice", namespace: "lab-alice" } },
            ]);
            assert.strictEqual(config["current-context"], "alice@shared");
            // Round trip through the admin-side reader, as kubectl would resolve it.
            assert.deepStrictEqual(clusterEndpoint(text), {
                context: "alice@shared",
                cluster: "shared",
                server: SERVER,
                caData: CA,
            });
        });

        it("leaves the CA out when there is none and refuses an empty token", () => {
            const args = { clusterName: "c", server: SERVER, token: "t", namespace: "n", user: "u" };
            assert.ok(!studentKubeconfig(args).includes("certificate-authority"));
            assert.throws(() => studentKubeconfig({ ...args, token: "" }), /token must be a non-empty string/);
        });

        describe("clusterEndpoint", () => {
            it("reads the current context's server and CA data, joining a folded base64 value", () => {
                assert.deepStrictEqual(clusterEndpoint(ADMIN_KUBECONFIG), {
                    context: "admin@east",
                    cluster: "east",
                    server: "https://east.example:6443",
                    caData: CA,
                });
            });

            it("reads a named context, returning a CA file path as written", () => {
                assert.deepStrictEqual(clusterEndpoint(ADMIN_KUBECONFIG, "admin@west"), {
                    context: "admin@west",
                    cluster: "west",
                    server: "https://west.example:443",
                    caFile: "pki/west-ca.crt",
                });
            });

            it("names the context in every error", () => {
                assert.throws(
                    () => clusterEndpoint(ADMIN_KUBECONFIG, "prod"),
                    /context "prod" is not in the kubeconfig \(its contexts: "admin@east", "admin@west"/,
                );
                assert.throws(
                    () => clusterEndpoint(ADMIN_KUBECONFIG, "admin@gone"),
                    /context "admin@gone" names cluster "nowhere", which the kubeconfig does not define/,
                );
                assert.throws(
                    () => clusterEndpoint(ADMIN_KUBECONFIG, "admin@broken"),
                    /cluster "broken" of context "admin@broken" has no server/,
                );
                const noCurrent = ADMIN_KUBECONFIG.replace("current-context: admin@east\n", "");
                assert.throws(() => clusterEndpoint(noCurrent), /sets no current-context; name one of its contexts/);
                assert.throws(() => clusterEndpoint("clusters: [\n"), /not valid YAML/);
                assert.throws(() => clusterEndpoint("- a\n- b\n"), /not a YAML mapping/);
            });

            it("loadClusterEndpoint reads a CA file relative to the kubeconfig, base64-encoding it", () => {
                const files: Record<string, string> = {
                    "/etc/lab/kubeconfig": ADMIN_KUBECONFIG,
                    "/etc/lab/pki/west-ca.crt": "WEST CA PEM",
                };
                const readFile = (file: string) => {
                    if (!(file in files)) throw new Error(`ENOENT: ${file}`);
                    return Buffer.from(files[file]);
                };
                assert.deepStrictEqual(loadClusterEndpoint("/etc/lab/kubeconfig", "admin@west", readFile), {
                    cluster: "west",
                    server: "https://west.example:443",
                    caData: Buffer.from("WEST CA PEM").toString("base64"),
                });
                assert.deepStrictEqual(loadClusterEndpoint("/etc/lab/kubeconfig", undefined, readFile).caData, CA);
                delete files["/etc/lab/pki/west-ca.crt"];
                assert.throws(
                    () => loadClusterEndpoint("/etc/lab/kubeconfig", "admin@west", readFile),
                    /cannot read the certificate-authority file \/etc\/lab\/pki\/west-ca.crt of context "admin@west"/,
                );
                assert.throws(
                    () => loadClusterEndpoint("/etc/lab/other", undefined, readFile),
                    /cannot read the kubeconfig \/etc\/lab\/other: ENOENT/,
                );
                assert.throws(
                    () => loadClusterEndpoint("/etc/lab/kubeconfig", "prod", readFile),
                    /^Error: \/etc\/lab\/kubeconfig: context "prod" is not in the kubeconfig/,
                );
            });

            it("loadClusterEndpoint reads real files by default", () => {
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "student-ns-"));
                try {
                    fs.mkdirSync(path.join(dir, "pki"));
                    fs.writeFileSync(path.join(dir, "config"), ADMIN_KUBECONFIG);
                    fs.writeFileSync(path.join(dir, "pki", "west-ca.crt"), "PEM");
                    const endpoint = loadClusterEndpoint(path.join(dir, "config"), "admin@west");
                    assert.strictEqual(endpoint.caData, Buffer.from("PEM").toString("base64"));
                } finally {
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            });
        });

        it("decodes the token controller's token, naming the Secret when it is missing", () => {
            assert.strictEqual(tokenFromSecretData({ token: Buffer.from("abc").toString("base64") }, "ns/s"), "abc");
            assert.throws(
                () => tokenFromSecretData({}, "lab-alice/alice-token"),
                /lab-alice\/alice-token has no data.token/,
            );
            assert.throws(() => tokenFromSecretData(undefined, "x/y"), /x\/y has no data.token/);
        });
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
