import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EngineEvent, OpType, Stack } from "@pulumi/pulumi/automation";
import { LabProject, REPO, runVerify } from "./harness";
import { ExistingCluster, sharedCluster } from "./realKind";

/**
 * A learner's stack outlives our refactors: deployed by an older version of the lab, then
 * previewed and updated by this checkout, nothing real is replaced or deleted and every Pod
 * keeps its UID. Resource names and parents are part of the state (the URN carries the parent
 * chain), so moving a component or flattening its layers must bring `aliases`; this suite is
 * what catches a missing one.
 */

/**
 * The last landed commit before each setting was declared once and each lesson became one folder:
 * the URNs its stacks hold are the ones this checkout must keep.
 */
const BASE_COMMIT = "299a897be0c1beb92c8b3d22a0f41f5b437e31dc";
const STACK = "upgrade";
const NS = "lab-upgrade";

/** The sources of `commit`, extracted from this clone's history into a fresh directory. */
function checkoutOf(commit: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-base-"));
    const archive = spawnSync("bash", ["-c", `git -C "$0" archive "$1" | tar -x -C "$2"`, REPO, commit, dir], {
        encoding: "utf8",
    });
    if (archive.status !== 0) {
        throw new Error(
            `Cannot extract commit ${commit} from ${REPO} (${archive.stderr.trim()}): this suite needs the ` +
                "repository's history (a full clone, not a shallow one).",
        );
    }
    return dir;
}

/** The engine's steps for each resource, as an up or a preview reports them. */
interface Step {
    op: OpType;
    urn: string;
    type: string;
    /** A real object in the cluster, not a component. */
    custom: boolean;
}

function recordSteps(into: Step[]): (event: EngineEvent) => void {
    return (event) => {
        const m = event.resourcePreEvent?.metadata;
        if (!m) return;
        const custom = Boolean(m.new?.custom ?? m.old?.custom);
        into.push({ op: m.op, urn: m.urn, type: m.type, custom });
    };
}

const REPLACING: OpType[] = ["replace", "create-replacement", "delete-replaced", "discard-replaced"];

/** Every Pod of the namespace by name, with its UID. */
function podUids(cluster: ExistingCluster): Record<string, string> {
    const pods = JSON.parse(cluster.kubectl("-n", NS, "get", "pods", "-o", "json")) as {
        items: { metadata: { name: string; uid: string } }[];
    };
    return Object.fromEntries(pods.items.map((p) => [p.metadata.name, p.metadata.uid]));
}

describe("a stack deployed by the previous version, updated by this one", () => {
    let cluster: ExistingCluster;
    let project: LabProject;
    let base: string;
    let stack: Stack;

    before(async function () {
        this.timeout(600_000);
        base = checkoutOf(BASE_COMMIT);
        cluster = sharedCluster();
        project = cluster.kind.project();
        project.useSources(base);
        stack = await project.stack(STACK, {
            kubeconfigPath: cluster.kubeconfig,
            kubeContext: cluster.context,
            lessons: "all",
            waitForReady: "false",
        });
    });
    after(async function () {
        this.timeout(300_000);
        try {
            await stack?.destroy();
        } finally {
            project?.dispose();
            fs.rmSync(base, { recursive: true, force: true });
        }
    });

    it("keeps every Pod, Job and Service: no replace, no delete, the same Pod UIDs", async function () {
        this.timeout(600_000);
        const deployed = await stack.up();
        assert.ok((deployed.summary.resourceChanges?.create ?? 0) > 8, "the base version deployed the lab and lessons");
        const before = podUids(cluster);
        assert.ok(Object.keys(before).length >= 8, `Pods deployed by the base version: ${Object.keys(before)}`);

        // That stack has no `deployed` output: this verify checks it on the defaults, and says so.
        const onDefaults = runVerify(["--stack", STACK], { ...project.env, LAB_PROJECT_DIR: project.workDir });
        assert.strictEqual(onDefaults.status, 0, onDefaults.output);
        assert.match(
            onDefaults.output,
            /^Note: stack upgrade does not say what it deployed \(no `deployed` output: an older version deployed it\), so verify expects the defaults; `npm run up` records it\.$/m,
        );
        assert.match(
            onDefaults.output,
            /PASS {2}lesson failing-init \(failing\): .*exited with code 1, its exitCode setting/,
        );
        assert.match(onDefaults.output, /^All \d+ checks passed/m);

        project.useSources(REPO);
        const previewed: Step[] = [];
        await stack.preview({ onEvent: recordSteps(previewed) });
        const updated: Step[] = [];
        await stack.up({ onEvent: recordSteps(updated) });

        for (const [what, steps] of [
            ["preview", previewed],
            ["up", updated],
        ] as const) {
            const replaced = steps.filter((s) => REPLACING.includes(s.op));
            assert.deepStrictEqual(replaced, [], `${what} replaces nothing`);
            const deletedReal = steps.filter((s) => s.op === "delete" && s.custom);
            assert.deepStrictEqual(deletedReal, [], `${what} deletes no real resource`);
        }
        // Lessons added since the base version come with Pods of their own; every older one stays.
        const after = podUids(cluster);
        assert.deepStrictEqual(
            Object.fromEntries(Object.keys(before).map((name) => [name, after[name]])),
            before,
            "every Pod the base version created is still there, the same one",
        );

        // And the state has converged: one more preview changes nothing at all.
        const again: Step[] = [];
        await stack.preview({ onEvent: recordSteps(again) });
        const changing = again.filter((s) => s.op !== "same");
        assert.deepStrictEqual(changing, [], "a second preview changes nothing");
    });
});
