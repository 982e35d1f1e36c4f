import * as assert from "assert";
import { parse } from "yaml";
import { studentKubeconfig, tokenFromSecretData } from "../components/studentKubeconfig";
import { clusterEndpoint } from "../host/kubeconfig";

const SERVER = "https://203.0.113.10:6443";
const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nadmin CA\n-----END CERTIFICATE-----\n").toString("base64");

interface Kubeconfig {
    clusters: { name: string; cluster: { server: string; "certificate-authority-data"?: string } }[];
    users: { name: string; user: { token: string } }[];
    contexts: { name: string; context: { cluster: string; user: string; namespace: string } }[];
    "current-context": string;
}

describe("the student's kubeconfig (pure)", () => {
    it("renders a kubeconfig kubectl reads: one cluster, a token user, a context defaulting to the namespace", () => {
        const text = studentKubeconfig({
            clusterName: "shared",
            server: SERVER,
            caData: CA,
            token: "t0k3n",
            namespace: "lab-alice",
            user: "alice",
        });
        const config = parse(text) as Kubeconfig & { apiVersion: string; kind: string };
        assert.strictEqual(config.apiVersion, "v1");
        assert.strictEqual(config.kind, "Config");
        assert.deepStrictEqual(config.clusters, [
            { name: "shared", cluster: { server: SERVER, "certificate-authority-data": CA } },
        ]);
        assert.deepStrictEqual(config.users, [{ name: "alice", user: { token: "t0k3n" } }]);
        assert.deepStrictEqual(config.contexts, [
            { name: "alice@shared", context: { cluster: "shared", user: "alice", namespace: "lab-alice" } },
        ]);
        assert.strictEqual(config["current-context"], "alice@shared");
        // Round trip through the admin-side reader, as kubectl would resolve it.
        assert.deepStrictEqual(clusterEndpoint(text), {
            context: "alice@shared",
            cluster: "shared",
            server: SERVER,
            caData: CA,
        });
    });

    it("leaves the CA out when there is none and refuses an empty token", () => {
        const args = { clusterName: "c", server: SERVER, token: "t", namespace: "n", user: "u" };
        assert.ok(!studentKubeconfig(args).includes("certificate-authority"));
        assert.throws(() => studentKubeconfig({ ...args, token: "" }), /token must be a non-empty string/);
    });

    it("decodes the token controller's token, naming the Secret when it is missing", () => {
        assert.strictEqual(tokenFromSecretData({ token: Buffer.from("abc").toString("base64") }, "ns/s"), "abc");
        assert.throws(
            () => tokenFromSecretData({}, "lab-alice/alice-token"),
            /lab-alice\/alice-token has no data.token/,
        );
        assert.throws(() => tokenFromSecretData(undefined, "x/y"), /x\/y has no data.token/);
    });
});
