import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { resolveArgs } from "./inputs";
import { LAB_APP_LABEL } from "./podDefaults";
import { InvalidValueError, dnsLabel, oneOf } from "./validation";

export type PodSecurityLevel = "restricted" | "baseline" | "privileged";
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ["restricted", "baseline", "privileged"];

export interface LabNamespaceArgs {
    /** The namespace's name. Default: the component's name. */
    namespaceName?: pulumi.Input<string>;
    /** The Pod Security Standard the API server enforces here. Default: `"restricted"`. */
    podSecurity?: pulumi.Input<PodSecurityLevel>;
}

/** Namespaces every cluster already has: the lab must not create (and later delete) them. */
export const SYSTEM_NAMESPACES: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Labels that make the Pod Security admission controller enforce, warn about and audit one level. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const mode of ["enforce", "warn", "audit"]) {
        labels[`pod-security.kubernetes.io/${mode}`] = level;
        labels[`pod-security.kubernetes.io/${mode}-version`] = "latest";
    }
    return labels;
}

/** A `namespaceName` the lab may create and later delete: a DNS label, and none of the cluster's own. */
export function ownedNamespaceName(value: string, example: string): string {
    const name = dnsLabel("namespaceName", value, example);
    if (SYSTEM_NAMESPACES.includes(name)) {
        throw new InvalidValueError(
            "namespaceName",
            name,
            `a namespace the lab may own, not one of ${SYSTEM_NAMESPACES.join(", ")}`,
            example,
        );
    }
    return name;
}

export function resolveLabNamespace(
    componentName: string,
    args: pulumi.Unwrap<LabNamespaceArgs>,
): { name: string; labels: Record<string, string> } {
    const name = ownedNamespaceName(args.namespaceName ?? componentName, "init-sidecar-lab");
    const level = oneOf("podSecurity", args.podSecurity ?? "restricted", POD_SECURITY_LEVELS);
    return { name, labels: { "app.kubernetes.io/name": LAB_APP_LABEL, ...podSecurityLabels(level) } };
}

/**
 * The namespace the lab's Pods live in, with Pod Security admission enforcing
 * "restricted": the API server itself proves the demo Pods are compliant.
 */
export class LabNamespace extends pulumi.ComponentResource {
    public readonly namespace: k8s.core.v1.Namespace;
    /** The namespace's name; resources that use it depend on the Namespace. */
    public readonly namespaceName: pulumi.Output<string>;

    constructor(name: string, args: LabNamespaceArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("initsidecarlab:pods:LabNamespace", name, {}, opts);
        const resolved = resolveArgs(this, `LabNamespace "${name}"`, args, (plain) => resolveLabNamespace(name, plain));
        this.namespace = new k8s.core.v1.Namespace(
            name,
            { metadata: { name: resolved.name, labels: resolved.labels } },
            { parent: this },
        );
        // The name as configured, but carrying the Namespace as a dependency (through its URN,
        // known even in a preview), so Pods wait for it and a preview still shows their namespace.
        this.namespaceName = pulumi.all([this.namespace.urn, resolved.name]).apply(([, n]) => n);
        this.registerOutputs({ namespaceName: this.namespaceName });
    }
}
