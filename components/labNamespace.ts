import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { checkArgs, dependingOn } from "./inputs";
import { LAB_APP_LABEL } from "./podDefaults";
import { resolveSetting, setting } from "./settings";
import { InvalidValueError, dnsLabel, oneOf } from "./validation";

export type PodSecurityLevel = "restricted" | "baseline" | "privileged";
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ["restricted", "baseline", "privileged"];

export interface LabNamespaceArgs {
    // Default, check and description of each: LAB_NAMESPACE_SETTINGS below.
    /** The namespace's name. */
    namespaceName?: pulumi.Input<string>;
    /** The Pod Security Standard the API server enforces here. */
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

/** A namespace name the lab may create and later delete: a DNS label, and none of the cluster's own. */
export function ownedNamespaceName(field: string, value: unknown, example: string): string {
    const name = dnsLabel(field, value, example);
    if (SYSTEM_NAMESPACES.includes(name)) {
        throw new InvalidValueError(
            field,
            name,
            `a namespace the lab may own, not one of ${SYSTEM_NAMESPACES.join(", ")}`,
            example,
        );
    }
    return name;
}

/** The namespace's settings, each defined once (see settings.ts). */
export const LAB_NAMESPACE_SETTINGS = {
    namespaceName: setting({
        type: "string",
        defaultText: "the component's name",
        example: "init-sidecar-lab",
        description: "Name of the namespace the lab creates (and deletes on destroy).",
        check: ownedNamespaceName,
    }),
    podSecurity: setting({
        type: "string",
        default: "restricted" as PodSecurityLevel,
        example: "restricted",
        description: "The Pod Security Standard the API server enforces in the namespace.",
        check: (field, value, example) => oneOf(field, value, POD_SECURITY_LEVELS, example),
    }),
};

export function resolveLabNamespace(
    componentName: string,
    args: pulumi.Unwrap<LabNamespaceArgs>,
): { name: string; labels: Record<string, string> } {
    const s = LAB_NAMESPACE_SETTINGS;
    const name = resolveSetting(s.namespaceName, "namespaceName", args.namespaceName, componentName);
    const level = resolveSetting(s.podSecurity, "podSecurity", args.podSecurity);
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
        const checked = checkArgs(`LabNamespace "${name}"`, args, (plain) => resolveLabNamespace(name, plain));
        super("initsidecarlab:pods:LabNamespace", name, {}, opts);
        const resolved = checked.output(this);
        this.namespace = new k8s.core.v1.Namespace(
            name,
            { metadata: { name: resolved.name, labels: resolved.labels } },
            { parent: this },
        );
        // The name as configured, carrying the Namespace: Pods wait for it, a preview still shows it.
        this.namespaceName = dependingOn(resolved.name, this.namespace);
        this.registerOutputs({ namespaceName: this.namespaceName });
    }
}
