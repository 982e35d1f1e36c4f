import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { checkArgs, dependingOn } from "./inputs";
import { ownedNamespaceName, podSecurityLabels } from "./labNamespace";
import { LAB_APP_LABEL } from "./podDefaults";
import { parseQuantity, quantity } from "./quantity";
import { Setting, resolveSetting, setting } from "./settings";
import { studentKubeconfig, tokenFromSecretData } from "./studentKubeconfig";
import {
    LimitRangeSpec,
    NetworkPolicySpec,
    PolicyRule,
    ResourceQuotaSpec,
    STUDENT_ROLE_NAME,
    StudentLimits,
    StudentQuota,
    studentLimitRangeSpec,
    studentNetworkPolicySpec,
    studentQuotaSpec,
    studentRoleRules,
} from "./studentPolicies";
import { InvalidValueError, dnsLabel, integerInRange } from "./validation";

/**
 * The shared-cluster isolation of a classroom: one namespace per student, with
 * Pod Security "restricted", a quota, container limits, a NetworkPolicy that
 * keeps traffic inside the namespace, and a ServiceAccount whose Role allows
 * exactly the lab's kubectl steps, handed to the student as a kubeconfig.
 * The policies are built in studentPolicies.ts, the kubeconfig in studentKubeconfig.ts.
 */

/** The label naming the student on everything the component creates. */
export const STUDENT_LABEL = "init-sidecar-lab/student";

/** Every field: see {@link STUDENT_QUOTA_SETTINGS}. */
export type StudentQuotaArgs = { [K in keyof StudentQuota]?: pulumi.Input<StudentQuota[K]> };
/** Every field: see {@link STUDENT_LIMIT_SETTINGS}. */
export type StudentLimitArgs = { [K in keyof StudentLimits]?: pulumi.Input<string> };

/** The API server as the student's kubectl reaches it: normally read from the admin kubeconfig (host/kubeconfig.ts). */
export interface StudentClusterArgs {
    /** The API server's URL, e.g. `https://203.0.113.10:6443`. */
    server: pulumi.Input<string>;
    // Default, check and description of each: STUDENT_NAMESPACE_SETTINGS below.
    /** The cluster's CA certificate(s), base64-encoded PEM (a kubeconfig's `certificate-authority-data`). */
    caData?: pulumi.Input<string>;
    /** The cluster's name in the student's kubeconfig. */
    name?: pulumi.Input<string>;
}

export interface StudentNamespaceArgs {
    // Default, check and description of each: STUDENT_NAMESPACE_SETTINGS below.
    /** The student's name: names the ServiceAccount, the kubeconfig user and a label. */
    student?: pulumi.Input<string>;
    /** The namespace's name. */
    namespaceName?: pulumi.Input<string>;
    /** Where the student's kubeconfig points. */
    cluster: StudentClusterArgs;
    /** The namespace's ResourceQuota. Every field has a default. */
    quota?: StudentQuotaArgs;
    /** The namespace's LimitRange for containers. Every field has a default. */
    limits?: StudentLimitArgs;
}

const quantitySetting = (defaultValue: string, description: string): Setting<string> =>
    setting({ type: "string", default: defaultValue, example: defaultValue, description, check: quantity });

/**
 * What one student may use at once. Each demo container asks 10m CPU / 16Mi and is limited to
 * 100m / 32Mi (podDefaults.ts `demoContainerResources`); the costliest lab Pod runs two containers
 * at once (the sidecar Pod, classic or native), so the lab's two Pods plus their replacements
 * during a delete-before-replace (four Pods) need at most 80m / 128Mi of requests and
 * 800m / 256Mi of limits. The defaults leave room for a student's own `kubectl run` as well.
 */
export const STUDENT_QUOTA_SETTINGS = {
    pods: setting({
        type: "integer",
        default: 8,
        example: "8",
        description: "Pods at once (1-100).",
        check: (field, value, example) => integerInRange(field, value, 1, 100, example),
    }),
    requestsCpu: quantitySetting("200m", "Sum of CPU requests."),
    requestsMemory: quantitySetting("256Mi", "Sum of memory requests."),
    limitsCpu: quantitySetting("1", "Sum of CPU limits."),
    limitsMemory: quantitySetting("512Mi", "Sum of memory limits."),
} satisfies { [K in keyof StudentQuota]: Setting<StudentQuota[K]> };

/**
 * Per-container defaults and ceiling. The quota counts limits, so every container needs one:
 * the defaults give it to containers that do not say (a student's `kubectl run`). The defaults
 * equal what the demo containers ask for.
 */
export const STUDENT_LIMIT_SETTINGS = {
    defaultRequestCpu: quantitySetting("10m", "Default CPU request."),
    defaultRequestMemory: quantitySetting("16Mi", "Default memory request."),
    defaultCpu: quantitySetting("100m", "Default CPU limit."),
    defaultMemory: quantitySetting("32Mi", "Default memory limit."),
    maxCpu: quantitySetting("500m", "Largest CPU limit one container may have."),
    maxMemory: quantitySetting("128Mi", "Largest memory limit one container may have."),
} satisfies { [K in keyof StudentLimits]: Setting<string> };

/** Each setting of a table at its default. */
function defaultsOf<T>(table: { [K in keyof T]: Setting<T[K]> }): T {
    const values = {} as T;
    for (const key of Object.keys(table) as (keyof T)[]) values[key] = table[key].default as T[keyof T];
    return values;
}

export const DEFAULT_STUDENT_QUOTA: StudentQuota = defaultsOf<StudentQuota>(STUDENT_QUOTA_SETTINGS);
export const DEFAULT_STUDENT_LIMITS: StudentLimits = defaultsOf<StudentLimits>(STUDENT_LIMIT_SETTINGS);

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function checkServer(field: string, value: unknown, example: string): string {
    let url: URL | undefined;
    try {
        url = typeof value === "string" ? new URL(value) : undefined;
    } catch {
        url = undefined;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || /\s/.test(String(value))) {
        throw new InvalidValueError(field, value, "the API server's URL (https://host[:port])", example);
    }
    return value as string;
}

/** The component's own settings; `quota` and `limits` have their tables above. */
export const STUDENT_NAMESPACE_SETTINGS = {
    student: setting({
        type: "string",
        defaultText: "the component's name",
        example: "alice",
        description:
            "The student's name (a DNS-1123 label): names the ServiceAccount, the kubeconfig user and a label.",
        check: dnsLabel,
    }),
    namespaceName: setting({
        type: "string",
        defaultText: "`lab-<student>`",
        example: "lab-alice",
        description: "The student's namespace.",
        check: ownedNamespaceName,
    }),
    "cluster.server": setting({
        type: "string",
        defaultText: "none, it is required",
        example: "https://203.0.113.10:6443",
        description: "The API server's URL as the student's kubectl reaches it.",
        check: checkServer,
    }),
    "cluster.caData": setting({
        type: "string",
        defaultText: "the `ca.crt` the token controller puts beside the student's token",
        example: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
        description: "The cluster's CA, base64-encoded PEM, as in a kubeconfig's `certificate-authority-data`.",
        check: (field, value, example) => {
            if (value === undefined || value === "") return undefined;
            if (typeof value !== "string" || !BASE64.test(value)) {
                throw new InvalidValueError(
                    field,
                    value,
                    "base64-encoded PEM, as in a kubeconfig's certificate-authority-data",
                    example,
                );
            }
            return value;
        },
    }),
    "cluster.name": setting({
        type: "string",
        default: "init-sidecar-lab",
        example: "kind-lab-dev",
        description: "The cluster's name in the student's kubeconfig.",
        check: (field, value, example) => {
            if (typeof value !== "string" || value.trim() === "" || /[\n\r\0]/.test(value)) {
                throw new InvalidValueError(field, value, "a non-empty name on one line", example);
            }
            return value;
        },
    }),
};

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

/**
 * The API server refuses a LimitRange whose default request exceeds the default limit, or either
 * exceeds max. Pairs of (smaller, bigger).
 */
const LIMIT_ORDER: readonly (readonly [keyof StudentLimits, keyof StudentLimits])[] = [
    ["defaultRequestCpu", "defaultCpu"],
    ["defaultRequestMemory", "defaultMemory"],
    ["defaultCpu", "maxCpu"],
    ["defaultMemory", "maxMemory"],
];

/**
 * Throws when a LimitRange value exceeds the one that bounds it, blaming the value the user set:
 * a `maxMemory` set below the default memory limit is the max's fault, not the default's.
 */
export function checkLimitOrder(limits: StudentLimits, given: ReadonlySet<string>): void {
    for (const [smaller, bigger] of LIMIT_ORDER) {
        if (parseQuantity(limits[smaller]) <= parseQuantity(limits[bigger])) continue;
        if (given.has(bigger) && !given.has(smaller)) {
            throw new InvalidValueError(
                `limits.${bigger}`,
                limits[bigger],
                `at least limits.${smaller} (${limits[smaller]})`,
                limits[smaller],
            );
        }
        throw new InvalidValueError(
            `limits.${smaller}`,
            limits[smaller],
            `at most limits.${bigger} (${limits[bigger]})`,
            limits[bigger],
        );
    }
}

/** Fills in defaults and validates; throws {@link InvalidValueError} naming the argument. */
export function resolveStudentNamespace(
    componentName: string,
    args: pulumi.Unwrap<StudentNamespaceArgs>,
): StudentNamespaceSettings {
    const s = STUDENT_NAMESPACE_SETTINGS;
    const student = resolveSetting(s.student, "student", args.student, componentName);
    const namespace = resolveSetting(s.namespaceName, "namespaceName", args.namespaceName, `lab-${student}`);

    const q: pulumi.Unwrap<StudentQuotaArgs> = args.quota ?? {};
    const quota = {} as Record<string, unknown>;
    for (const [key, spec] of Object.entries(STUDENT_QUOTA_SETTINGS) as [keyof StudentQuota, Setting<unknown>][]) {
        quota[key] = resolveSetting(spec, `quota.${key}`, q[key]);
    }

    const l: pulumi.Unwrap<StudentLimitArgs> = args.limits ?? {};
    const limits = {} as StudentLimits;
    for (const [key, spec] of Object.entries(STUDENT_LIMIT_SETTINGS) as [keyof StudentLimits, Setting<string>][]) {
        limits[key] = resolveSetting(spec, `limits.${key}`, l[key]);
    }
    checkLimitOrder(limits, new Set(Object.keys(l).filter((k) => l[k as keyof StudentLimits] !== undefined)));

    const cluster = args.cluster ?? ({} as pulumi.Unwrap<StudentClusterArgs>);
    const server = resolveSetting(s["cluster.server"], "cluster.server", cluster.server);
    const caData = resolveSetting(s["cluster.caData"], "cluster.caData", cluster.caData);
    const clusterName = resolveSetting(s["cluster.name"], "cluster.name", cluster.name);

    const labels = { "app.kubernetes.io/name": LAB_APP_LABEL, [STUDENT_LABEL]: student };
    return {
        student,
        namespace,
        namespaceLabels: { ...labels, ...podSecurityLabels("restricted") },
        labels,
        serviceAccountName: student,
        roleName: STUDENT_ROLE_NAME,
        tokenSecretName: `${student}-token`,
        quota: studentQuotaSpec(quota as unknown as StudentQuota),
        limitRange: studentLimitRangeSpec(limits),
        networkPolicy: studentNetworkPolicySpec(),
        rules: studentRoleRules(),
        cluster: { name: clusterName, server, caData },
    };
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
        const label = `StudentNamespace "${name}"`;
        const checked = checkArgs(label, args, (plain) => resolveStudentNamespace(name, plain));
        super("initsidecarlab:classroom:StudentNamespace", name, {}, opts);
        const settings = checked.output(this);
        const child = { parent: this };

        this.namespace = new k8s.core.v1.Namespace(
            name,
            { metadata: { name: settings.namespace, labels: settings.namespaceLabels } },
            child,
        );
        // The name, carrying the Namespace: its objects wait for it.
        const ns = dependingOn(settings.namespace, this.namespace);
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

        this.namespaceName = dependingOn(settings.namespace, this.namespace, quota, limits, networkPolicy);
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
