import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { LESSON_NAMES } from "../lessons";
import { LabProject, runVerify } from "./harness";
import { sharedCluster } from "./realKind";

/**
 * Every lesson (`lessons=all`) on the real engine and a real Kubernetes, checked the way a
 * learner sees them: kubectl, the exported commands, and `npm run verify`.
 *
 * The cluster comes from the next few lines only, so porting the suite to another
 * fixture (kind) means changing them alone.
 */
type Cluster = {
    kubeconfig: string;
    context: string;
    kubectl: (...args: string[]) => string;
    /** An exported command, pasted into a shell that finds this cluster. */
    paste: (command: string, seconds?: number) => string;
    project: () => LabProject;
};
function startCluster(): Cluster {
    // The real kind cluster every existing-cluster suite of the run shares (deleted when mocha exits).
    const shared = sharedCluster();
    return {
        kubeconfig: shared.kubeconfig,
        context: shared.context,
        kubectl: (...a) => shared.kubectl(...a),
        paste: (command, seconds) => shared.kind.paste(command, seconds),
        project: () => shared.kind.project(),
    };
}

const NS = "lab-lessons";

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` every 2 s until it returns a value, or fails with `what` after `seconds`. */
async function waitFor<T>(what: string, seconds: number, probe: () => T | undefined): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        const value = probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
        await sleep(2000);
    }
}

describe("the lessons on a real kind cluster", () => {
    let cluster: Cluster;
    let project: LabProject;
    let stack: Stack;
    let commands: Record<string, Record<string, unknown>>;
    const pod = (name: string) => JSON.parse(cluster.kubectl("-n", NS, "get", "pod", name, "-o", "json"));
    const job = (name: string) => JSON.parse(cluster.kubectl("-n", NS, "get", "job", name, "-o", "json"));
    const verify = () => runVerify(["--stack", "lessons"], { ...project.env, LAB_PROJECT_DIR: project.workDir });

    before(async function () {
        this.timeout(600_000);
        cluster = startCluster();
        project = cluster.project();
        stack = await project.stack("lessons", {
            kubeconfigPath: cluster.kubeconfig,
            kubeContext: cluster.context,
            lessons: "all",
            initDelaySeconds: "2",
            // A lesson's own setting, set as a learner would: pulumi config set --path ... 3
            "lessonSettings.failing-init.exitCode": "3",
        });
    });
    after(async function () {
        this.timeout(300_000);
        try {
            await stack?.destroy();
        } finally {
            project?.dispose();
        }
    });

    it("up deploys every lesson, returns without waiting on the Pods that wait for the learner, exports their commands", async () => {
        const result = await stack.up();
        // 8 for the guide's lab; each Pod lesson is 2 (the lesson and its Pod), native-sidecar 3 (lesson, two Jobs).
        assert.deepStrictEqual(result.summary.resourceChanges, { create: 8 + 2 * LESSON_NAMES.length + 1 });
        commands = result.outputs.lessons.value as typeof commands;
        // The engine stores an output object's keys sorted.
        assert.deepStrictEqual(Object.keys(commands).sort(), [...LESSON_NAMES].sort());
        const labels = JSON.parse(cluster.kubectl("get", "namespace", NS, "-o", "json")).metadata.labels;
        assert.strictEqual(labels["pod-security.kubernetes.io/enforce"], "restricted", "admission enforced restricted");
    });

    it("failing-init reaches Init:CrashLoopBackOff and its main container never starts", async () => {
        // Between retries the Pod shows Init:CrashLoopBackOff, briefly; the kubelet's BackOff events stay.
        const backOffs = await waitFor("the kubelet to back off the failing step", 120, () => {
            const events = cluster.kubectl(
                "-n",
                NS,
                "get",
                "events",
                "--field-selector",
                "involvedObject.name=lesson-failing-init,reason=BackOff",
                "-o",
                "name",
            );
            return events.trim() === "" ? undefined : events;
        });
        assert.ok(backOffs.length > 0);
        const p = pod("lesson-failing-init");
        const step = p.status.initContainerStatuses[0];
        const failed = step.state.terminated ?? step.lastState.terminated;
        assert.strictEqual(failed.exitCode, 3, "lessonSettings.failing-init.exitCode reached the step");
        assert.match(failed.message, /Not found: this step fails with exit code 3/);
        assert.ok(step.restartCount >= 1, `restarts: ${step.restartCount}`);
        assert.ok(!p.status.containerStatuses?.[0]?.state?.running, "the main container never started");
    });

    it("npm run verify passes every lesson, naming failing-init's and wait-for-service's states", () => {
        const run = verify();
        assert.strictEqual(run.status, 0, run.output);
        assert.match(run.output, /PASS {2}lesson failing-init \(failing\): /);
        assert.match(run.output, /PASS {2}lesson wait-for-service \(waiting\): /);
        assert.match(run.output, /PASS {2}lesson stage-files \(served\): /);
        assert.match(run.output, /PASS {2}lesson log-adapter \(adapting\): /);
        assert.match(run.output, /PASS {2}lesson metrics-exporter \(counting\): /);
        assert.match(run.output, /PASS {2}lesson native-sidecar \(shown\): /);
        // One line per check: the lab's four, then one per lesson.
        assert.strictEqual(run.output.match(/^PASS {2}/gm)?.length, 4 + LESSON_NAMES.length, run.output);
        assert.match(run.output, new RegExp(`All ${4 + LESSON_NAMES.length} checks passed`));
    });

    it("the exported fix makes the same failing-init Pod recover", async () => {
        const uid = pod("lesson-failing-init").metadata.uid;
        cluster.paste(String(commands["failing-init"].fix), 20);
        // The kubelet retries the step after its back-off (it doubles from 10 s), mounting the fresh ConfigMap.
        const fixed = await waitFor("the main container to start", 280, () => {
            const p = pod("lesson-failing-init");
            return p.status.containerStatuses?.[0]?.state?.running ? p : undefined;
        });
        assert.strictEqual(fixed.metadata.uid, uid, "the Pod was not replaced");
        assert.strictEqual(fixed.status.initContainerStatuses[0].state.terminated.exitCode, 0);
    });

    it("native-sidecar: the native Job completes, the classic one does not, and the native sidecar started first", async () => {
        const native = await waitFor("the native Job to complete", 120, () => {
            const j = job("lesson-native-sidecar");
            return j.status.conditions?.some(
                (c: { type: string; status: string }) => c.type === "Complete" && c.status === "True",
            )
                ? j
                : undefined;
        });
        assert.ok(native.status.completionTime);
        const classic = job("lesson-classic-sidecar");
        assert.ok(!classic.status.completionTime, "the classic Job never completes");
        const [nativePod] = JSON.parse(
            cluster.kubectl("-n", NS, "get", "pods", "-l", "job-name=lesson-native-sidecar", "-o", "json"),
        ).items;
        const sidecar = nativePod.status.initContainerStatuses[0];
        const app = nativePod.status.containerStatuses[0];
        const started = (s: { state: Record<string, { startedAt: string }> }) =>
            Date.parse(Object.values(s.state)[0].startedAt);
        assert.ok(started(sidecar) <= started(app), "the native sidecar started before the app");
        assert.strictEqual(app.state.terminated.exitCode, 0);
        assert.ok(sidecar.state.terminated, "the kubelet stopped the native sidecar after the app");
    });

    it("wait-for-service starts once the exported command created the Service (cluster DNS)", async () => {
        const services = cluster.kubectl("-n", "kube-system", "get", "services", "-o", "name");
        assert.ok(services.split("\n").includes("service/kube-dns"), "kind runs CoreDNS behind kube-dns");
        cluster.paste(String(commands["wait-for-service"].createService), 20);
        await waitFor("the main container to start", 120, () => {
            const p = pod("lesson-wait-for-service");
            return p.status.containerStatuses?.[0]?.state?.running ? p : undefined;
        });
    });

    it("npm run verify then says failing-init is fixed", () => {
        const run = verify();
        assert.strictEqual(run.status, 0, run.output);
        assert.match(run.output, /PASS {2}lesson failing-init \(fixed\): /);
    });
});
