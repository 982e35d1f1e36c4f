import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import { parseQuantity, quantity } from "./quantity";
import { Setting, setting } from "./settings";
import { InvalidValueError, integerInRange } from "./validation";

/**
 * A student namespace's policies: the settings of its quota and its containers' limits, and pure
 * builders of the quota, the LimitRange, the NetworkPolicy that keeps traffic inside the
 * namespace, and the Role a student gets.
 */

/** Plain (Input-free) Kubernetes shapes: what the pure builders return. */
export type ResourceQuotaSpec = pulumi.Unwrap<k8s.types.input.core.v1.ResourceQuotaSpec>;
export type LimitRangeSpec = pulumi.Unwrap<k8s.types.input.core.v1.LimitRangeSpec>;
export type NetworkPolicySpec = pulumi.Unwrap<k8s.types.input.networking.v1.NetworkPolicySpec>;
export type PolicyRule = pulumi.Unwrap<k8s.types.input.rbac.v1.PolicyRule>;

export interface StudentQuota {
    pods: number;
    requestsCpu: string;
    requestsMemory: string;
    limitsCpu: string;
    limitsMemory: string;
}

export interface StudentLimits {
    defaultRequestCpu: string;
    defaultRequestMemory: string;
    defaultCpu: string;
    defaultMemory: string;
    maxCpu: string;
    maxMemory: string;
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

export const STUDENT_ROLE_NAME = "init-sidecar-lab-student";

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
