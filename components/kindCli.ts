/**
 * Everything the KindCluster provider says to the `kind` CLI, as pure functions:
 * the argument lists, the generated cluster config, the diff rules and the
 * explanations of failures. Only Node built-ins may be imported here, since
 * the provider (and so this module) is serialized into the Pulumi state.
 */

/**
 * How long `kind create cluster` waits for the control-plane node to be Ready. kind does not
 * fail when this runs out (it warns and exits 0), and it never waits for workers: the provider
 * then waits for POD_ADMISSION_PROBE, and the Pods' own wait for Ready (readyTimeoutSeconds)
 * covers the rest.
 */
export const CONTROL_PLANE_WAIT = "120s";

/** Starts every node container of a kind cluster (after Docker or the machine restarted). */
export function startNodesCommand(clusterName: string): string {
    return `docker start $(docker ps -aq --filter label=io.x-k8s.kind.cluster=${clusterName})`;
}

export function kubeContextName(clusterName: string): string {
    return `kind-${clusterName}`;
}

export function createClusterArgs(clusterName: string, configPath: string, nodeImage?: string): string[] {
    const args = ["create", "cluster", "--name", clusterName, "--config", configPath];
    if (nodeImage) args.push("--image", nodeImage);
    args.push("--wait", CONTROL_PLANE_WAIT);
    return args;
}

export function getClustersArgs(): string[] {
    return ["get", "clusters"];
}

export function getKubeconfigArgs(clusterName: string): string[] {
    return ["get", "kubeconfig", "--name", clusterName];
}

/** `kind load docker-image A B ... --name C`: one run for every image, so Docker saves them once. */
export function loadImagesArgs(clusterName: string, images: readonly string[]): string[] {
    return ["load", "docker-image", ...images, "--name", clusterName];
}

/** Exit 0 when the host's Docker has the image (kind load takes only those); the ID on stdout. */
export function dockerImageInspectArgs(image: string): string[] {
    return ["image", "inspect", "--format", "{{.Id}}", image];
}

/** What loading did, one line for `pulumi up`'s output: loaded, skipped (not in Docker), or failed. */
export function describeImageLoad(
    clusterName: string,
    outcome: { loaded: readonly string[]; missing: readonly string[]; failure?: string },
): string {
    const parts: string[] = [];
    if (outcome.loaded.length > 0) {
        parts.push(
            outcome.failure === undefined
                ? `loaded ${outcome.loaded.join(", ")} from the host's Docker`
                : `could not load ${outcome.loaded.join(", ")} (${outcome.failure}); its nodes pull them`,
        );
    }
    if (outcome.missing.length > 0) {
        parts.push(
            `skipped ${outcome.missing.join(", ")}: not in the host's Docker, so its nodes pull ` +
                `${outcome.missing.length === 1 ? "it" : "them"} (npm run classroom -- images pull fetches them once)`,
        );
    }
    return `kind cluster "${clusterName}": ${parts.join("; ") || "no images to load"}.`;
}

/**
 * Idempotent, like `rm -f`: exit 0 when no such cluster exists. Either way kind removes the
 * `kind-<name>` context, cluster and user from every file of $KUBECONFIG (or ~/.kube/config).
 */
export function deleteClusterArgs(clusterName: string): string[] {
    return ["delete", "cluster", "--name", clusterName];
}

/**
 * `kind get clusters` prints one name per line on stdout, stopped clusters included (it lists
 * the containers labelled io.x-k8s.kind.cluster); "No kind clusters found." goes to stderr.
 */
export function parseClusterList(stdout: string): string[] {
    return stdout
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== "");
}

export interface KindConfigOptions {
    /** Worker nodes beside the control plane. Default: 0, the control plane runs the Pods. */
    workerNodes?: number;
}

/**
 * The kind cluster config. JSON is valid YAML, so kind reads it as it is and
 * the text is stable, which keeps preview diffs quiet.
 */
export function renderKindConfig(options: KindConfigOptions = {}): string {
    const nodes = [{ role: "control-plane" }];
    for (let i = 0; i < (options.workerNodes ?? 0); i++) nodes.push({ role: "worker" });
    const config = {
        kind: "Cluster",
        apiVersion: "kind.x-k8s.io/v1alpha4",
        // Loopback only: a lab cluster is nobody else's business.
        networking: { apiServerAddress: "127.0.0.1" },
        nodes,
    };
    return JSON.stringify(config, null, 2) + "\n";
}

/** The inputs the provider keeps; every one but `kindPath` shapes the cluster itself. */
export interface KindClusterInputs {
    clusterName: string;
    /** Empty for the node image that kind's own version defaults to. */
    nodeImage: string;
    kindConfig: string;
    /** The `kind` executable: a name looked up on PATH, or a path. */
    kindPath: string;
    /**
     * Images to `kind load` into the cluster once created, those the host's Docker has. Not part of
     * the cluster's identity: {@link diffKindCluster} ignores it, and stacks made before it existed lack it.
     */
    loadImages?: string[];
}

export interface KindClusterOutputs extends KindClusterInputs {
    kubeContext: string;
    kubeconfig: string;
}

/** Changing any of these means a different cluster: kind cannot change them in place. */
export const REPLACE_ON_CHANGE: readonly (keyof KindClusterInputs)[] = ["clusterName", "nodeImage", "kindConfig"];

export interface KindClusterDiff {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace: boolean;
}

export function diffKindCluster(olds: Partial<KindClusterInputs>, news: Partial<KindClusterInputs>): KindClusterDiff {
    const replaces = REPLACE_ON_CHANGE.filter((key) => (olds[key] ?? "") !== (news[key] ?? ""));
    return {
        changes: replaces.length > 0 || (olds.kindPath ?? "") !== (news.kindPath ?? ""),
        replaces: [...replaces],
        // A cluster keeps its name through a replacement, so the old one must go first.
        deleteBeforeReplace: olds.clusterName === news.clusterName,
    };
}

/** How long the provider waits, after kind returns, for the cluster to admit Pods. */
export const POD_ADMISSION_WAIT_SECONDS = 120;

/**
 * The API request that answers 200 once a new cluster admits Pods: kind's `--wait` ends when the
 * control-plane node is Ready, but the controller-manager may not have made any namespace's
 * `default` ServiceAccount yet, and until it does the API server refuses every Pod ("error looking
 * up service account"; seen on real kind when the lab's namespace and Pods came right after).
 */
export const POD_ADMISSION_PROBE = "/api/v1/namespaces/default/serviceaccounts/default";

/** What a client needs from the kubeconfig `kind get kubeconfig` prints: PEM text, not base64. */
export interface KindApiAccess {
    server: string;
    ca: string;
    cert: string;
    key: string;
}

/** Reads kind's kubeconfig (one cluster, one user, inline certificates, as kind writes it). */
export function parseKindKubeconfig(kubeconfig: string): KindApiAccess {
    const field = (name: string) => {
        const match = new RegExp(`^\\s*${name}:\\s*(\\S+)\\s*$`, "m").exec(kubeconfig);
        if (!match) throw new Error(`kind's kubeconfig has no ${name}`);
        return match[1];
    };
    const pem = (name: string) => Buffer.from(field(name), "base64").toString("utf8");
    return {
        server: field("server"),
        ca: pem("certificate-authority-data"),
        cert: pem("client-certificate-data"),
        key: pem("client-key-data"),
    };
}

export interface KindRunFailure {
    /** Node's error code when kind could not be started at all (ENOENT, EACCES). */
    code?: string;
    exitCode?: number | null;
    stderr: string;
}

const DOCKER_DOWN =
    /Cannot connect to the Docker daemon|failed to connect to the docker API|Is the docker daemon running|docker\.sock: connect|error during connect/i;
const DOCKER_MISSING = /exec: "docker": executable file not found|docker: command not found/i;
const DOCKER_DENIED = /permission denied while trying to connect to the Docker daemon/i;
/** kind retries a pull five times, then: failed to pull image "kindest/node:v1.37.0@sha256:...". */
const IMAGE_PULL = /failed to pull image "([^"]+)"/;
/** `kind get kubeconfig` runs `docker exec` in the control-plane container, which needs it running. */
const NODE_STOPPED = /container [0-9a-f]+ is (not running|paused)/i;

/** Turns a failed kind run into a message that says what to install or start, with kind's own words. */
export function explainKindFailure(kindPath: string, args: readonly string[], failure: KindRunFailure): string {
    const command = [kindPath, ...args].join(" ");
    if (failure.code === "ENOENT") {
        return (
            `The kind CLI was not found: "${kindPath}" is not on PATH or does not exist. ` +
            "Install kind v0.20 or newer (https://kind.sigs.k8s.io/docs/user/quick-start/#installation), " +
            "or point the lab at it: pulumi config set init-sidecar-lab:kindPath /usr/local/bin/kind"
        );
    }
    if (failure.code === "EACCES") {
        return `The kind CLI at "${kindPath}" cannot be run (permission denied). Make it executable: chmod +x ${kindPath}`;
    }
    const stderr = failure.stderr.trim();
    const said = stderr ? `\nkind said:\n${stderr}` : "";
    if (DOCKER_DENIED.test(stderr)) {
        return `kind cannot use Docker: this user may not talk to the Docker daemon. Add it to the docker group (sudo usermod -aG docker $USER, then log in again).${said}`;
    }
    if (DOCKER_MISSING.test(stderr)) {
        return `kind needs Docker (or Podman), and no docker CLI was found. Install Docker Desktop or Docker Engine, start it, and run again.${said}`;
    }
    if (DOCKER_DOWN.test(stderr)) {
        return `kind cannot reach Docker: start Docker Desktop, or the engine (sudo systemctl start docker), wait until \`docker info\` answers, and run again.${said}`;
    }
    const pull = IMAGE_PULL.exec(stderr);
    if (pull) {
        const image = pull[1].split("@")[0];
        return (
            `kind could not pull its node image ${image}: Docker could not download it (no network, or no such tag). ` +
            "Check the network and run again, or use a node image Docker already has: " +
            "pulumi config set init-sidecar-lab:nodeImage <image>, or export LAB_KIND_NODE_IMAGE=<image>." +
            said
        );
    }
    const nameAt = args.indexOf("--name");
    if (nameAt >= 0 && NODE_STOPPED.test(stderr)) {
        const name = args[nameAt + 1];
        return (
            `The kind cluster "${name}" exists but its node containers are stopped (Docker or the machine was restarted?). ` +
            `Start them (${startNodesCommand(name)}) and run again, ` +
            "or remove the cluster (npm run down) and bring the lab up afresh." +
            said
        );
    }
    const exit = failure.exitCode === undefined || failure.exitCode === null ? "" : ` (exit code ${failure.exitCode})`;
    return `\`${command}\` failed${exit}.${said}`;
}
