import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { checkArgs } from "./inputs";
import { KindClusterInputs, renderKindConfig } from "./kindCli";
import { DEFAULT_IMAGE } from "./podDefaults";
import { kindClusterProvider } from "./kindProvider";
import { ArgsOf, resolveSettings, setting } from "./settings";
import { executable, imageReference, integerInRange, kindClusterName } from "./validation";

/**
 * The cluster's arguments (defaults and rules: KIND_CLUSTER_SETTINGS), and the images to load into it
 * when it is created (not a setting of its own: the stack derives them, lab/images.ts).
 */
export type KindClusterArgs = ArgsOf<typeof KIND_CLUSTER_SETTINGS> & {
    /**
     * Images `kind load` puts into the new cluster right after creating it, those the host's Docker
     * has (the rest are pulled by the nodes as usual). Only used on create: changing the list later
     * changes nothing (npm run up loads into an existing cluster itself).
     */
    loadImages?: pulumi.Input<pulumi.Input<string>[]>;
};

/**
 * Client-side apply for the lab's providers. A Pod change is a delete-then-create
 * replacement (the name is fixed); with server-side apply the provider's preview
 * dry-runs the replacement's create against the live Pod and fails with "pod updates
 * may not change fields" (seen on a real API server, Kubernetes 1.37), so no config
 * change could ever be applied. Bare Pods gain nothing from field managers here.
 */
export const LAB_SERVER_SIDE_APPLY = false;
export const MAX_WORKER_NODES = 5;

/** The cluster's settings, each defined once (see settings.ts). */
export const KIND_CLUSTER_SETTINGS = {
    clusterName: setting({
        type: "string",
        defaultText: "the component's name",
        example: "lab-dev",
        description: "kind cluster name; its kube context is `kind-<name>`.",
        check: (field, value) => kindClusterName(field, value),
    }),
    nodeImage: setting({
        type: "string",
        default: "",
        defaultText: "kind's default",
        example: "kindest/node:v1.33.1",
        description: "kind node image, e.g. `kindest/node:v1.33.1`.",
        // "" is kind's own default image.
        check: (field, value, example) => (value === "" ? "" : imageReference(field, value, example)),
        holdsImage: "node",
    }),
    workerNodes: setting({
        type: "integer",
        default: 0,
        example: "1",
        description: `kind worker nodes beside the control plane (0-${MAX_WORKER_NODES}).`,
        check: (field, value, example) => integerInRange(field, value, 0, MAX_WORKER_NODES, example),
    }),
    kindPath: setting({
        type: "string",
        default: "kind",
        example: "/usr/local/bin/kind",
        description: "The kind executable: a name on PATH or a path.",
        check: executable,
    }),
};

export function resolveKindClusterInputs(
    componentName: string,
    args: pulumi.Unwrap<KindClusterArgs>,
): KindClusterInputs {
    const { workerNodes, ...settings } = resolveSettings(KIND_CLUSTER_SETTINGS, args, { clusterName: componentName });
    const loadImages = (args.loadImages ?? []).map((image, i) =>
        imageReference(`loadImages[${i}]`, image, DEFAULT_IMAGE),
    );
    return { ...settings, kindConfig: renderKindConfig({ workerNodes }), loadImages };
}

/**
 * The cluster itself, as the dynamic provider manages it. Its outputs are
 * `declare`d: a class field would reset them after the base constructor set them.
 */
class KindClusterResource extends pulumi.dynamic.Resource {
    declare public readonly clusterName: pulumi.Output<string>;
    declare public readonly kubeContext: pulumi.Output<string>;
    declare public readonly kubeconfig: pulumi.Output<string>;

    constructor(name: string, inputs: pulumi.Input<KindClusterInputs>, opts: pulumi.CustomResourceOptions) {
        const props = pulumi.output(inputs);
        super(
            kindClusterProvider,
            name,
            {
                clusterName: props.clusterName,
                nodeImage: props.nodeImage,
                kindConfig: props.kindConfig,
                kindPath: props.kindPath,
                // Read by create alone; diff never looks at it, so a new list replaces nothing.
                loadImages: props.loadImages,
                kubeContext: undefined,
                kubeconfig: undefined,
            },
            { ...opts, additionalSecretOutputs: ["kubeconfig"] },
            "kind",
            "Cluster",
        );
    }
}

/**
 * A local kind cluster and a Kubernetes provider that talks to it.
 *
 * kind writes the cluster's context into the user's kubeconfig as usual (the first
 * existing file of $KUBECONFIG, else ~/.kube/config) and makes it the current context,
 * so the `kubectl --context kind-<name>` commands the lab exports work as pasted.
 * Deleting the cluster removes that context again (and unsets it if it was current).
 * Pass `provider` to every Kubernetes resource that belongs in this cluster.
 */
export class KindCluster extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    /** `kind-<clusterName>`. */
    public readonly kubeContext: pulumi.Output<string>;
    /** The cluster's kubeconfig, a secret: it holds the admin client key. */
    public readonly kubeconfig: pulumi.Output<string>;
    /**
     * Talks to this cluster; `deleteUnreachable` lets `destroy` and `refresh` finish after the cluster
     * vanished. A refresh that reads every resource at once while Docker is stopped would drop the Pods
     * from the state too: scripts/lab.sh refreshes in program order (PULUMI_RUN_PROGRAM), where the
     * cluster's failed read stops the run first.
     */
    public readonly provider: k8s.Provider;

    constructor(name: string, args: KindClusterArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const checked = checkArgs(`KindCluster "${name}"`, args, (plain) => resolveKindClusterInputs(name, plain));
        super("initsidecarlab:kind:KindCluster", name, {}, opts);
        const inputs = checked.output(this);
        const cluster = new KindClusterResource(name, inputs, { parent: this });

        this.clusterName = cluster.clusterName;
        this.kubeContext = cluster.kubeContext;
        this.kubeconfig = pulumi.secret(cluster.kubeconfig);
        this.provider = new k8s.Provider(
            name,
            {
                kubeconfig: this.kubeconfig,
                context: this.kubeContext,
                deleteUnreachable: true,
                enableServerSideApply: LAB_SERVER_SIDE_APPLY,
            },
            { parent: this },
        );
        this.registerOutputs({
            clusterName: this.clusterName,
            kubeContext: this.kubeContext,
            kubeconfig: this.kubeconfig,
        });
    }
}
