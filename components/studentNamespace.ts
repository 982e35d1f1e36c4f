import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { resolveArgs } from "./inputs";
import { ownedNamespaceName, podSecurityLabels } from "./labNamespace";
import { LAB_APP_LABEL } from "./podDefaults";
import { InvalidValueError, dnsLabel, integerInRange } from "./validation";

/**
 * The shared-cluster isolation of a classroom: one namespace per student, with
 * Pod Security "restricted", a quota, container limits, a NetworkPolicy that
 * keeps traffic inside the namespace, and a ServiceAccount whose Role allows
 * exactly the lab's kubectl steps, handed to the student as a kubeconfig.
 */

/** Plain (Input-free) Kubernetes shapes: what the pure builders return. */
export type ResourceQuotaSpec = pulumi.Unwrap<k8s.types.input.core.v1.ResourceQuotaSpec>;
export type LimitRangeSpec = pulumi.Unwrap<k8s.types.input.core.v1.LimitRangeSpec>;
export type NetworkPolicySpec = pulumi.Unwrap<k8s.types.input.networking.v1.NetworkPolicySpec>;
export type PolicyRule = pulumi.Unwrap<k8s.types.input.rbac.v1.PolicyRule>;

/** The label naming the student on everything the component creates. */
export const STUDENT_LABEL = "init-sidecar-lab/student";

/**
 * What one student may use at once. Each demo container asks 10m CPU / 16Mi and is limited to
 * 100m / 32Mi (podDefaults.ts `demoContainerResources`); the costliest lab Pod runs two containers
 * at once (the sidecar Pod, classic or native), so the lab's two Pods plus their replacements
 * during a delete-before-replace (four Pods) need at most 80m / 128Mi of requests and
 * 800m / 256Mi of limits. The defaults leave room for a student's own `kubectl run` as well.
 */
export interface StudentQuotaArgs {
    /** Pods at once (1-100). Default: 8. */
    pods?: pulumi.Input<number>;
    /** Sum of CPU requests. Default: `"200m"`. */
    requestsCpu?: pulumi.Input<string>;
    /** Sum of memory requests. Default: `"256Mi"`. */
    requestsMemory?: pulumi.Input<string>;
    /** Sum of CPU limits. Default: `"1"`. */
    limitsCpu?: pulumi.Input<string>;
    /** Sum of memory limits. Default: `"512Mi"`. */
    limitsMemory?: pulumi.Input<string>;
}

/**
 * Per-container defaults and ceiling. The quota counts limits, so every container needs one:
 * the defaults give it to containers that do not say (a student's `kubectl run`). The defaults
 * equal what the demo containers ask for.
 */
export interface StudentLimitArgs {
    /** Default CPU request. Default: `"10m"`. */
    defaultRequestCpu?: pulumi.Input<string>;
    /** Default memory request. Default: `"16Mi"`. */
    defaultRequestMemory?: pulumi.Input<string>;
    /** Default CPU limit. Default: `"100m"`. */
    defaultCpu?: pulumi.Input<string>;
    /** Default memory limit. Default: `"32Mi"`. */
    defaultMemory?: pulumi.Input<string>;
    /** Largest CPU limit one container may have. Default: `"500m"`. */
    maxCpu?: pulumi.Input<string>;
    /** Largest memory limit one container may have. Default: `"128Mi"`. */
    maxMemory?: pulumi.Input<string>;
}

/** The API server as the student's kubectl reaches it: normally read from the admin kubeconfig ({@link loadClusterEndpoint}). */
export interface StudentClusterArgs {
    /** The API server's URL, e.g. `https://203.0.113.10:6443`. */
    server: pulumi.Input<string>;
    /**
     * The cluster's CA certificate(s), base64-encoded PEM (a kubeconfig's `certificate-authority-data`).
     * Default: the `ca.crt` the token controller puts in the student's token Secret.
     */
    caData?: pulumi.Input<string>;
    /** The cluster's name in the student's kubeconfig. Default: `"init-sidecar-lab"`. */
    name?: pulumi.Input<string>;
}

export interface StudentNamespaceArgs {
    /** The student's name, a DNS-1123 label: names the ServiceAccount, the kubeconfig user and a label. Default: the component's name. */
    student?: pulumi.Input<string>;
    /** The namespace's name. Default: `lab-<student>`. */
    namespaceName?: pulumi.Input<string>;
    /** Where the student's kubeconfig points. */
    cluster: StudentClusterArgs;
    /** The namespace's ResourceQuota. Every field has a default. */
    quota?: StudentQuotaArgs;
    /** The namespace's LimitRange for containers. Every field has a default. */
    limits?: StudentLimitArgs;
}

export const DEFAULT_STUDENT_QUOTA = {
    pods: 8,
    requestsCpu: "200m",
    requestsMemory: "256Mi",
    limitsCpu: "1",
    limitsMemory: "512Mi",
} as const;

export const DEFAULT_STUDENT_LIMITS = {
    defaultRequestCpu: "10m",
    defaultRequestMemory: "16Mi",
    defaultCpu: "100m",
    defaultMemory: "32Mi",
    maxCpu: "500m",
    maxMemory: "128Mi",
} as const;

export const DEFAULT_KUBECONFIG_CLUSTER_NAME = "init-sidecar-lab";

export type StudentQuota = {
    pods: number;
    requestsCpu: string;
    requestsMemory: string;
    limitsCpu: string;
    limitsMemory: string;
};
export type StudentLimits = { -readonly [K in keyof typeof DEFAULT_STUDENT_LIMITS]: string };

// ---------------------------------------------------------------------------------------------
// Quantities

// Kubernetes resource.Quantity: a decimal number and an optional binary (Ki..Ei), decimal (n..E)
// or exponent suffix. Quotas and limits here must not be negative.
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
const SUFFIX_FACTORS: Record<string, number> = {
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    "": 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};

/** A Kubernetes quantity's value in base units (cores, bytes), e.g. `"100m"` is 0.1 and `"1Ki"` is 1024. */
export function parseQuantity(quantity: string): number {
    const match = QUANTITY.exec(quantity);
    if (!match) throw new Error(`not a Kubernetes quantity: ${JSON.stringify(quantity)}`);
    const suffix = match[3] ?? "";
    const number = Number(match[1]);
    if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
    return number * SUFFIX_FACTORS[suffix];
}

export function quantity(field: string, value: unknown, example: string): string {
    if (typeof value !== "string" || !QUANTITY.test(value) || parseQuantity(value) <= 0) {
        throw new InvalidValueError(
            field,
            value,
            "a positive Kubernetes quantity (a number with an optional suffix such as m, Mi or Gi)",
            example,
        );
    }
    return value;
}

// ---------------------------------------------------------------------------------------------
// Pure builders of the namespace's policies

export function studentQuotaSpec(quota: StudentQuota): ResourceQuotaSpec {
    return {
        hard: {
            pods: String(quota.pods),
            "requests.cpu": quota.requestsCpu,
            "requests.memory": quota.requestsMemory,
            "limits.cpu": quota.limitsCpu,
            "limits.memory": quota.limitsMemory,
        },
    };
}

export function studentLimitRangeSpec(limits: StudentLimits): LimitRangeSpec {
    return {
        limits: [
            {
                type: "Container",
                defaultRequest: { cpu: limits.defaultRequestCpu, memory: limits.defaultRequestMemory },
                default: { cpu: limits.defaultCpu, memory: limits.defaultMemory },
                max: { cpu: limits.maxCpu, memory: limits.maxMemory },
            },
        ],
    };
}

/**
 * Every Pod of the namespace may talk to, and be reached by, Pods of the same namespace only,
 * plus DNS (port 53) to kube-system: no traffic from or to another student. DNS is allowed to
 * every Pod of kube-system rather than to `k8s-app: kube-dns`, a label not every distribution uses.
 */
export function studentNetworkPolicySpec(): NetworkPolicySpec {
    return {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [
            { to: [{ podSelector: {} }] },
            {
                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
                ports: [
                    { protocol: "UDP", port: 53 },
                    { protocol: "TCP", port: 53 },
                ],
            },
        ],
    };
}

/**
 * Exactly the lab's steps, in the student's namespace only:
 * - pods create/get/list/watch/delete: `kubectl apply -f manifests/...` of a new Pod (get, then
 *   create), `get pods [-w]`, `get pod <name> -w` (a list and a watch on one name), `delete pod`;
 * - pods/log get: `kubectl logs [-f] -c <container>`;
 * - events get/list: `kubectl describe pod` lists the Pod's events.
 * Deliberately left out: update/patch (a Pod's spec is immutable, the lab re-creates Pods),
 * exec/attach/port-forward (not a lab step), Secrets (the token lives in this namespace), and
 * anything cluster-wide. Discovery and `kubectl auth can-i` are open to every authenticated user.
 */
export function studentRoleRules(): PolicyRule[] {
    return [
        { apiGroups: [""], resources: ["pods"], verbs: ["create", "get", "list", "watch", "delete"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
        { apiGroups: [""], resources: ["events"], verbs: ["get", "list"] },
    ];
}

// ---------------------------------------------------------------------------------------------
// Kubeconfigs

export interface StudentKubeconfigArgs {
    /** The cluster's name inside the kubeconfig. */
    clusterName: string;
    /** The API server's URL. */
    server: string;
    /** Base64 PEM of the cluster CA; omitted: kubectl trusts the system's CAs. */
    caData?: string;
    /** The ServiceAccount's bearer token, as it is (not base64). */
    token: string;
    /** The context's default namespace: the student's. */
    namespace: string;
    /** The user's name inside the kubeconfig. */
    user: string;
}

/** A kubeconfig with one cluster, one token user and one current context whose default namespace is the student's. */
export function studentKubeconfig(args: StudentKubeconfigArgs): string {
    for (const key of ["clusterName", "server", "token", "namespace", "user"] as const) {
        if (typeof args[key] !== "string" || args[key].trim() === "") {
            throw new Error(`studentKubeconfig: ${key} must be a non-empty string; got ${JSON.stringify(args[key])}`);
        }
    }
    const contextName = `${args.user}@${args.clusterName}`;
    return stringifyYaml({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
            {
                name: args.clusterName,
                cluster: {
                    server: args.server,
                    ...(args.caData ? { "certificate-authority-data": args.caData } : {}),
                },
            },
        ],
        users: [{ name: args.user, user: { token: args.token } }],
        contexts: [
            {
                name: contextName,
                context: { cluster: args.clusterName, user: args.user, namespace: args.namespace },
            },
        ],
        "current-context": contextName,
    });
}

/** Where a kubeconfig context's cluster is: what a student's kubeconfig needs from the admin's. */
export interface ClusterEndpoint {
    /** The context that was read: the one asked for, else the kubeconfig's current-context. */
    context: string;
    /** The cluster entry's name. */
    cluster: string;
    server: string;
    /** `certificate-authority-data`, base64 PEM. */
    caData?: string;
    /** `certificate-authority`, a file path as written (relative paths are relative to the kubeconfig). */
    caFile?: string;
}

interface NamedEntry {
    name?: unknown;
    [key: string]: unknown;
}

function namedEntries(doc: Record<string, unknown>, key: string): NamedEntry[] {
    const list = doc[key];
    return Array.isArray(list) ? list.filter((e): e is NamedEntry => e !== null && typeof e === "object") : [];
}

/**
 * Reads a context's cluster (server and CA) from a kubeconfig's text. Pure: a CA given as a file
 * comes back as `caFile`, for {@link loadClusterEndpoint} to read. Throws an Error that names
 * the context for anything missing.
 */
export function clusterEndpoint(kubeconfigText: string, context?: string): ClusterEndpoint {
    let doc: unknown;
    try {
        doc = parseYaml(kubeconfigText);
    } catch (err) {
        throw new Error(`the kubeconfig is not valid YAML: ${(err as Error).message}`, { cause: err });
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
        throw new Error("the kubeconfig is not a YAML mapping (apiVersion, clusters, contexts, users)");
    }
    const config = doc as Record<string, unknown>;
    const contexts = namedEntries(config, "contexts");
    const known = contexts.map((c) => JSON.stringify(c.name)).join(", ") || "none";
    const currentContext = config["current-context"];
    const contextName = context ?? (typeof currentContext === "string" && currentContext !== "" ? currentContext : "");
    if (contextName === "") {
        throw new Error(`the kubeconfig sets no current-context; name one of its contexts (${known})`);
    }
    const entry = contexts.find((c) => c.name === contextName);
    if (!entry) throw new Error(`context "${contextName}" is not in the kubeconfig (its contexts: ${known})`);
    const ctx = entry.context as Record<string, unknown> | undefined;
    const clusterName = ctx?.cluster;
    if (typeof clusterName !== "string" || clusterName === "") {
        throw new Error(`context "${contextName}" names no cluster`);
    }
    const clusterEntry = namedEntries(config, "clusters").find((c) => c.name === clusterName);
    if (!clusterEntry) {
        throw new Error(
            `context "${contextName}" names cluster "${clusterName}", which the kubeconfig does not define`,
        );
    }
    const cluster = (clusterEntry.cluster ?? {}) as Record<string, unknown>;
    const server = cluster.server;
    if (typeof server !== "string" || server === "") {
        throw new Error(`cluster "${clusterName}" of context "${contextName}" has no server`);
    }
    const caData = cluster["certificate-authority-data"];
    const caFile = cluster["certificate-authority"];
    return {
        context: contextName,
        cluster: clusterName,
        server,
        ...(typeof caData === "string" && caData !== ""
            ? { caData: caData.replace(/\s+/g, "") }
            : typeof caFile === "string" && caFile !== ""
              ? { caFile }
              : {}),
    };
}

/**
 * Reads a kubeconfig file and the context's server and CA from it, reading a `certificate-authority`
 * file too (relative to the kubeconfig's directory, as kubectl does). Errors name the file and context.
 */
export function loadClusterEndpoint(
    kubeconfigPath: string,
    context?: string,
    readFile: (file: string) => Buffer = (file) => fs.readFileSync(file),
): { cluster: string; server: string; caData?: string } {
    let text: string;
    try {
        text = readFile(kubeconfigPath).toString("utf8");
    } catch (err) {
        throw new Error(`cannot read the kubeconfig ${kubeconfigPath}: ${(err as Error).message}`, { cause: err });
    }
    let endpoint: ClusterEndpoint;
    try {
        endpoint = clusterEndpoint(text, context);
    } catch (err) {
        throw new Error(`${kubeconfigPath}: ${(err as Error).message}`, { cause: err });
    }
    const { cluster, server } = endpoint;
    if (endpoint.caFile === undefined) return { cluster, server, caData: endpoint.caData };
    const caPath = path.resolve(path.dirname(kubeconfigPath), endpoint.caFile);
    try {
        return { cluster, server, caData: readFile(caPath).toString("base64") };
    } catch (err) {
        throw new Error(
            `${kubeconfigPath}: cannot read the certificate-authority file ${caPath} of context "${endpoint.context}": ${(err as Error).message}`,
            { cause: err },
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Arguments

export interface StudentNamespaceSettings {
    student: string;
    namespace: string;
    /** The Namespace's labels: Pod Security restricted, the lab and the student. */
    namespaceLabels: Record<string, string>;
    /** Labels of every other child. */
    labels: Record<string, string>;
    serviceAccountName: string;
    roleName: string;
    tokenSecretName: string;
    quota: ResourceQuotaSpec;
    limitRange: LimitRangeSpec;
    networkPolicy: NetworkPolicySpec;
    rules: PolicyRule[];
    cluster: { name: string; server: string; caData?: string };
}

export const STUDENT_ROLE_NAME = "init-sidecar-lab-student";

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function checkServer(field: string, value: unknown): string {
    let url: URL | undefined;
    try {
        url = typeof value === "string" ? new URL(value) : undefined;
    } catch {
        url = undefined;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || /\s/.test(String(value))) {
        throw new InvalidValueError(
            field,
            value,
            "the API server's URL (https://host[:port])",
            "https://203.0.113.10:6443",
        );
    }
    return value as string;
}

function notLarger(field: string, value: string, bigger: string, biggerField: string): void {
    if (parseQuantity(value) > parseQuantity(bigger)) {
        throw new InvalidValueError(field, value, `at most ${biggerField} (${bigger})`, bigger);
    }
}

/** Fills in defaults and validates; throws {@link InvalidValueError} naming the argument. */
export function resolveStudentNamespace(
    componentName: string,
    args: pulumi.Unwrap<StudentNamespaceArgs>,
): StudentNamespaceSettings {
    const student = dnsLabel("student", args.student ?? componentName, "alice");
    const namespace = ownedNamespaceName(args.namespaceName ?? `lab-${student}`, "lab-alice");

    const q = args.quota ?? {};
    const quota: StudentQuota = {
        pods: integerInRange("quota.pods", q.pods ?? DEFAULT_STUDENT_QUOTA.pods, 1, 100, DEFAULT_STUDENT_QUOTA.pods),
        requestsCpu: quantity("quota.requestsCpu", q.requestsCpu ?? DEFAULT_STUDENT_QUOTA.requestsCpu, "200m"),
        requestsMemory: quantity(
            "quota.requestsMemory",
            q.requestsMemory ?? DEFAULT_STUDENT_QUOTA.requestsMemory,
            "256Mi",
        ),
        limitsCpu: quantity("quota.limitsCpu", q.limitsCpu ?? DEFAULT_STUDENT_QUOTA.limitsCpu, "1"),
        limitsMemory: quantity("quota.limitsMemory", q.limitsMemory ?? DEFAULT_STUDENT_QUOTA.limitsMemory, "512Mi"),
    };

    const l = args.limits ?? {};
    const limits = {} as StudentLimits;
    for (const key of Object.keys(DEFAULT_STUDENT_LIMITS) as (keyof StudentLimits)[]) {
        limits[key] = quantity(`limits.${key}`, l[key] ?? DEFAULT_STUDENT_LIMITS[key], DEFAULT_STUDENT_LIMITS[key]);
    }
    // The API server refuses a LimitRange whose default request exceeds the default limit, or either exceeds max.
    notLarger("limits.defaultRequestCpu", limits.defaultRequestCpu, limits.defaultCpu, "limits.defaultCpu");
    notLarger("limits.defaultRequestMemory", limits.defaultRequestMemory, limits.defaultMemory, "limits.defaultMemory");
    notLarger("limits.defaultCpu", limits.defaultCpu, limits.maxCpu, "limits.maxCpu");
    notLarger("limits.defaultMemory", limits.defaultMemory, limits.maxMemory, "limits.maxMemory");

    const cluster = args.cluster ?? ({} as pulumi.Unwrap<StudentClusterArgs>);
    const server = checkServer("cluster.server", cluster.server);
    const caData = cluster.caData === undefined || cluster.caData === "" ? undefined : cluster.caData;
    if (caData !== undefined && (typeof caData !== "string" || !BASE64.test(caData))) {
        throw new InvalidValueError(
            "cluster.caData",
            caData,
            "base64-encoded PEM, as in a kubeconfig's certificate-authority-data",
            "LS0tLS1CRUdJTi...",
        );
    }
    const clusterName = cluster.name ?? DEFAULT_KUBECONFIG_CLUSTER_NAME;
    if (typeof clusterName !== "string" || clusterName.trim() === "" || /[\n\r\0]/.test(clusterName)) {
        throw new InvalidValueError("cluster.name", clusterName, "a non-empty name on one line", "kind-lab-dev");
    }

    const labels = { "app.kubernetes.io/name": LAB_APP_LABEL, [STUDENT_LABEL]: student };
    return {
        student,
        namespace,
        namespaceLabels: { ...labels, ...podSecurityLabels("restricted") },
        labels,
        serviceAccountName: student,
        roleName: STUDENT_ROLE_NAME,
        tokenSecretName: `${student}-token`,
        quota: studentQuotaSpec(quota),
        limitRange: studentLimitRangeSpec(limits),
        networkPolicy: studentNetworkPolicySpec(),
        rules: studentRoleRules(),
        cluster: { name: clusterName, server, caData },
    };
}

/** The token controller's base64 `data.token`, decoded; an Error naming the Secret when it is missing. */
export function tokenFromSecretData(data: Record<string, string> | undefined, secret: string): string {
    const encoded = data?.token;
    if (typeof encoded !== "string" || encoded === "") {
        throw new Error(
            `the ServiceAccount token Secret ${secret} has no data.token: the cluster's token controller did not fill it`,
        );
    }
    return Buffer.from(encoded, "base64").toString("utf8");
}

// ---------------------------------------------------------------------------------------------
// The component

/**
 * One student's corner of a shared cluster. Pass the cluster's `provider` in the options: every
 * child is created through it. `namespaceName` carries the Namespace and its policies as
 * dependencies, so Pods placed with it are admitted under the quota, limits and NetworkPolicy.
 */
export class StudentNamespace extends pulumi.ComponentResource {
    public readonly namespace: k8s.core.v1.Namespace;
    public readonly tokenSecret: k8s.core.v1.Secret;
    /** The namespace's name; resources that use it depend on the Namespace, quota, limits and NetworkPolicy. */
    public readonly namespaceName: pulumi.Output<string>;
    public readonly serviceAccountName: pulumi.Output<string>;
    /** A kubeconfig for the student (a secret): token user, context defaulting to the student's namespace. */
    public readonly kubeconfig: pulumi.Output<string>;

    constructor(name: string, args: StudentNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("initsidecarlab:classroom:StudentNamespace", name, {}, opts);
        const settings = resolveArgs(this, `StudentNamespace "${name}"`, args, (plain) =>
            resolveStudentNamespace(name, plain),
        );
        const child = { parent: this };

        this.namespace = new k8s.core.v1.Namespace(
            name,
            { metadata: { name: settings.namespace, labels: settings.namespaceLabels } },
            child,
        );
        // The name, carrying the Namespace (through its URN, known in a preview too) as a dependency.
        const ns = pulumi.all([this.namespace.urn, settings.namespace]).apply(([, n]) => n);
        const meta = (objectName: pulumi.Input<string>, annotations?: Record<string, pulumi.Input<string>>) => ({
            name: objectName,
            namespace: ns,
            labels: settings.labels,
            ...(annotations ? { annotations } : {}),
        });

        const quota = new k8s.core.v1.ResourceQuota(
            `${name}-quota`,
            { metadata: meta("lab-quota"), spec: settings.quota },
            child,
        );
        const limits = new k8s.core.v1.LimitRange(
            `${name}-limits`,
            { metadata: meta("lab-limits"), spec: settings.limitRange },
            child,
        );
        const networkPolicy = new k8s.networking.v1.NetworkPolicy(
            `${name}-netpol`,
            { metadata: meta("same-namespace-only"), spec: settings.networkPolicy },
            child,
        );

        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            // A person's identity, not a workload's: Pods here keep using the namespace's default account.
            { metadata: meta(settings.serviceAccountName), automountServiceAccountToken: false },
            child,
        );
        const role = new k8s.rbac.v1.Role(
            `${name}-role`,
            { metadata: meta(settings.roleName), rules: settings.rules },
            child,
        );
        new k8s.rbac.v1.RoleBinding(
            `${name}-rolebinding`,
            {
                metadata: meta(settings.roleName),
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: serviceAccount.metadata.name, namespace: ns }],
            },
            // roleRef is immutable and the name fixed: a replacement must delete first.
            { ...child, deleteBeforeReplace: true },
        );

        // The token. The Kubernetes provider (4.34.2, pkg/await/awaiters.go untilCoreV1SecretInitialized)
        // already waits for a service-account-token Secret's data after creating it, and returns the
        // live object as the Secret's outputs, but for a fixed 5 s, failing the create when the token
        // controller is slower (a busy shared cluster). The `pulumi.com/waitFor` annotation replaces
        // that wait by a JSONPath condition on `.data.token` under the resource's own timeout
        // (pkg/metadata/overrides.go ReadyCondition), so `data.token` is in the outputs once the
        // create succeeds; no read-back (Secret.get) is needed. The provider marks `data` secret.
        // The annotation names the ServiceAccount through its output: the token controller deletes
        // a token Secret whose ServiceAccount does not exist yet.
        this.tokenSecret = new k8s.core.v1.Secret(
            `${name}-token`,
            {
                metadata: meta(settings.tokenSecretName, {
                    "kubernetes.io/service-account.name": serviceAccount.metadata.name,
                    "pulumi.com/waitFor": "jsonpath={.data.token}",
                }),
                type: "kubernetes.io/service-account-token",
            },
            // The provider replaces a Secret whose type changes; its name is fixed, so delete first.
            { ...child, deleteBeforeReplace: true, customTimeouts: { create: "2m" } },
        );

        this.namespaceName = pulumi
            .all([this.namespace.urn, quota.urn, limits.urn, networkPolicy.urn, settings.namespace])
            .apply(([, , , , n]) => n);
        this.serviceAccountName = serviceAccount.metadata.name;
        const secretLabel = pulumi.interpolate`${ns}/${settings.tokenSecretName}`;
        this.kubeconfig = pulumi.secret(
            pulumi
                .all([settings, this.tokenSecret.data, secretLabel, this.serviceAccountName])
                .apply(([s, data, secret, user]) =>
                    studentKubeconfig({
                        clusterName: s.cluster.name,
                        server: s.cluster.server,
                        // The admin kubeconfig's CA, else the one the token controller put beside the token.
                        caData: s.cluster.caData ?? data?.["ca.crt"],
                        token: tokenFromSecretData(data, secret),
                        namespace: s.namespace,
                        user,
                    }),
                ),
        );
        this.registerOutputs({
            namespaceName: this.namespaceName,
            serviceAccountName: this.serviceAccountName,
            kubeconfig: this.kubeconfig,
        });
    }
}
