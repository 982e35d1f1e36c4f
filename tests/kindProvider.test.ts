import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { builtinModules } from "module";
import type * as pulumi from "@pulumi/pulumi";
import { KindCluster } from "../components";
import { KindClusterInputs, KindClusterOutputs, renderKindConfig } from "../components/kindCli";
import { kindClusterProvider } from "../components/kindProvider";
import { FakeKind } from "./fakeKind";
import { findRecorded, promiseOf } from "./mocks";

type Provider = Required<Pick<pulumi.dynamic.ResourceProvider, "create" | "read" | "diff" | "update" | "delete">>;

/**
 * The provider's create/read/diff/update/delete, run for real against a fake
 * `kind`: once as the module, once exactly as Pulumi serializes it into the
 * state and loads it in the dynamic-provider process.
 */
describe("KindCluster provider against a fake kind", () => {
    const fake = new FakeKind();
    let serializedText = "";
    let serialized: Provider;

    before(async () => {
        await fake.startApi();
        // The text the SDK stores in the resource's `__provider` input.
        const cluster = new KindCluster("serialization-probe", { kindPath: fake.kindPath });
        await promiseOf(cluster.clusterName);
        serializedText = findRecorded("pulumi-nodejs:dynamic/kind:Cluster", "serialization-probe").inputs
            .__provider as string;
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kind-provider-")), "provider.js");
        fs.writeFileSync(file, serializedText);
        // Loaded from outside the project, as the dynamic-provider host loads it: only built-ins can resolve.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        serialized = require(file).handler();
    });
    after(() => fake.dispose());

    it("serializes into code that needs only Node built-ins", () => {
        assert.ok(serializedText.length > 0, "the SDK stored a serialized provider");
        const required = [...serializedText.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
        assert.ok(required.includes("child_process"), `expected child_process among ${required.join(", ")}`);
        const foreign = required.filter((m) => !builtinModules.includes(m.replace(/^node:/, "")));
        assert.deepStrictEqual(foreign, []);
    });

    const inputs = (overrides: Partial<KindClusterInputs> = {}): KindClusterInputs => ({
        clusterName: "lab-test",
        nodeImage: "",
        kindConfig: renderKindConfig({ workerNodes: 1 }),
        kindPath: fake.kindPath,
        ...overrides,
    });

    for (const form of ["module", "serialized"] as const) {
        describe(`as the ${form}`, () => {
            let provider: Provider;
            beforeEach(() => {
                provider = form === "module" ? (kindClusterProvider as Provider) : serialized;
                fake.reset();
                fake.activate();
            });

            it("create: checks the name is free, creates with the generated config, returns a kubeconfig", async () => {
                const result = await provider.create(inputs());
                assert.strictEqual(result.id, "lab-test");
                const outs = result.outs as KindClusterOutputs;
                assert.strictEqual(outs.kubeContext, "kind-lab-test");
                assert.match(outs.kubeconfig, /current-context: kind-lab-test/);
                const calls = fake.calls();
                assert.deepStrictEqual(calls[0], ["get", "clusters"]);
                const create = calls[1];
                assert.deepStrictEqual(create.slice(0, 4), ["create", "cluster", "--name", "lab-test"]);
                assert.strictEqual(create[4], "--config");
                assert.deepStrictEqual(create.slice(6), ["--wait", "120s"]);
                assert.strictEqual(fake.lastConfig(), renderKindConfig({ workerNodes: 1 }));
                assert.ok(!fs.existsSync(create[5]), "the temporary kind config is removed afterwards");
                assert.deepStrictEqual(calls[2], ["get", "kubeconfig", "--name", "lab-test"]);
                assert.deepStrictEqual(fake.clusters(), ["lab-test"]);
            });

            it("create: waits until the new cluster admits Pods (its default ServiceAccount exists)", async () => {
                fake.serviceAccountAfter = 3;
                const result = await provider.create(inputs());
                assert.strictEqual(result.id, "lab-test");
                const probes = fake.apiRequests.filter(
                    (u) => u === "/api/v1/namespaces/default/serviceaccounts/default",
                );
                assert.strictEqual(probes.length, 4, "asked until the ServiceAccount was there, then stopped");
            });

            it("create: passes the node image when one is set", async () => {
                await provider.create(inputs({ nodeImage: "kindest/node:v1.33.1" }));
                const create = fake.calls()[1];
                assert.deepStrictEqual(create.slice(6), ["--image", "kindest/node:v1.33.1", "--wait", "120s"]);
            });

            /** What the provider printed (the engine shows a dynamic provider's output), while `fn` ran. */
            async function printed(fn: () => Promise<unknown>): Promise<string> {
                const lines: string[] = [];
                const original = console.log;
                console.log = (...args: unknown[]) => void lines.push(args.join(" "));
                try {
                    await fn();
                } finally {
                    console.log = original;
                }
                return lines.join("\n");
            }

            it("create: loads the images the host's Docker has in one kind run, and names those it skipped", async () => {
                const loadImages = ["busybox:1.37.0", "lab.local/tools:2", "lab.local/absent:1"];
                const said = await printed(() =>
                    fake.withDockerImages(["busybox:1.37.0", "lab.local/tools:2"], () =>
                        provider.create(inputs({ loadImages })),
                    ),
                );
                const calls = fake.calls();
                assert.deepStrictEqual(calls[3], [
                    "load",
                    "docker-image",
                    "busybox:1.37.0",
                    "lab.local/tools:2",
                    "--name",
                    "lab-test",
                ]);
                assert.strictEqual(calls.length, 4, "one load for every present image");
                assert.deepStrictEqual(fake.loadedImages("lab-test"), ["busybox:1.37.0", "lab.local/tools:2"]);
                assert.strictEqual(
                    said,
                    'kind cluster "lab-test": loaded busybox:1.37.0, lab.local/tools:2 from the host\'s Docker; ' +
                        "skipped lab.local/absent:1: not in the host's Docker, so its nodes pull it " +
                        "(npm run classroom -- images pull fetches them once).",
                );
            });

            it("create: runs no load when Docker has none of the images, and says so", async () => {
                const said = await printed(() =>
                    fake.withDockerImages([], () => provider.create(inputs({ loadImages: ["busybox:1.37.0"] }))),
                );
                assert.ok(!fake.calls().some((c) => c[0] === "load"));
                assert.match(said, /skipped busybox:1\.37\.0: not in the host's Docker, so its nodes pull it/);
            });

            it("create: a failed load keeps the cluster (its nodes pull instead) and says why", async () => {
                fake.activate("up", "load docker-image");
                const said = await printed(() =>
                    fake.withDockerImages(["busybox:1.37.0"], () =>
                        provider.create(inputs({ loadImages: ["busybox:1.37.0"] })),
                    ),
                );
                assert.deepStrictEqual(fake.clusters(), ["lab-test"]);
                assert.match(
                    said,
                    /could not load busybox:1\.37\.0 \(`.*load docker-image busybox:1\.37\.0 --name lab-test` failed/,
                );
                assert.match(said, /its nodes pull them/);
            });

            it("create: loads nothing, and asks Docker nothing, without images", async () => {
                const said = await printed(() => provider.create(inputs({ loadImages: [] })));
                assert.strictEqual(said, "");
                assert.strictEqual(fake.calls().length, 3);
            });

            it("create: refuses to adopt a cluster it did not make, and says how to fix it", async () => {
                fake.reset(["lab-test"]);
                await assert.rejects(
                    provider.create(inputs()),
                    /already exists, and this stack's state does not hold it.*left untouched.*kind delete cluster --name lab-test/s,
                );
                assert.ok(!fake.calls().some((c) => c[0] === "create"));
            });

            it("create: removes a cluster it made but could not describe, so the next run can retry", async () => {
                fake.activate("up", "get kubeconfig");
                await assert.rejects(provider.create(inputs()), /get kubeconfig --name lab-test` failed/);
                assert.deepStrictEqual(fake.clusters(), []);
                assert.deepStrictEqual(fake.calls().pop(), ["delete", "cluster", "--name", "lab-test"]);
            });

            it("read: refreshes a live cluster and reports one deleted by hand as gone", async () => {
                fake.reset(["lab-test"]);
                const live = await provider.read("lab-test", { ...inputs(), kubeContext: "old", kubeconfig: "old" });
                assert.strictEqual(live.id, "lab-test");
                assert.match((live.props as KindClusterOutputs).kubeconfig, /kind-lab-test/);
                fake.deleteOutOfBand("lab-test");
                const gone = await provider.read("lab-test", { ...inputs(), kubeContext: "x", kubeconfig: "x" });
                assert.strictEqual(gone.id, "");
            });

            it("read: waits for a cluster whose API server is still booting (after Docker restarts), not reporting it", async () => {
                fake.reset(["lab-test"]);
                fake.serviceAccountAfter = 3;
                const live = await provider.read("lab-test", { ...inputs(), kubeContext: "x", kubeconfig: "x" });
                assert.strictEqual(live.id, "lab-test");
                const probes = fake.apiRequests.filter(
                    (u) => u === "/api/v1/namespaces/default/serviceaccounts/default",
                );
                assert.strictEqual(probes.length, 4, "asked until the API server answered, then stopped");
            });

            it("diff: replaces on name, image or config; kindPath alone updates in place", async () => {
                const olds = { ...inputs(), kubeContext: "kind-lab-test", kubeconfig: "k" };
                assert.deepStrictEqual(await provider.diff("lab-test", olds, inputs()), {
                    changes: false,
                    replaces: [],
                    deleteBeforeReplace: true,
                });
                const moved = await provider.diff("lab-test", olds, inputs({ kindPath: "/opt/kind" }));
                assert.deepStrictEqual([moved.changes, moved.replaces], [true, []]);
                const image = await provider.diff("lab-test", olds, inputs({ nodeImage: "kindest/node:v1.34.0" }));
                assert.deepStrictEqual([image.replaces, image.deleteBeforeReplace], [["nodeImage"], true]);
                const config = await provider.diff("lab-test", olds, inputs({ kindConfig: renderKindConfig() }));
                assert.deepStrictEqual(config.replaces, ["kindConfig"]);
                const renamed = await provider.diff("lab-test", olds, inputs({ clusterName: "lab-other" }));
                assert.deepStrictEqual([renamed.replaces, renamed.deleteBeforeReplace], [["clusterName"], false]);
                assert.deepStrictEqual(fake.calls(), [], "diff never runs kind");
                // A stack made before the image list existed: the list is no reason to touch the cluster.
                const listed = await provider.diff("lab-test", olds, inputs({ loadImages: ["busybox:1.37.0"] }));
                assert.deepStrictEqual(listed, { changes: false, replaces: [], deleteBeforeReplace: true });
            });

            it("update: keeps the cluster and its kubeconfig, records the new kindPath", async () => {
                const olds = { ...inputs(), kubeContext: "kind-lab-test", kubeconfig: "kubeconfig-text" };
                const result = await provider.update("lab-test", olds, inputs({ kindPath: "/opt/kind" }));
                assert.deepStrictEqual(result.outs, { ...olds, kindPath: "/opt/kind" });
                assert.deepStrictEqual(fake.calls(), []);
            });

            it("delete: removes the cluster; when it is already gone, still runs kind's delete (it drops the context)", async () => {
                fake.reset(["lab-test", "someone-else"]);
                const props = { ...inputs(), kubeContext: "kind-lab-test", kubeconfig: "k" };
                await provider.delete("lab-test", props);
                assert.deepStrictEqual(fake.clusters(), ["someone-else"]);
                assert.deepStrictEqual(fake.calls(), [["delete", "cluster", "--name", "lab-test"]]);
                fake.reset(["someone-else"]);
                await provider.delete("lab-test", props);
                assert.deepStrictEqual(fake.calls(), [["delete", "cluster", "--name", "lab-test"]]);
                assert.deepStrictEqual(fake.clusters(), ["someone-else"]);
            });

            it("finds kind on PATH when kindPath is a bare name", async () => {
                const savedPath = process.env.PATH;
                process.env.PATH = `${fake.dir}${path.delimiter}${savedPath}`;
                try {
                    const result = await provider.create(inputs({ kindPath: "kind" }));
                    assert.strictEqual(result.id, "lab-test");
                } finally {
                    process.env.PATH = savedPath;
                }
            });

            it("explains a missing kind: what to install and which setting points at it", async () => {
                await assert.rejects(
                    provider.create(inputs({ kindPath: path.join(fake.dir, "no-such-kind") })),
                    (err: Error) =>
                        /kind CLI was not found/.test(err.message) &&
                        /Install kind/.test(err.message) &&
                        /init-sidecar-lab:kindPath/.test(err.message),
                );
            });

            it("explains Docker being down, with kind's own stderr", async () => {
                fake.activate("down");
                await assert.rejects(
                    provider.create(inputs()),
                    (err: Error) =>
                        /kind cannot reach Docker: start Docker/.test(err.message) &&
                        /kind said:\nERROR: failed to list clusters/.test(err.message) &&
                        /Is the docker daemon running\?/.test(err.message),
                );
                assert.deepStrictEqual(fake.clusters(), []);
            });
        });
    }
});
