import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

/**
 * The lab's CrossGuard policies. Every rule is a plain function from a resource's
 * properties to the violations it finds (an empty list: compliant), so the unit tests
 * call them directly; `labPolicies` wraps them for the policy pack (index.ts).
 *
 * Self-contained on purpose: the policy pack is type-checked by ts-node every time it
 * starts, so it imports neither the lab's components nor @pulumi/kubernetes.
 */

/** The label value of every lab resource; tests/policy.test.ts checks it equals components/podDefaults.ts. */
export const LAB_APP_LABEL = "init-sidecar-lab";
export const APP_NAME_LABEL = "app.kubernetes.io/name";
export const POD_SECURITY_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

/** What a fix looks like in this lab (components/podDefaults.ts has these values). */
const EXAMPLE_TAG = "1.37.0";
const EXAMPLE_RESOURCES =
    'resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } }';

// Loose shapes of the Kubernetes objects the rules read. Properties come from the engine
// as plain JSON, possibly malformed, so every rule reads them defensively.
export interface SecurityContextLike {
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type?: string };
}

export interface ContainerLike {
    name?: string;
    image?: string;
    resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
    securityContext?: SecurityContextLike;
}

export interface PodSpecLike {
    securityContext?: SecurityContextLike;
    containers?: ContainerLike[];
    initContainers?: ContainerLike[];
    ephemeralContainers?: ContainerLike[];
}

export interface MetadataLike {
    name?: string;
    namespace?: string;
    labels?: Record<string, unknown>;
}

/** How a message names the object: `Deployment "web"`, `Pod "lab-dev/init-test"`. */
export function describeObject(type: string, metadata: MetadataLike | undefined, resourceName: string): string {
    const kind = type.slice(type.lastIndexOf(":") + 1);
    const name = typeof metadata?.name === "string" && metadata.name !== "" ? metadata.name : resourceName;
    const namespace = typeof metadata?.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : "";
    return `${kind} "${namespace ? `${namespace}/` : ""}${name}"`;
}

/** Every container of a Pod spec, init and ephemeral ones too, named as a message names them. */
export function containersOf(spec: PodSpecLike): { label: string; container: ContainerLike }[] {
    const groups: [string, ContainerLike[] | undefined][] = [
        ["init container", spec.initContainers],
        ["container", spec.containers],
        ["ephemeral container", spec.ephemeralContainers],
    ];
    return groups.flatMap(([kind, list]) =>
        (Array.isArray(list) ? list : []).map((container, i) => ({
            label: `${kind} "${typeof container?.name === "string" ? container.name : `#${i}`}"`,
            container: container ?? {},
        })),
    );
}

/** Where each workload type keeps its Pod template's spec. */
const POD_SPEC_PATHS: Record<string, string[]> = {
    "kubernetes:core/v1:Pod": ["spec"],
    "kubernetes:core/v1:PodTemplate": ["template", "spec"],
    "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** The Pod spec a resource runs, or undefined when the type runs no Pods (or has no spec yet). */
export function podSpecOf(type: string, props: Record<string, unknown>): PodSpecLike | undefined {
    const path = POD_SPEC_PATHS[type];
    if (path === undefined) return undefined;
    let value: unknown = props;
    for (const key of path) {
        if (typeof value !== "object" || value === null) return undefined;
        value = (value as Record<string, unknown>)[key];
    }
    return typeof value === "object" && value !== null ? (value as PodSpecLike) : undefined;
}

// --- 1. pinned images --------------------------------------------------------------------------

const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** Why an image reference moves under the lab's feet, or undefined when it is pinned. */
export function unpinnedImageReason(image: unknown): string | undefined {
    if (typeof image !== "string" || image.trim() === "") return "has no image";
    if (DIGEST.test(image)) return undefined;
    if (image.includes("@")) return `uses image "${image}", whose digest is not a sha256 digest`;
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.indexOf(":");
    if (colon < 0) return `uses image "${image}" with no tag, which means :latest`;
    if (lastSegment.slice(colon + 1) === "latest") return `uses image "${image}", a moving tag`;
    return undefined;
}

function imageRepository(image: unknown): string {
    if (typeof image !== "string" || image.trim() === "") return "busybox";
    const withoutDigest = image.split("@")[0];
    const slash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.indexOf(":", slash + 1);
    return colon < 0 ? withoutDigest : withoutDigest.slice(0, colon);
}

/** Policy 1: no `:latest` and no untagged images; a digest (`@sha256:`) is fine. */
export function checkPinnedImages(subject: string, spec: PodSpecLike): string[] {
    return containersOf(spec).flatMap(({ label, container }) => {
        const reason = unpinnedImageReason(container.image);
        if (reason === undefined) return [];
        const repo = imageRepository(container.image);
        return [
            `${subject}: ${label} ${reason}. Pin a version or a digest, e.g. image: "${repo}:${EXAMPLE_TAG}" ` +
                `or "${repo}@sha256:<digest>" (the lab's Pods: pulumi config set init-sidecar-lab:image busybox:${EXAMPLE_TAG}).`,
        ];
    });
}

// --- 2. requests and limits --------------------------------------------------------------------

const RESOURCE_FIELDS = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] as const;

function hasQuantity(group: Record<string, unknown> | undefined, key: string): boolean {
    const value = group?.[key];
    return (typeof value === "string" && value.trim() !== "") || typeof value === "number";
}

/** Policy 2: every container has cpu and memory requests and limits. */
export function checkResourceBounds(subject: string, spec: PodSpecLike): string[] {
    return containersOf(spec).flatMap(({ label, container }) => {
        const missing = RESOURCE_FIELDS.filter((field) => {
            const [group, key] = field.split(".") as ["requests" | "limits", string];
            return !hasQuantity(container.resources?.[group], key);
        });
        if (missing.length === 0) return [];
        return [
            `${subject}: ${label} has no ${missing.map((m) => `resources.${m}`).join(", ")}. ` +
                `Set all four, e.g. ${EXAMPLE_RESOURCES}.`,
        ];
    });
}

// --- 3. Pod Security "restricted" -------------------------------------------------------------

const ALLOWED_SECCOMP = ["RuntimeDefault", "Localhost"];

/**
 * Policy 3: the fields the Pod Security Standards "restricted" profile requires of every
 * container. A container's own setting wins over the Pod's, as on the API server.
 */
export function checkRestrictedSecurity(subject: string, spec: PodSpecLike): string[] {
    const pod = spec.securityContext ?? {};
    return containersOf(spec).flatMap(({ label, container }) => {
        const own = container.securityContext ?? {};
        const problems: string[] = [];
        if (own.allowPrivilegeEscalation !== false) {
            problems.push("securityContext.allowPrivilegeEscalation: false");
        }
        const drop = own.capabilities?.drop;
        if (!Array.isArray(drop) || !drop.includes("ALL")) problems.push('securityContext.capabilities.drop: ["ALL"]');
        if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true) {
            problems.push("runAsNonRoot: true (container or Pod securityContext)");
        }
        if ((own.runAsUser ?? pod.runAsUser) === 0) problems.push("a runAsUser other than 0");
        const seccomp = own.seccompProfile?.type ?? pod.seccompProfile?.type;
        if (typeof seccomp !== "string" || !ALLOWED_SECCOMP.includes(seccomp)) {
            problems.push('seccompProfile.type "RuntimeDefault" or "Localhost" (container or Pod securityContext)');
        }
        if (problems.length === 0) return [];
        return [
            `${subject}: ${label} does not meet Pod Security "restricted"; it needs ${problems.join(", ")}. ` +
                'E.g. securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, ' +
                'runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }.',
        ];
    });
}

// --- 4. namespaces enforce "restricted" --------------------------------------------------------

/** Policy 4: a Namespace the program creates makes the API server enforce Pod Security "restricted". */
export function checkNamespaceEnforcesRestricted(subject: string, metadata: MetadataLike | undefined): string[] {
    const level = metadata?.labels?.[POD_SECURITY_ENFORCE_LABEL];
    if (level === "restricted") return [];
    const got = level === undefined ? "has no such label" : `has "${String(level)}"`;
    return [
        `${subject} must carry the label ${POD_SECURITY_ENFORCE_LABEL}: restricted (it ${got}), so the API server ` +
            `rejects Pods that are not hardened. E.g. metadata: { labels: { "${POD_SECURITY_ENFORCE_LABEL}": "restricted" } }, ` +
            'or LabNamespace with podSecurity: "restricted" (its default).',
    ];
}

// --- 5. bare Pods only for the lab -------------------------------------------------------------

/**
 * Policy 5: a bare Pod (no Deployment, Job or other controller) is not re-created when its
 * node goes away and is not rolled out on change, so it is normally a mistake. This lab
 * creates bare Pods on purpose: `init-test` and `sidecar-test` are the guide's Pods, meant
 * to be watched through one run of their init and sidecar containers. They say so with the
 * label app.kubernetes.io/name: init-sidecar-lab; any other bare Pod is reported.
 */
export function checkBarePodIsDeliberate(subject: string, metadata: MetadataLike | undefined): string[] {
    const app = metadata?.labels?.[APP_NAME_LABEL];
    if (app === LAB_APP_LABEL) return [];
    return [
        `${subject} is a bare Pod: nothing re-creates it if its node fails. Run it from a Deployment or a Job, ` +
            `or, if it is one of this lab's demo Pods, label it ${APP_NAME_LABEL}: ${LAB_APP_LABEL} ` +
            `(it has ${app === undefined ? "no such label" : `"${String(app)}"`}).`,
    ];
}

// --- the policies ------------------------------------------------------------------------------

function metadataOf(props: Record<string, unknown>): MetadataLike | undefined {
    const metadata = props.metadata;
    return typeof metadata === "object" && metadata !== null ? (metadata as MetadataLike) : undefined;
}

/** A mandatory policy that reports every message `violations` finds in a resource. */
function mandatoryPolicy(
    name: string,
    description: string,
    violations: (args: ResourceValidationArgs) => string[],
): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: "mandatory",
        validateResource: (args: ResourceValidationArgs, reportViolation) => {
            for (const message of violations(args)) reportViolation(message);
        },
    };
}

/** A policy that checks the Pod spec of every resource that runs Pods. */
function podSpecPolicy(
    name: string,
    description: string,
    check: (subject: string, spec: PodSpecLike) => string[],
): ResourceValidationPolicy {
    return mandatoryPolicy(name, description, (args) => {
        const spec = podSpecOf(args.type, args.props);
        return spec === undefined ? [] : check(describeObject(args.type, metadataOf(args.props), args.name), spec);
    });
}

/** A policy that checks the metadata of every resource of one type. */
function typePolicy(
    name: string,
    description: string,
    type: string,
    check: (subject: string, metadata: MetadataLike | undefined) => string[],
): ResourceValidationPolicy {
    return mandatoryPolicy(name, description, (args) => {
        if (args.type !== type) return [];
        const metadata = metadataOf(args.props);
        return check(describeObject(args.type, metadata, args.name), metadata);
    });
}

export const labPolicies: ResourceValidationPolicy[] = [
    podSpecPolicy(
        "pinned-container-images",
        "Every container and init container runs a pinned image: a version tag or a sha256 digest, never :latest or no tag.",
        checkPinnedImages,
    ),
    podSpecPolicy(
        "container-resource-bounds",
        "Every container and init container requests and limits both cpu and memory.",
        checkResourceBounds,
    ),
    podSpecPolicy(
        "pod-security-restricted",
        'Every container meets Pod Security "restricted": no privilege escalation, all capabilities dropped, ' +
            "non-root, RuntimeDefault or Localhost seccomp.",
        checkRestrictedSecurity,
    ),
    typePolicy(
        "namespace-enforces-restricted",
        'Every Namespace the program creates carries pod-security.kubernetes.io/enforce: "restricted".',
        "kubernetes:core/v1:Namespace",
        checkNamespaceEnforcesRestricted,
    ),
    typePolicy(
        "bare-pods-only-for-the-lab",
        `Bare Pods are allowed only as the lab's demo Pods, labelled ${APP_NAME_LABEL}: ${LAB_APP_LABEL}.`,
        "kubernetes:core/v1:Pod",
        checkBarePodIsDeliberate,
    ),
];
