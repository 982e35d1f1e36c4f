import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { podCommands } from "./kubectlCommands";
import { DEFAULT_IMAGE, PodSpec, demoPodLabels } from "./podDefaults";
import { checkArgs, explainInvalid } from "./inputs";
import { resolveSetting, setting } from "./settings";
import { booleanValue, dnsLabel, dnsSubdomain, imageReference, integerInRange, plainToken } from "./validation";

/**
 * What both demo components share: the arguments every demo Pod takes,
 * their validation, and the wiring of one Pod plus its kubectl commands.
 */
export interface DemoPodArgs {
    // Default, check and description of every argument: DEMO_POD_SETTINGS below.
    /** Namespace the Pod lives in; it must exist. */
    namespace?: pulumi.Input<string>;
    /** Kubernetes name of the Pod. Default: the component's name. */
    podName?: pulumi.Input<string>;
    /** Image of every container. */
    image?: pulumi.Input<string>;
    /** Whether `pulumi up` waits for the Pod to be Ready; `false` lets a learner watch `Init:0/1`. */
    waitForReady?: pulumi.Input<boolean>;
    /** How long `pulumi up` waits for Ready, in seconds. A plain number: it becomes a resource option. */
    readyTimeoutSeconds?: number;
    /** Kube context the exported commands name (`--context`). */
    kubeContext?: pulumi.Input<string>;
    /** Kubeconfig file the exported commands name (`--kubeconfig`). */
    kubeconfigPath?: pulumi.Input<string>;
}

/** A check that lets "not set" through: the setting has no default and means "leave it out". */
const optional =
    <T>(check: (field: string, value: unknown, example: string) => T) =>
    (field: string, value: unknown, example: string): T | undefined =>
        value === undefined ? undefined : check(field, value, example);

/** The settings both demo Pods take, each defined once (see settings.ts). */
export const DEMO_POD_SETTINGS = {
    namespace: setting({
        type: "string",
        default: "default",
        example: "init-sidecar-lab",
        description: "Namespace the Pod lives in; it must exist.",
        check: dnsLabel,
    }),
    podName: setting({
        type: "string",
        defaultText: "the component's name",
        example: "demo-pod",
        description: "Kubernetes name of the Pod.",
        check: dnsSubdomain,
    }),
    image: setting({
        type: "string",
        default: DEFAULT_IMAGE,
        example: DEFAULT_IMAGE,
        description: "Image of every container (`busybox:latest` is the guide verbatim).",
        check: imageReference,
    }),
    waitForReady: setting({
        type: "boolean",
        default: true,
        example: "false",
        description:
            "`pulumi up` waits for the Pods to be Ready. `false`: it returns at once, so you can watch `Init:0/1` live.",
        check: booleanValue,
    }),
    readyTimeoutSeconds: setting({
        type: "integer",
        default: 180,
        example: "300",
        description: "How long `pulumi up` waits for a Pod to be Ready, in seconds (10-3600).",
        check: (field, value, example) => integerInRange(field, value, 10, 3600, example),
    }),
    kubeContext: setting({
        type: "string",
        defaultText: "kubectl's current context",
        example: "kind-lab-dev",
        description: "Kube context the exported kubectl commands name.",
        check: optional(plainToken),
    }),
    kubeconfigPath: setting({
        type: "string",
        defaultText: "`$KUBECONFIG` or `~/.kube/config`",
        example: "~/.kube/config",
        description: "Kubeconfig file the exported kubectl commands name.",
        check: optional(plainToken),
    }),
};

/** What shapes the Pod itself; the namespace and the kubectl target are resolved on their own. */
export interface DemoPodSettings {
    podName: string;
    image: string;
    waitForReady: boolean;
}

/** Fills in defaults and validates the Pod-shaping arguments both demo Pods share. */
export function resolveDemoPodSettings(componentName: string, args: pulumi.Unwrap<DemoPodArgs>): DemoPodSettings {
    const s = DEMO_POD_SETTINGS;
    return {
        podName: resolveSetting(s.podName, "podName", args.podName, componentName),
        image: resolveSetting(s.image, "image", args.image),
        waitForReady: resolveSetting(s.waitForReady, "waitForReady", args.waitForReady),
    };
}

export function resolveNamespace(args: { namespace?: string }): string {
    return resolveSetting(DEMO_POD_SETTINGS.namespace, "namespace", args.namespace);
}

/** Where the exported kubectl commands point. */
export function resolveCommandTarget(args: { kubeContext?: string; kubeconfigPath?: string }): {
    context?: string;
    kubeconfigPath?: string;
} {
    return {
        context: resolveSetting(DEMO_POD_SETTINGS.kubeContext, "kubeContext", args.kubeContext),
        kubeconfigPath: resolveSetting(DEMO_POD_SETTINGS.kubeconfigPath, "kubeconfigPath", args.kubeconfigPath),
    };
}

/** Validates the wait timeout, which must be known when the Pod is registered. */
export function readyTimeoutSeconds(value: number | undefined): number {
    return resolveSetting(DEMO_POD_SETTINGS.readyTimeoutSeconds, "readyTimeoutSeconds", value);
}

/** A Pod rendered by one of the demo components, ready to deploy. */
export interface RenderedDemoPod {
    settings: DemoPodSettings;
    spec: PodSpec;
    /** Every container, init containers first, in the order `kubectl describe` lists them. */
    containers: string[];
    /** Containers whose logs stream for the Pod's whole life; their log commands follow (`-f`). */
    followed: string[];
}

/** The Pod's name and namespace, labels that say which component made it, and the await switch. */
export function demoPodMetadata(
    settings: DemoPodSettings,
    namespace: string,
    component: string,
): k8s.types.input.meta.v1.ObjectMeta {
    return {
        name: settings.podName,
        namespace,
        labels: demoPodLabels(component),
        // The Kubernetes provider waits for Ready unless told otherwise.
        ...(settings.waitForReady ? {} : { annotations: { "pulumi.com/skipAwait": "true" } }),
    };
}

/**
 * The component both demo Pods are: validated arguments, one Pod, and the
 * kubectl commands that show what happens inside it. Subclasses only say how
 * their arguments render into a Pod.
 */
export abstract class DemoPodComponent<A extends DemoPodArgs> extends pulumi.ComponentResource {
    /** The Pod itself. */
    public readonly pod: k8s.core.v1.Pod;
    /** The Pod's name, as the API server has it. */
    public readonly podName: pulumi.Output<string>;
    public readonly namespace: pulumi.Output<string>;
    /** `kubectl logs` for every container, keyed by container name; streaming containers follow (`-f`). */
    public readonly logCommands: pulumi.Output<Record<string, string>>;
    /** `kubectl get pod <pod> -w`: the Pod's phases as they change. */
    public readonly watchCommand: pulumi.Output<string>;
    /** `kubectl describe pod <pod>`: events and each container's state. */
    public readonly describeCommand: pulumi.Output<string>;

    protected constructor(
        type: string,
        name: string,
        component: string,
        args: A,
        render: (plain: pulumi.Unwrap<A>) => RenderedDemoPod,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        const label = `${type.split(":")[2]} "${name}"`;
        // Every argument is checked before the component registers: a bad one leaves nothing behind.
        const timeout = explainInvalid(undefined, label, () => readyTimeoutSeconds(args.readyTimeoutSeconds));
        // Resolved apart, so an unknown context or namespace (a preview before the cluster
        // exists) never hides the Pod spec from the preview diff.
        const { namespace, kubeContext, kubeconfigPath, ...podArgs } = args;
        const checkedPod = checkArgs(label, podArgs, (plain) => render(plain as pulumi.Unwrap<A>));
        const checkedNs = checkArgs(label, { namespace }, resolveNamespace);
        const checkedTarget = checkArgs(label, { kubeContext, kubeconfigPath }, resolveCommandTarget);
        super(type, name, {}, opts);
        const rendered = checkedPod.output(this);
        const ns = checkedNs.output(this);
        const target = checkedTarget.output(this);
        const seconds = `${timeout}s`;
        // The spec depends on nothing but the rendered Pod, so a preview shows it in full even
        // while the cluster, its context and the namespace are still to be created.
        this.pod = new k8s.core.v1.Pod(
            name,
            {
                metadata: pulumi.all([rendered, ns]).apply(([r, n]) => demoPodMetadata(r.settings, n, component)),
                spec: rendered.apply((r) => r.spec),
            },
            {
                parent: this,
                customTimeouts: { create: seconds, update: seconds },
                // Almost every Pod spec field is immutable, so a change replaces the Pod, and its fixed
                // name means the old one must go first (seen on a real API server: create-before-delete
                // fails with "pod updates may not change fields").
                deleteBeforeReplace: true,
            },
        );
        // From the live object, so the commands exist once the Pod does.
        this.podName = this.pod.metadata.name;
        this.namespace = this.pod.metadata.namespace;
        const commands = pulumi
            .all([this.podName, this.namespace, rendered, target])
            .apply(([podName, liveNamespace, r, t]) =>
                podCommands({ ...t, namespace: liveNamespace }, podName, r.containers, r.followed),
            );
        this.logCommands = commands.logs;
        this.watchCommand = commands.watch;
        this.describeCommand = commands.describe;
        this.registerOutputs({
            podName: this.podName,
            namespace: this.namespace,
            logCommands: this.logCommands,
            watchCommand: this.watchCommand,
            describeCommand: this.describeCommand,
        });
    }
}
