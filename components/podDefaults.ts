import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";

/**
 * Settings both demo Pods share: the pinned image, the Pod Security Standards
 * "restricted" fields, and small resource requests and limits.
 */

/** Plain (Input-free) Kubernetes shapes: what the pure builders return, easy to inspect in tests. */
export type PodSpec = pulumi.Unwrap<k8s.types.input.core.v1.PodSpec>;
export type Container = pulumi.Unwrap<k8s.types.input.core.v1.Container>;
type PodSecurityContext = pulumi.Unwrap<k8s.types.input.core.v1.PodSecurityContext>;
type SecurityContext = pulumi.Unwrap<k8s.types.input.core.v1.SecurityContext>;
type ResourceRequirements = pulumi.Unwrap<k8s.types.input.core.v1.ResourceRequirements>;

/** Pinned so a lab behaves the same every time; `busybox:latest` reproduces the guide verbatim. */
export const DEFAULT_IMAGE = "busybox:1.37.0";

/** busybox's `nobody`: any non-zero UID satisfies `runAsNonRoot`, this one exists in the image. */
export const LAB_USER_ID = 65534;

/**
 * busybox's `sh` runs as PID 1 and ignores SIGTERM, so every delete would wait
 * out the default 30 s grace period. The demo containers hold no state.
 */
export const TERMINATION_GRACE_SECONDS = 2;

/**
 * Every lab container's pull policy, whatever its tag: an image `kind load` put on the node (npm run up
 * does, from the host's Docker) is used as it is and never pulled, so a class needs no registry.
 * Kubernetes would default `:latest` and untagged images to `Always`; the lab's policy pack refuses
 * those moving tags anyway.
 */
export const LAB_IMAGE_PULL_POLICY = "IfNotPresent";

export function restrictedPodSecurityContext(): PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: LAB_USER_ID,
        runAsGroup: LAB_USER_ID,
        fsGroup: LAB_USER_ID,
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Every demo container only writes to stdout or to its emptyDir, so the root filesystem stays read-only. */
export function restrictedContainerSecurityContext(): SecurityContext {
    return {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Small enough for thirty students on one node, large enough for `sh`, `sleep` and `tail`. */
export function demoContainerResources(): ResourceRequirements {
    return {
        requests: { cpu: "10m", memory: "16Mi" },
        limits: { cpu: "100m", memory: "32Mi" },
    };
}

/** The parts every demo container has in common; callers add name, command and mounts. */
export function demoContainer(
    name: string,
    image: string,
    script: string,
): Container & { name: string; command: string[] } {
    return {
        name,
        image,
        imagePullPolicy: LAB_IMAGE_PULL_POLICY,
        command: ["sh", "-c", script],
        securityContext: restrictedContainerSecurityContext(),
        resources: demoContainerResources(),
    };
}

export const LAB_APP_LABEL = "init-sidecar-lab";

export function demoPodLabels(component: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": LAB_APP_LABEL,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/**
 * An app and its sidecar in a Pod: side by side (classic), or the sidecar as an init container that
 * restarts always (native), which Kubernetes starts before the app and keeps running beside it.
 */
export function placeSidecar(
    mode: "classic" | "native",
    app: Container,
    sidecar: Container,
): Pick<PodSpec, "initContainers" | "containers"> {
    return mode === "native"
        ? { initContainers: [{ ...sidecar, restartPolicy: "Always" }], containers: [app] }
        : { containers: [app, sidecar] };
}
