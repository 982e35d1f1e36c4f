import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    adminKubeconfigPath,
    clusterEndpoint,
    expandHome,
    kubeconfigContexts,
    kubeconfigFileProblem,
    kubeconfigFiles,
    loadClusterEndpoint,
} from "../host/kubeconfig";

const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nadmin CA\n-----END CERTIFICATE-----\n").toString("base64");

/** The admin kubeconfig of a shared cluster with two contexts, as kubectl writes one. */
const ADMIN_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: east
  cluster:
    server: https://east.example:6443
    certificate-authority-data: ${CA.slice(0, 20)}
      ${CA.slice(20)}
- name: west
  cluster:
    server: https://west.example:443
    certificate-authority: pki/west-ca.crt
- name: broken
  cluster:
    insecure-skip-tls-verify: true
contexts:
- name: admin@east
  context: { cluster: east, user: admin }
- name: admin@west
  context: { cluster: west, user: admin }
- name: admin@gone
  context: { cluster: nowhere, user: admin }
- name: admin@broken
  context: { cluster: broken, user: admin }
current-context: admin@east
users:
- name: admin
  user: { token: admin-token }
`;

describe("host kubeconfig files", () => {
    describe("clusterEndpoint", () => {
        it("reads the current context's server and CA data, joining a folded base64 value", () => {
            assert.deepStrictEqual(clusterEndpoint(ADMIN_KUBECONFIG), {
                context: "admin@east",
                cluster: "east",
                server: "https://east.example:6443",
                caData: CA,
            });
        });

        it("reads a named context, returning a CA file path as written", () => {
            assert.deepStrictEqual(clusterEndpoint(ADMIN_KUBECONFIG, "admin@west"), {
                context: "admin@west",
                cluster: "west",
                server: "https://west.example:443",
                caFile: "pki/west-ca.crt",
            });
        });

        it("names the context in every error", () => {
            assert.throws(
                () => clusterEndpoint(ADMIN_KUBECONFIG, "prod"),
                /context "prod" is not in the kubeconfig \(its contexts: "admin@east", "admin@west"/,
            );
            assert.throws(
                () => clusterEndpoint(ADMIN_KUBECONFIG, "admin@gone"),
                /context "admin@gone" names cluster "nowhere", which the kubeconfig does not define/,
            );
            assert.throws(
                () => clusterEndpoint(ADMIN_KUBECONFIG, "admin@broken"),
                /cluster "broken" of context "admin@broken" has no server/,
            );
            const noCurrent = ADMIN_KUBECONFIG.replace("current-context: admin@east\n", "");
            assert.throws(() => clusterEndpoint(noCurrent), /sets no current-context; name one of its contexts/);
            assert.throws(() => clusterEndpoint("clusters: [\n"), /not valid YAML/);
            assert.throws(() => clusterEndpoint("- a\n- b\n"), /not a YAML mapping/);
        });

        it("loadClusterEndpoint reads a CA file relative to the kubeconfig, base64-encoding it", () => {
            const files: Record<string, string> = {
                "/etc/lab/kubeconfig": ADMIN_KUBECONFIG,
                "/etc/lab/pki/west-ca.crt": "WEST CA PEM",
            };
            const readFile = (file: string) => {
                if (!(file in files)) throw new Error(`ENOENT: ${file}`);
                return Buffer.from(files[file]);
            };
            assert.deepStrictEqual(loadClusterEndpoint("/etc/lab/kubeconfig", "admin@west", readFile), {
                cluster: "west",
                server: "https://west.example:443",
                caData: Buffer.from("WEST CA PEM").toString("base64"),
            });
            assert.deepStrictEqual(loadClusterEndpoint("/etc/lab/kubeconfig", undefined, readFile).caData, CA);
            delete files["/etc/lab/pki/west-ca.crt"];
            assert.throws(
                () => loadClusterEndpoint("/etc/lab/kubeconfig", "admin@west", readFile),
                /cannot read the certificate-authority file \/etc\/lab\/pki\/west-ca.crt of context "admin@west"/,
            );
            assert.throws(
                () => loadClusterEndpoint("/etc/lab/other", undefined, readFile),
                /cannot read the kubeconfig \/etc\/lab\/other: ENOENT/,
            );
            assert.throws(
                () => loadClusterEndpoint("/etc/lab/kubeconfig", "prod", readFile),
                /^Error: \/etc\/lab\/kubeconfig: context "prod" is not in the kubeconfig/,
            );
        });

        it("loadClusterEndpoint reads real files by default", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "student-ns-"));
            try {
                fs.mkdirSync(path.join(dir, "pki"));
                fs.writeFileSync(path.join(dir, "config"), ADMIN_KUBECONFIG);
                fs.writeFileSync(path.join(dir, "pki", "west-ca.crt"), "PEM");
                const endpoint = loadClusterEndpoint(path.join(dir, "config"), "admin@west");
                assert.strictEqual(endpoint.caData, Buffer.from("PEM").toString("base64"));
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    it("adminKubeconfigPath: the configured file, else $KUBECONFIG's first file, else ~/.kube/config", () => {
        assert.strictEqual(adminKubeconfigPath("~/.kube/shared", "/a:/b", "/home/me"), "/home/me/.kube/shared");
        assert.strictEqual(
            adminKubeconfigPath(undefined, `/a/config${path.delimiter}/b/config`, "/home/me"),
            "/a/config",
        );
        assert.strictEqual(adminKubeconfigPath(undefined, `${path.delimiter}/b/config`, "/home/me"), "/b/config");
        assert.strictEqual(adminKubeconfigPath(undefined, "", "/home/me"), "/home/me/.kube/config");
        assert.strictEqual(adminKubeconfigPath(undefined, undefined, "/home/me"), "/home/me/.kube/config");
    });

    it("expandHome resolves ~ in a kubeconfig path, as a shell would", () => {
        assert.strictEqual(expandHome("~/.kube/lab", "/home/me"), "/home/me/.kube/lab");
        assert.strictEqual(expandHome("/etc/kube/config", "/home/me"), "/etc/kube/config");
        assert.strictEqual(expandHome("~other/config", "/home/me"), "~other/config");
    });

    it("kubeconfigFileProblem: none for a file; says why otherwise", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-kubeconfig-"));
        try {
            const file = path.join(dir, "config");
            fs.writeFileSync(file, "apiVersion: v1\n");
            assert.strictEqual(kubeconfigFileProblem(file), undefined);
            assert.strictEqual(kubeconfigFileProblem(path.join(dir, "missing")), "it does not exist");
            assert.strictEqual(kubeconfigFileProblem(dir), "it is not a file");
            const denied = (): fs.Stats => {
                throw Object.assign(new Error("denied"), { code: "EACCES" });
            };
            assert.strictEqual(kubeconfigFileProblem(file, denied), "it cannot be read: EACCES");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("kubeconfigFiles: the configured file, else every $KUBECONFIG file, else ~/.kube/config", () => {
        assert.deepStrictEqual(kubeconfigFiles("~/k", "/a:/b", "/home/me"), ["/home/me/k"]);
        assert.deepStrictEqual(kubeconfigFiles(undefined, `/a${path.delimiter}${path.delimiter}/b`, "/h"), [
            "/a",
            "/b",
        ]);
        assert.deepStrictEqual(kubeconfigFiles(undefined, "", "/h"), ["/h/.kube/config"]);
    });

    it("kubeconfigContexts: the contexts of every readable file, or undefined when none is", () => {
        const files: Record<string, string> = {
            "/a": "contexts:\n- name: one\n- name: two\n",
            "/b": "contexts:\n- name: two\n- name: three\n",
            "/list": "- not\n- a mapping\n",
            "/bad": "contexts: [\n",
        };
        const read = (file: string) => {
            if (!(file in files)) throw new Error(`ENOENT ${file}`);
            return files[file];
        };
        assert.deepStrictEqual(kubeconfigContexts(["/a", "/missing", "/b"], read), ["one", "two", "three"]);
        assert.deepStrictEqual(kubeconfigContexts(["/a"], read), ["one", "two"]);
        assert.strictEqual(kubeconfigContexts(["/missing", "/list", "/bad"], read), undefined);
        assert.deepStrictEqual(
            kubeconfigContexts(["/x"], () => "apiVersion: v1\n"),
            [],
        );
    });
});
