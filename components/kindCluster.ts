import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { resolveArgs } from "./inputs";
import { KindClusterInputs, renderKindConfig } from "./kindCli";
import { kindClusterProvider } from "./kindProvider";
import { InvalidValueError, imageReference, integerInRange, kindClusterName } from "./validation";

export interface KindClusterArgs {
    /** The kind cluster's name; its kube context is `kind-<name>`. Default: the component's name. */
    clusterName?: pulumi.Input<string>;
    /** Node image, e.g. `kindest/node:v1.33.1`. Default: the image kind's own version defaults to. */
    nodeImage?: pulumi.Input<string>;
    /** Worker nodes beside the control plane. Default: 0. */
    workerNodes?: pulumi.Input<number>;
    /** The `kind` executable, a name on PATH or a path. Default: `"kind"`. */
    kindPath?: pulumi.Input<string>;
}

export const DEFAULT_KIND_PATH = "kind";

/**
 * Client-side apply for the lab's providers. A Pod change is a delete-then-create
 * replacement (the name is fixed); with server-side apply the provider's preview
 * dry-runs the replacement's create against the live Pod and fails with "pod updates
 * may not change fields" (seen on a real API server, Kubernetes 1.37), so no config
 * change could ever be applied. Bare Pods gain nothing from field managers here.
 */
export const LAB_SERVER_SIDE_APPLY = false;
export const MAX_WORKER_NODES = 5;

export const checkNodeImage = (field: string, value: unknown): string =>
    imageReference(field, value, "kindest/node:v1.33.1");
export const checkWorkerNodes = (field: string, value: unknown): number =>
    integerInRange(field, value, 0, MAX_WORKER_NODES, 0);

export function resolveKindClusterInputs(
    componentName: string,
    args: pulumi.Unwrap<KindClusterArgs>,
): KindClusterInputs {
    const nodeImage = args.nodeImage ?? "";
    const kindPath = args.kindPath ?? DEFAULT_KIND_PATH;
    if (typeof kindPath !== "string" || kindPath.trim() === "" || /[\n\r\0]/.test(kindPath)) {
        throw new InvalidValueError("kindPath", kindPath, "the kind executable's name or path", "/usr/local/bin/kind");
    }
    return {
        clusterName: kindClusterName("clusterName", args.clusterName ?? componentName),
        nodeImage: nodeImage === "" ? "" : checkNodeImage("nodeImage", nodeImage),
        kindConfig: renderKindConfig({ workerNodes: checkWorkerNodes("workerNodes", args.workerNodes ?? 0) }),
        kindPath,
    };
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
        super("initsidecarlab:kind:KindCluster", name, {}, opts);
        const inputs = resolveArgs(this, `KindCluster "${name}"`, args, (plain) =>
            resolveKindClusterInputs(name, plain),
        );
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
