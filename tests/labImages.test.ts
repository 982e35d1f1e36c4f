import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_IMAGE } from "../components/podDefaults";
import { setting } from "../components/settings";
import { imageReference } from "../components/validation";
import { RawConfig, parseLabConfig } from "../config";
import { imagesOfTables, labImages, podImages } from "../lab/images";
import { LESSON_NAMES } from "../lessons";
import { PROJECT, RecordedResource, recorded, settle } from "./mocks";

/** Runs index.ts afresh under the mocks with this stack config; returns what it registered. */
async function runProgram(config: Record<string, string>): Promise<RecordedResource[]> {
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])));
    const before = recorded.length;
    delete require.cache[require.resolve("../index")];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../index");
    await settle();
    return recorded.slice(before);
}

/** Every container image anywhere in a resource's inputs (a Pod's spec, a Job's template...). */
function containerImages(value: unknown, found = new Set<string>()): Set<string> {
    if (Array.isArray(value)) value.forEach((v) => containerImages(v, found));
    else if (value !== null && typeof value === "object") {
        for (const [key, inner] of Object.entries(value)) {
            if ((key === "containers" || key === "initContainers") && Array.isArray(inner)) {
                for (const c of inner as { image?: unknown }[]) if (typeof c.image === "string") found.add(c.image);
            }
            containerImages(inner, found);
        }
    }
    return found;
}

/**
 * Existing mode checks its context against the kubeconfig it names: a file of our own with the
 * context "shared", so the test never reads the machine's ~/.kube/config.
 */
const KUBECONFIG = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lab-images-")), "kubeconfig");
fs.writeFileSync(
    KUBECONFIG,
    "apiVersion: v1\nkind: Config\nclusters: [{name: shared, cluster: {server: 'https://127.0.0.1:6443'}}]\n" +
        "users: [{name: shared, user: {}}]\ncontexts: [{name: shared, context: {cluster: shared, user: shared}}]\n" +
        "current-context: shared\n",
);
const EXISTING = { kubeContext: "shared", kubeconfigPath: KUBECONFIG };

describe("the lab's image list (lab/images.ts)", () => {
    after(() => fs.rmSync(path.dirname(KUBECONFIG), { recursive: true, force: true }));
    const cases: [string, RawConfig][] = [
        ["the default stack", {}],
        ["every lesson", { lessons: "all" }],
        ["every lesson, another image", { lessons: "all", image: "registry.example:5000/tools/busybox:1.36.1" }],
        ["an existing cluster", { ...EXISTING, lessons: "native-sidecar" }],
    ];
    for (const [label, raw] of cases) {
        it(`${label}: lists exactly the images of every container the program renders`, async () => {
            const resources = await runProgram(raw as Record<string, string>);
            const rendered = containerImages(
                resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.inputs),
            );
            assert.ok(rendered.size > 0, "the program rendered containers");
            const listed = podImages(labImages(parseLabConfig(raw, "dev")));
            assert.deepStrictEqual(listed.sort(), [...rendered].sort());
        });
    }

    it("hands the kind cluster the Pods' images to load, and none in existing mode", async () => {
        const resources = await runProgram({ lessons: "all", image: "busybox:1.36.1" });
        const cluster = resources.find((r) => r.type === "pulumi-nodejs:dynamic/kind:Cluster");
        assert.deepStrictEqual(cluster?.inputs.loadImages, ["busybox:1.36.1"]);
        const existing = await runProgram(EXISTING);
        assert.ok(!existing.some((r) => r.type === "pulumi-nodejs:dynamic/kind:Cluster"));
    });

    it("names who uses each image, and kind's node image when the stack names one", () => {
        const images = labImages(
            parseLabConfig({ lessons: "failing-init,pod-requests", nodeImage: "kindest/node:v1.33.1" }, "dev"),
        );
        assert.deepStrictEqual(images, [
            {
                image: DEFAULT_IMAGE,
                runs: "pod",
                usedBy: ["init-test", "sidecar-test", "lesson failing-init", "lesson pod-requests"],
            },
            { image: "kindest/node:v1.33.1", runs: "node", usedBy: ["kind node"] },
        ]);
    });

    it("leaves kind's own default node image out (only kind knows its name), and any node image in existing mode", () => {
        assert.deepStrictEqual(
            labImages(parseLabConfig({}, "dev")).map((i) => i.runs),
            ["pod"],
        );
        assert.ok(!labImages(parseLabConfig(EXISTING, "dev")).some((i) => i.runs === "node"));
    });

    it("takes any setting marked as an image from a table, its value or its default", () => {
        const table = {
            tools: setting({
                type: "string",
                default: "lab.local/tools:1",
                example: "lab.local/tools:1",
                description: "",
                check: imageReference,
                holdsImage: "pod",
            }),
            node: setting({
                type: "string",
                default: "kindest/node:v1",
                example: "kindest/node:v1",
                description: "",
                check: imageReference,
                holdsImage: "node",
            }),
            title: setting({ type: "string", default: "x:1", example: "x", description: "", check: imageReference }),
        };
        assert.deepStrictEqual(imagesOfTables([table], {}, "pod"), ["lab.local/tools:1"]);
        assert.deepStrictEqual(imagesOfTables([table], { tools: "lab.local/tools:2" }, "pod"), ["lab.local/tools:2"]);
        assert.deepStrictEqual(imagesOfTables([table], {}, "node"), ["kindest/node:v1"]);
    });

    it("every lesson is in the list of the stack that deploys them all", () => {
        const [busybox] = labImages(parseLabConfig({ lessons: "all" }, "dev"));
        assert.deepStrictEqual(
            busybox.usedBy.filter((u) => u.startsWith("lesson ")),
            LESSON_NAMES.map((n) => `lesson ${n}`),
        );
    });
});
