import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";

/**
 * Pure builders of a student namespace's policies: its quota, its containers' limits, the
 * NetworkPolicy that keeps traffic inside it, and the Role a student gets.
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
