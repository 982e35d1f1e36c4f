// `import x = require()`, not `import * as`: the provider is serialized as a closure, and only a
// plain require() of a built-in is serialized as that module. SWC (which runs the program) wraps
// `import * as` in a copy of the module that cannot be serialized.
import childProcess = require("child_process");
import fs = require("fs");
import https = require("https");
import os = require("os");
import path = require("path");
import type * as pulumi from "@pulumi/pulumi";
import {
    KindApiAccess,
    KindClusterInputs,
    KindClusterOutputs,
    POD_ADMISSION_PROBE,
    POD_ADMISSION_WAIT_SECONDS,
    createClusterArgs,
    deleteClusterArgs,
    describeImageLoad,
    diffKindCluster,
    dockerImageInspectArgs,
    explainKindFailure,
    getClustersArgs,
    getKubeconfigArgs,
    kubeContextName,
    loadImagesArgs,
    parseClusterList,
    parseKindKubeconfig,
    startNodesCommand,
} from "./kindCli";

/**
 * The dynamic provider behind KindCluster: create, read, diff, update and
 * delete a kind cluster by running the `kind` CLI.
 *
 * Pulumi serializes this object, with everything it references, into the
 * state and runs it in a separate process. So it references only Node
 * built-ins and the pure `./kindCli` module (the `pulumi` import is types
 * only), and it is unit-tested in that serialized form too.
 */

interface KindRun {
    stdout: string;
    stderr: string;
}

/** Runs kind and resolves with its output; rejects with an explanation of what to fix. */
function runKind(kindPath: string, args: string[]): Promise<KindRun> {
    return new Promise((resolve, reject) => {
        childProcess.execFile(kindPath, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (!error) {
                resolve({ stdout, stderr });
                return;
            }
            const failure = error as NodeJS.ErrnoException & { code?: string | number };
            const code = typeof failure.code === "string" ? failure.code : undefined;
            const exitCode = typeof failure.code === "number" ? failure.code : null;
            reject(new Error(explainKindFailure(kindPath, args, { code, exitCode, stderr: String(stderr ?? "") })));
        });
    });
}

async function clusterExists(kindPath: string, clusterName: string): Promise<boolean> {
    const { stdout } = await runKind(kindPath, getClustersArgs());
    return parseClusterList(stdout).includes(clusterName);
}

async function describeCluster(inputs: KindClusterInputs): Promise<KindClusterOutputs> {
    const { stdout } = await runKind(inputs.kindPath, getKubeconfigArgs(inputs.clusterName));
    return { ...inputs, kubeContext: kubeContextName(inputs.clusterName), kubeconfig: stdout };
}

/** The HTTP status of a GET on the cluster's API server as its admin; 0 when it does not answer. */
function apiStatus(api: KindApiAccess, path: string): Promise<number> {
    return new Promise((resolve) => {
        const request = https.get(
            api.server + path,
            { ca: api.ca, cert: api.cert, key: api.key, timeout: 5000 },
            (response) => {
                response.resume();
                resolve(response.statusCode ?? 0);
            },
        );
        request.on("timeout", () => request.destroy());
        request.on("error", () => resolve(0));
    });
}

/**
 * Polls POD_ADMISSION_PROBE until the API server answers 200, for up to POD_ADMISSION_WAIT_SECONDS;
 * returns the last status (200, another HTTP status, or 0 for no answer).
 */
async function probeUntilAdmitting(kubeconfig: string): Promise<number> {
    const api = parseKindKubeconfig(kubeconfig);
    const deadline = Date.now() + POD_ADMISSION_WAIT_SECONDS * 1000;
    let status = 0;
    while (Date.now() < deadline) {
        status = await apiStatus(api, POD_ADMISSION_PROBE);
        if (status === 200) return status;
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return status;
}

const statusText = (status: number) => (status === 0 ? "no answer" : `HTTP ${status}`);

/** Waits until the cluster admits Pods (see POD_ADMISSION_PROBE); else throws what `explain` says of the last status. */
async function waitForApi(kubeconfig: string, explain: (status: string) => string): Promise<void> {
    const status = await probeUntilAdmitting(kubeconfig);
    if (status !== 200) throw new Error(explain(`GET ${POD_ADMISSION_PROBE}: ${statusText(status)}`));
}

/** A new cluster: kind's --wait ends before the controller-manager has made the default ServiceAccount. */
const newClusterNotAdmitting = (clusterName: string) => (status: string) =>
    `The kind cluster "${clusterName}" came up, but within ${POD_ADMISSION_WAIT_SECONDS} s its controller-manager ` +
    `did not create the default ServiceAccount that every Pod needs (${status}). The cluster was removed; run again, and if it ` +
    `happens again look at its logs: kind create cluster --name ${clusterName} --retain, then kind export logs --name ${clusterName}.`;

/**
 * An existing cluster. Right after Docker (or the machine) restarts, kind's node is still booting:
 * were the refresh to go on, the Kubernetes provider would find the cluster unreachable and drop the
 * namespace and Pods from the state (deleteUnreachable).
 */
const existingClusterNotAnswering = (clusterName: string) => (status: string) =>
    `The kind cluster "${clusterName}" exists, but its API server did not answer within ${POD_ADMISSION_WAIT_SECONDS} s ` +
    `(${status}); the state was left as it is. Are its nodes running? ` +
    `docker ps -a --filter label=io.x-k8s.kind.cluster=${clusterName} shows them; start them (${startNodesCommand(clusterName)}), ` +
    `wait until kubectl --context ${kubeContextName(clusterName)} get nodes answers, and run again.`;

/** Whether the host's Docker has the image; false when it does not, or Docker does not answer. */
function dockerHasImage(image: string): Promise<boolean> {
    return new Promise((resolve) => {
        childProcess.execFile("docker", dockerImageInspectArgs(image), (error) => resolve(!error));
    });
}

/**
 * Loads into the new cluster every image of `images` the host's Docker has (one kind run), so its
 * nodes never pull them, and prints what it did: the engine shows a dynamic provider's output.
 * A failed load does not fail the cluster: its nodes pull the images, as without it.
 */
async function loadImages(kindPath: string, clusterName: string, images: readonly string[]): Promise<void> {
    if (images.length === 0) return;
    const present = await Promise.all(images.map(dockerHasImage));
    const loaded = images.filter((_, i) => present[i]);
    const missing = images.filter((_, i) => !present[i]);
    let failure: string | undefined;
    if (loaded.length > 0) {
        failure = await runKind(kindPath, loadImagesArgs(clusterName, loaded)).then(
            () => undefined,
            (err: Error) => err.message.split("\n")[0],
        );
    }
    console.log(describeImageLoad(clusterName, { loaded, missing, failure }));
}

/** Only the inputs, in case the engine hands back outputs or the serialized provider too. */
function inputsOf(props: KindClusterInputs): KindClusterInputs {
    return {
        clusterName: props.clusterName,
        nodeImage: props.nodeImage ?? "",
        kindConfig: props.kindConfig,
        kindPath: props.kindPath,
    };
}

export const kindClusterProvider: pulumi.dynamic.ResourceProvider = {
    diff: async (_id: string, olds: KindClusterOutputs, news: KindClusterInputs) => diffKindCluster(olds, news),

    create: async (props: KindClusterInputs) => {
        const inputs = inputsOf(props);
        if (await clusterExists(inputs.kindPath, inputs.clusterName)) {
            // Never adopted: this stack's destroy would delete a cluster someone else may be using.
            throw new Error(
                `A kind cluster named "${inputs.clusterName}" already exists, and this stack's state does not hold it ` +
                    "(made by hand, by another stack or project, or left by an interrupted run); it was left untouched. " +
                    `Delete it (kind delete cluster --name ${inputs.clusterName}) or pick another name ` +
                    "(pulumi config set init-sidecar-lab:clusterName <name>).",
            );
        }
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kind-config-"));
        try {
            const configPath = path.join(dir, "kind-config.yaml");
            fs.writeFileSync(configPath, inputs.kindConfig);
            await runKind(inputs.kindPath, createClusterArgs(inputs.clusterName, configPath, inputs.nodeImage));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        try {
            const outs = await describeCluster(inputs);
            await waitForApi(outs.kubeconfig, newClusterNotAdmitting(inputs.clusterName));
            await loadImages(inputs.kindPath, inputs.clusterName, props.loadImages ?? []);
            return { id: inputs.clusterName, outs };
        } catch (err) {
            // Not in the state yet, the cluster would block the next run as "already exists": remove it.
            await runKind(inputs.kindPath, deleteClusterArgs(inputs.clusterName)).catch(() => undefined);
            throw err;
        }
    },

    read: async (id: string, props: KindClusterOutputs) => {
        const inputs = inputsOf(props);
        if (!(await clusterExists(inputs.kindPath, id))) {
            // An empty id tells the engine the cluster is gone, so refresh drops it from the state.
            return { id: "", props: {} };
        }
        const outs = await describeCluster({ ...inputs, clusterName: id });
        await waitForApi(outs.kubeconfig, existingClusterNotAnswering(id));
        return { id, props: outs };
    },

    // Only kindPath changes in place (diff replaces on everything else): the cluster stays as it is.
    update: async (_id: string, olds: KindClusterOutputs, news: KindClusterInputs) => ({
        outs: { ...inputsOf(news), kubeContext: olds.kubeContext, kubeconfig: olds.kubeconfig },
    }),

    // kind's delete succeeds on a cluster already gone, and still removes its kubeconfig context
    // (left behind when the containers were removed with docker rather than kind).
    delete: async (id: string, props: KindClusterOutputs) => {
        await runKind(inputsOf(props).kindPath, deleteClusterArgs(id));
    },
};
