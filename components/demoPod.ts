import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { KubectlTarget, podCommands } from "./kubectlCommands";
import { DEFAULT_IMAGE, PodSpec, demoPodLabels } from "./podDefaults";
import { CheckedArgs, checkArgs, explainInvalid } from "./inputs";
import { ArgsOf, SettingsOf, SettingsTable, resolveSetting, resolveSettings, setting } from "./settings";
import { booleanValue, dnsLabel, dnsSubdomain, imageReference, integerInRange, plainToken } from "./validation";

/**
 * What the demo Pods and the Pod lessons share: the arguments every demo Pod takes
 * (DEMO_POD_SETTINGS), their validation, and the wiring of one Pod plus its kubectl commands.
 */
export type DemoPodArgs = Omit<ArgsOf<typeof DEMO_POD_SETTINGS>, "readyTimeoutSeconds"> & {
    /** A plain number, not an Input: it becomes a resource option (the Pod's customTimeouts). */
    readyTimeoutSeconds?: number;
};

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
        holdsImage: "pod",
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
export type DemoPodSettings = Pick<SettingsOf<typeof DEMO_POD_SETTINGS>, "podName" | "image" | "waitForReady">;

/** Fills in defaults and validates the Pod-shaping arguments both demo Pods share. */
export function resolveDemoPodSettings(componentName: string, args: pulumi.Unwrap<DemoPodArgs>): DemoPodSettings {
    const s = DEMO_POD_SETTINGS;
    return {
        podName: resolveSetting(s.podName, "podName", args.podName, componentName),
        image: resolveSetting(s.image, "image", args.image),
        waitForReady: resolveSetting(s.waitForReady, "waitForReady", args.waitForReady),
    };
}

/**
 * A demo Pod's (or a Pod lesson's) checked settings: those every demo Pod shapes its Pod with, then
 * its own table's, in that order, so the first bad one throws, naming its setting.
 */
export function resolvePodSettings<T extends SettingsTable>(
    table: T,
    componentName: string,
    args: pulumi.Unwrap<DemoPodArgs> & { readonly [K in keyof T]?: unknown },
): DemoPodSettings & SettingsOf<T> {
    return { ...resolveDemoPodSettings(componentName, args), ...resolveSettings(table, args) };
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
export interface RenderedDemoPod<S extends DemoPodSettings = DemoPodSettings> {
    /** The checked settings it was rendered from. */
    settings: S;
    spec: PodSpec;
    /** Every container, init containers first, in the order `kubectl describe` lists them. */
    containers: string[];
    /** Containers whose logs stream for the Pod's whole life; their log commands follow (`-f`). */
    followed: string[];
}

/** What a demo Pod is made of, given its checked settings. */
export interface PodShape<S> {
    spec: (settings: S) => PodSpec;
    /** Every container, init containers first ({@link RenderedDemoPod.containers}). */
    containers: readonly string[] | ((settings: S) => readonly string[]);
    /** Containers whose logs stream for the Pod's whole life. */
    followed: readonly string[];
}

/**
 * A demo Pod's renderer, from its resolver and its shape: what {@link checkDemoPodArgs} renders each
 * component's arguments with (the demo Pods and the Pod lessons, `lessons/<name>/spec.ts`).
 */
export function podRenderer<A, S extends DemoPodSettings>(
    resolve: (componentName: string, args: A) => S,
    shape: PodShape<S>,
): (componentName: string, args: A) => RenderedDemoPod<S> {
    return (componentName, args) => {
        const settings = resolve(componentName, args);
        const containers = typeof shape.containers === "function" ? shape.containers(settings) : shape.containers;
        return { settings, spec: shape.spec(settings), containers: [...containers], followed: [...shape.followed] };
    };
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

/** How errors name a component: `InitDemoPod "init-test"`, from its type token and name. */
export function componentLabel(type: string, name: string): string {
    return `${type.split(":")[2]} "${name}"`;
}

/**
 * A demo Pod's arguments, checked before anything registered: what {@link DemoPodComponent} is
 * built from. `R`: what the arguments render into, a Pod (or, for a lesson of Jobs, its settings).
 */
export interface CheckedDemoPodArgs<R = RenderedDemoPod> {
    /** How long `pulumi up` waits for Ready; a resource option, so always known now. */
    readyTimeoutSeconds: number;
    /** What the arguments render into. */
    pod: CheckedArgs<R>;
    namespace: CheckedArgs<string>;
    /** Where the exported commands point, without the namespace. */
    target: CheckedArgs<{ context?: string; kubeconfigPath?: string }>;
}

/**
 * Checks a demo Pod's arguments: call it BEFORE `super(...)`, so a bad value (named with `label`)
 * throws before the component or any child registers. The namespace and the kubectl target are
 * checked apart, so an unknown context or namespace (a preview before the cluster exists) never
 * hides the Pod spec from the preview diff.
 */
export function checkDemoPodArgs<A extends DemoPodArgs, R = RenderedDemoPod>(
    label: string,
    args: A,
    render: (plain: pulumi.Unwrap<A>) => R,
): CheckedDemoPodArgs<R> {
    const { namespace, kubeContext, kubeconfigPath, ...podArgs } = args;
    return {
        readyTimeoutSeconds: explainInvalid(undefined, label, () => readyTimeoutSeconds(args.readyTimeoutSeconds)),
        pod: checkArgs(label, podArgs, (plain) => render(plain as pulumi.Unwrap<A>)),
        namespace: checkArgs(label, { namespace }, resolveNamespace),
        target: checkArgs(label, { kubeContext, kubeconfigPath }, resolveCommandTarget),
    };
}

/**
 * The component the demo Pods and the Pod lessons are: validated arguments, one Pod, and the
 * kubectl commands that show what happens inside it. Subclasses only say how
 * their arguments render into a Pod ({@link checkDemoPodArgs}).
 */
export abstract class DemoPodComponent<R extends RenderedDemoPod = RenderedDemoPod> extends pulumi.ComponentResource {
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
    /** The checked settings the Pod was built from (the stack's `deployed` output shows them). */
    public readonly settings: pulumi.Output<R["settings"]>;
    /** The Pod as its checked arguments rendered it. */
    protected readonly rendered: pulumi.Output<R>;
    /** Where the exported commands point: the live namespace, the context and kubeconfig. */
    protected readonly commandTarget: pulumi.Output<KubectlTarget>;

    /**
     * `checked`: from {@link checkDemoPodArgs}, called before this constructor, so bad arguments register
     * nothing. `podAliases`: where the Pod was before (a URN carries its parents' types), given this
     * component, so a stack deployed by an older layout keeps its Pod. A subclass ends its constructor
     * with `this.registerOutputs({ ...this.demoPodOutputs(), ... })`.
     */
    protected constructor(
        type: string,
        name: string,
        component: string,
        checked: CheckedDemoPodArgs<R>,
        opts?: pulumi.ComponentResourceOptions,
        podAliases: (component: pulumi.ComponentResource) => pulumi.Input<pulumi.Alias>[] = () => [],
    ) {
        super(type, name, {}, opts);
        const rendered = checked.pod.output(this);
        const ns = checked.namespace.output(this);
        const target = checked.target.output(this);
        const seconds = `${checked.readyTimeoutSeconds}s`;
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
                aliases: podAliases(this),
            },
        );
        // From the live object, so the commands exist once the Pod does.
        this.podName = this.pod.metadata.name;
        this.namespace = this.pod.metadata.namespace;
        this.rendered = rendered;
        this.settings = rendered.apply((r): R["settings"] => r.settings);
        this.commandTarget = pulumi
            .all([target, this.namespace])
            .apply(([t, liveNamespace]): KubectlTarget => ({ ...t, namespace: liveNamespace }));
        const commands = pulumi
            .all([this.podName, this.commandTarget, rendered])
            .apply(([podName, t, r]) => podCommands(t, podName, r.containers, r.followed));
        this.logCommands = commands.logs;
        this.watchCommand = commands.watch;
        this.describeCommand = commands.describe;
    }

    /** The outputs every demo Pod component registers; a subclass adds its own. */
    protected demoPodOutputs(): pulumi.Inputs {
        return {
            podName: this.podName,
            namespace: this.namespace,
            logCommands: this.logCommands,
            watchCommand: this.watchCommand,
            describeCommand: this.describeCommand,
        };
    }
}
