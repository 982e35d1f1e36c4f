import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, OpType, Stack } from "@pulumi/pulumi/automation";
import { LabProject, TOOLCHAIN_DIR } from "./harness";
import { RUN_ID, RealKind } from "./realKind";

/**
 * An offline class on real kind and real Docker: images only the host's Docker has (tagged for this
 * run, in no registry, not in the node image) reach the lab's Pods because the lab loads them, a
 * new cluster as it is created and an existing one before `up`, and `classroom images save` and
 * `load` carry them through a real archive.
 */

/** The toolchain's busybox (an OCI archive, e2e/kind-node-image/build-images.sh), its one layer as a tar stream. */
const BUSYBOX_ARCHIVE = path.join(TOOLCHAIN_DIR, "images", "busybox-1.37.0.oci.tar");

describe("the lab's images, loaded from the host's Docker (offline class)", () => {
    const kind = new RealKind("lab-images-");
    const stackName = kind.name("images");
    const cluster = `lab-${stackName}`;
    const node = `${cluster}-control-plane`;
    // In no registry and not in the node image: a Pod runs them only if the lab loaded them.
    const first = `lab.local/e2e-busybox:${RUN_ID}-a`;
    const second = `lab.local/e2e-busybox:${RUN_ID}-b`;
    let project: LabProject;
    let stack: Stack;

    /** Docker's ID of an image (what containerd shows once kind loaded it). */
    const dockerId = (image: string) => kind.docker("image", "inspect", "--format", "{{.Id}}", image).trim();
    /** The images the node's containerd holds, by tag, with their IDs (crictl, as kind load uses). */
    const nodeImages = (): Map<string, string> => {
        const listed = JSON.parse(kind.docker("exec", node, "crictl", "images", "-o", "json")) as {
            images: { id: string; repoTags: string[] }[];
        };
        return new Map(listed.images.flatMap((i) => i.repoTags.map((t): [string, string] => [t, i.id])));
    };
    /** A command of the project's own, with this suite's environment; `without` names variables to drop. */
    const projectCommand = (script: string, args: string[], without: string[] = []) => {
        const env: Record<string, string | undefined> = { ...process.env, ...project.env };
        for (const name of without) delete env[name];
        const run = spawnSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(project.workDir, script), ...args],
            { cwd: project.workDir, env, encoding: "utf8", timeout: 300_000 },
        );
        return { status: run.status, output: `${run.stdout}${run.stderr}` };
    };

    before(async function () {
        this.timeout(120_000);
        assert.ok(
            fs.existsSync(BUSYBOX_ARCHIVE),
            `the toolchain's busybox archive ${BUSYBOX_ARCHIVE} (npm run e2e:toolchain)`,
        );
        // The archive's layer is a root filesystem: docker import makes an image of it (Docker 20.10
        // cannot load an OCI archive), tagged twice for this run.
        const script =
            'set -euo pipefail; m=$(tar -xOf "$0" index.json | jq -r ".manifests[0].digest" | cut -d: -f2); ' +
            'l=$(tar -xOf "$0" "blobs/sha256/$m" | jq -r ".layers[0].digest" | cut -d: -f2); ' +
            'tar -xOf "$0" "blobs/sha256/$l" | docker import --change \'CMD ["sh"]\' - "$1" >/dev/null; docker tag "$1" "$2"';
        const imported = spawnSync("bash", ["-c", script, BUSYBOX_ARCHIVE, first, second], { encoding: "utf8" });
        assert.strictEqual(imported.status, 0, imported.stderr);
        project = kind.project();
        stack = await project.stack(stackName, { image: first });
    });
    after(async function () {
        this.timeout(300_000);
        await stack?.destroy().catch(() => undefined);
        project?.dispose();
        kind.dispose();
        kind.run("docker", "rmi", first, second);
    });

    it("a new cluster gets the image from Docker as it is created, and the Pods run it without a registry", async () => {
        const output: string[] = [];
        const result = await stack.up({ onOutput: (line) => output.push(line) });
        assert.deepStrictEqual(result.summary.resourceChanges, { create: 10 });
        assert.match(
            output.join(""),
            new RegExp(`kind cluster "${cluster}": loaded ${first} from the host's Docker\\.`),
        );
        assert.strictEqual(nodeImages().get(first), dockerId(first), "the node holds Docker's very image");
        const pods = kind.kubectl(`kind-${cluster}`, "-n", cluster, "get", "pods", "-o", "json");
        const specs = (
            JSON.parse(pods) as { items: { spec: { containers: { image: string; imagePullPolicy: string }[] } }[] }
        ).items;
        for (const c of specs.flatMap((p) => p.spec.containers)) {
            assert.deepStrictEqual([c.image, c.imagePullPolicy], [first, "IfNotPresent"]);
        }
    });

    it("npm run up's step loads a new image into the existing cluster; the cluster itself is not touched", async () => {
        await stack.setConfig("init-sidecar-lab:image", { value: second });
        assert.ok(!nodeImages().has(second));
        const step = projectCommand("lab/imageHost.ts", ["--stack", stackName]);
        assert.strictEqual(step.status, 0, step.output);
        assert.match(
            step.output,
            new RegExp(`images: kind cluster "${cluster}": loaded ${second} from the host's Docker\\.`),
        );
        assert.strictEqual(nodeImages().get(second), dockerId(second));
        const ops: { op: OpType; type: string }[] = [];
        const onEvent = (e: EngineEvent) => {
            const m = e.resourcePreEvent?.metadata;
            if (m) ops.push({ op: m.op, type: m.type });
        };
        await stack.up({ onEvent });
        const clusterOps = ops.filter((o) => o.type === "pulumi-nodejs:dynamic/kind:Cluster").map((o) => o.op);
        assert.deepStrictEqual(clusterOps, ["same"], "a new image list is no reason to replace the cluster");
        // The specs: a status names the image by the first tag the node has for its ID (here the first one).
        const images = kind.kubectl(
            `kind-${cluster}`,
            "-n",
            cluster,
            "get",
            "pods",
            "-o",
            "jsonpath={.items[*].spec['initContainers','containers'][*].image}",
        );
        assert.ok(
            images.split(/\s+/).every((i) => i === second),
            images,
        );
    });

    it("classroom images save and load carry the stack's images through one real archive", () => {
        const file = path.join(project.root, "class-images.tar");
        // Without LAB_KIND_NODE_IMAGE the node image is kind's own default and stays out: a small archive.
        const images = (...args: string[]) =>
            projectCommand("classroom/cli.ts", ["images", ...args, "--stack", stackName], ["LAB_KIND_NODE_IMAGE"]);
        const id = dockerId(second);
        const save = images("save", file);
        assert.strictEqual(save.status, 0, save.output);
        assert.match(save.output, new RegExp(`Saved 1 image to ${file}`));
        const listed = spawnSync("tar", ["-tf", file], { encoding: "utf8" }).stdout;
        assert.match(listed, /^manifest\.json$/m, "a docker save archive");
        kind.docker("rmi", second);
        assert.match(images("list").output, new RegExp(`^${second.replace(/\./g, "\\.")}\\s+pod\\s+missing`, "m"));
        const load = images("load", file);
        assert.strictEqual(load.status, 0, load.output);
        assert.match(load.output, new RegExp(`^${second.replace(/\./g, "\\.")}\\s+pod\\s+present`, "m"));
        assert.strictEqual(dockerId(second), id, "the same image came back");
    });
});
