import { stringify as stringifyYaml } from "yaml";

/** Renders the kubeconfig a student gets: pure, from the cluster's endpoint and the student's token. */

export interface StudentKubeconfigArgs {
    /** The cluster's name inside the kubeconfig. */
    clusterName: string;
    /** The API server's URL. */
    server: string;
    /** Base64 PEM of the cluster CA; omitted: kubectl trusts the system's CAs. */
    caData?: string;
    /** The ServiceAccount's bearer token, as it is (not base64). */
    token: string;
    /** The context's default namespace: the student's. */
    namespace: string;
    /** The user's name inside the kubeconfig. */
    user: string;
}

/** A kubeconfig with one cluster, one token user and one current context whose default namespace is the student's. */
export function studentKubeconfig(args: StudentKubeconfigArgs): string {
    for (const key of ["clusterName", "server", "token", "namespace", "user"] as const) {
        if (typeof args[key] !== "string" || args[key].trim() === "") {
            throw new Error(`studentKubeconfig: ${key} must be a non-empty string; got ${JSON.stringify(args[key])}`);
        }
    }
    const contextName = `${args.user}@${args.clusterName}`;
    return stringifyYaml({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
            {
                name: args.clusterName,
                cluster: {
                    server: args.server,
                    ...(args.caData ? { "certificate-authority-data": args.caData } : {}),
                },
            },
        ],
        users: [{ name: args.user, user: { token: args.token } }],
        contexts: [
            {
                name: contextName,
                context: { cluster: args.clusterName, user: args.user, namespace: args.namespace },
            },
        ],
        "current-context": contextName,
    });
}

/** The token controller's base64 `data.token`, decoded; an Error naming the Secret when it is missing. */
export function tokenFromSecretData(data: Record<string, string> | undefined, secret: string): string {
    const encoded = data?.token;
    if (typeof encoded !== "string" || encoded === "") {
        throw new Error(
            `the ServiceAccount token Secret ${secret} has no data.token: the cluster's token controller did not fill it`,
        );
    }
    return Buffer.from(encoded, "base64").toString("utf8");
}
