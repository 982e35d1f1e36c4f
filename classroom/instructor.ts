import { Document, isSeq, visit } from "yaml";
import { PolicyRule, studentRoleRules } from "../components/studentPolicies";

/**
 * The least an instructor needs on a cluster they do not own (a managed cluster) to run
 * `classroom up --topology shared` there: a ClusterRole built from what the program creates, so it
 * is said once. tests/index.test.ts runs the program (every lesson, isolation student) under the
 * mocks and checks that every Kubernetes object it registers is in {@link CREATED_KINDS};
 * e2e/classroom.e2e.ts runs a class with nothing but this role. Pure.
 */

export const INSTRUCTOR_ROLE_NAME = "init-sidecar-lab-instructor";

/**
 * What the Pulumi Kubernetes provider does with an object it manages: create, read back, watch until
 * ready (await), refresh (`up --refresh`), update in place (server-side apply: patch), delete.
 */
export const MANAGED_VERBS = ["create", "get", "list", "watch", "update", "patch", "delete"] as const;

/** Each Kubernetes type the program creates in the shared topology (Pulumi's type token), with its API group and resource. */
export const CREATED_KINDS: Readonly<Record<string, { group: string; resource: string }>> = {
    "kubernetes:core/v1:Namespace": { group: "", resource: "namespaces" },
    "kubernetes:core/v1:ResourceQuota": { group: "", resource: "resourcequotas" },
    "kubernetes:core/v1:LimitRange": { group: "", resource: "limitranges" },
    "kubernetes:core/v1:ServiceAccount": { group: "", resource: "serviceaccounts" },
    // The student's token: the instructor's stack reads it back to write the student's kubeconfig.
    "kubernetes:core/v1:Secret": { group: "", resource: "secrets" },
    "kubernetes:core/v1:Pod": { group: "", resource: "pods" },
    "kubernetes:apps/v1:ReplicaSet": { group: "apps", resource: "replicasets" },
    "kubernetes:batch/v1:Job": { group: "batch", resource: "jobs" },
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": { group: "networking.k8s.io", resource: "networkpolicies" },
    "kubernetes:rbac.authorization.k8s.io/v1:Role": { group: "rbac.authorization.k8s.io", resource: "roles" },
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": {
        group: "rbac.authorization.k8s.io",
        resource: "rolebindings",
    },
};

/**
 * Read-only needs beside the objects themselves: the provider's await logic reports a Pod's or Job's
 * events while it waits. The student's Role ({@link studentRoleRules}) is added too: Kubernetes lets
 * a user grant only what they hold (RBAC escalation prevention), so the instructor must hold it.
 */
const READS: PolicyRule[] = [{ apiGroups: [""], resources: ["events"], verbs: ["get", "list", "watch"] }];

/** The ClusterRole's rules: one per API group for the managed objects, then the reads and the student's grants. */
export function instructorRules(): PolicyRule[] {
    const byGroup = new Map<string, string[]>();
    for (const { group, resource } of Object.values(CREATED_KINDS)) {
        byGroup.set(group, [...(byGroup.get(group) ?? []), resource]);
    }
    const managed = [...byGroup.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([group, resources]) => ({
            apiGroups: [group],
            resources: [...resources].sort(),
            verbs: [...MANAGED_VERBS],
        }));
    // A rule already granted (the student's pods, events) adds nothing; others (pods/log) stay.
    const rules: PolicyRule[] = [...managed];
    for (const rule of [...READS, ...studentRoleRules()]) if (!grantedBy(rules, rule)) rules.push(rule);
    return rules;
}

/** Whether `rules` grant every verb of `rule` on every resource of its groups (no wildcards involved). */
export function grantedBy(rules: readonly PolicyRule[], rule: PolicyRule): boolean {
    return (rule.apiGroups ?? []).every((group) =>
        (rule.resources ?? []).every((resource) =>
            (rule.verbs ?? []).every((verb) =>
                rules.some(
                    (r) =>
                        (r.apiGroups ?? []).includes(group) &&
                        (r.resources ?? []).includes(resource) &&
                        (r.verbs ?? []).includes(verb),
                ),
            ),
        ),
    );
}

/** The ClusterRole as a manifest object. */
export function instructorClusterRole(): Record<string, unknown> {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: INSTRUCTOR_ROLE_NAME },
        rules: instructorRules(),
    };
}

/** The ClusterRole as YAML, for `kubectl apply -f -` (docs/classroom-scale.md shows it). */
export function renderInstructorRole(): string {
    const doc = new Document(instructorClusterRole());
    // Lists on one line each: a rule reads as a sentence.
    visit(doc, {
        Seq(_, node) {
            if (node.items.every((item) => !isSeq(item) && typeof (item as { value?: unknown }).value === "string"))
                node.flow = true;
        },
    });
    return doc.toString({ flowCollectionPadding: false });
}
