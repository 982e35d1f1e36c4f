import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { checkArgs, dependingOn } from "./inputs";
import { ownedNamespaceName, podSecurityLabels } from "./labNamespace";
import { LAB_APP_LABEL } from "./podDefaults";
import { Setting, resolveSetting, setting } from "./settings";
import { studentKubeconfig, tokenFromSecretData } from "./studentKubeconfig";
import {
    LimitRangeSpec,
    NetworkPolicySpec,
    PolicyRule,
    ResourceQuotaSpec,
    STUDENT_LIMIT_SETTINGS,
    STUDENT_QUOTA_SETTINGS,
    STUDENT_ROLE_NAME,
    StudentLimits,
    StudentQuota,
    checkLimitOrder,
    studentLimitRangeSpec,
    studentNetworkPolicySpec,
    studentQuotaSpec,
    studentRoleRules,
} from "./studentPolicies";
import { InvalidValueError, dnsLabel } from "./validation";

/**
 * The shared-cluster isolation of a classroom: one namespace per student, with
 * Pod Security "restricted", a quota, container limits, a NetworkPolicy that
 * keeps traffic inside the namespace, and a ServiceAccount whose Role allows
 * exactly the lab's kubectl steps, handed to the student as a kubeconfig.
 * The policies are built in studentPolicies.ts, the kubeconfig in studentKubeconfig.ts.
 */

/** The label naming the student on everything the component creates. */
export const STUDENT_LABEL = "init-sidecar-lab/student";

/** Every field: see STUDENT_QUOTA_SETTINGS (studentPolicies.ts). */
export type StudentQuotaArgs = { [K in keyof StudentQuota]?: pulumi.Input<StudentQuota[K]> };
/** Every field: see STUDENT_LIMIT_SETTINGS (studentPolicies.ts). */
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

/** The component's own settings; `quota` and `limits` have theirs in studentPolicies.ts. */
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
