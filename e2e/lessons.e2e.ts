import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import type { V1Pod } from "@kubernetes/client-node";
import { LESSON_NAMES, LessonName } from "../lessons";
import { effectiveRequest, formatCpu, formatMemory } from "../lessons/pod-requests/effective";
import { parseSigterm } from "../lessons/shutdown-order/judge";
// kubectl's READY/STATUS/RESTARTS as the lab computes them (moving to verify/podStatus.ts).
import { kubectlLine } from "../verify/podStatus";
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

/** The objects each lesson adds beside its component: a new lesson adds its line. */
const LESSON_OBJECTS: Record<LessonName, number> = {
    "failing-init": 1,
    "wait-for-service": 1,
    "stage-files": 1,
    "log-adapter": 1,
    "metrics-exporter": 1,
    "native-sidecar": 2,
    "startup-probe": 2,
    "shutdown-order": 1,
    "sidecar-restart": 1,
    "pod-requests": 3,
};

/** Seconds in a kubectl duration (`45s`, `3m10s`, `2h`). */
function durationSeconds(text: string): number {
    const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, y: 365 * 86400 };
    return [...text.matchAll(/(\d+)([smhdy])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

/** One row of `kubectl get pods`, as printed: NAME READY STATUS RESTARTS AGE (RESTARTS may hold spaces). */
function parseRow(row: string): { name: string; ready: string; status: string; restarts: string } {
    const [name, ready, status, restarts] = row.trim().split(/\s{2,}/);
    return { name, ready, status, restarts };
}

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
    const podsJson = (): V1Pod[] => JSON.parse(cluster.kubectl("-n", NS, "get", "pods", "-o", "json")).items;

    /**
     * READY, STATUS and RESTARTS of every Pod of the namespace, as kubectlLine computes them from the
     * Pod and as `kubectl get pods` prints them, read between two identical reads of the Pods (no
     * status changed meanwhile). Returns the rows compared, for the test to name what it covered.
     */
    async function assertKubectlAgrees(): Promise<string[]> {
        for (let attempt = 1; ; attempt++) {
            const before = podsJson();
            const now = Date.now();
            const table = cluster.kubectl("-n", NS, "get", "pods").trim().split("\n").slice(1).map(parseRow);
            const after = podsJson();
            const version = (pods: V1Pod[]) =>
                pods.map((p) => `${p.metadata?.name}@${p.metadata?.resourceVersion}`).join(" ");
            if (version(before) !== version(after)) {
                assert.ok(attempt < 15, "the Pods kept changing while kubectl printed them");
                await sleep(1000);
                continue;
            }
            assert.deepStrictEqual(
                table.map((r) => r.name),
                before.map((p) => p.metadata?.name),
            );
            return table.map((row, i) => {
                const ours = kubectlLine(before[i], now);
                const what = `${row.name}: kubectl says ${row.ready} ${row.status} ${row.restarts}; ours ${ours.ready} ${ours.status} ${ours.restartsText}`;
                assert.deepStrictEqual(
                    [ours.ready, ours.status, String(ours.restarts)],
                    [row.ready, row.status, row.restarts.split(" ")[0]],
                    what,
                );
                const ago = /\((\S+) ago\)/;
                const theirs = ago.exec(row.restarts)?.[1];
                const mine = ago.exec(ours.restartsText)?.[1];
                assert.strictEqual(mine === undefined, theirs === undefined, what);
                if (theirs && mine) assert.ok(Math.abs(durationSeconds(theirs) - durationSeconds(mine)) <= 2, what);
                return `${row.name} ${row.ready} ${row.status} ${row.restarts}`;
            });
        }
    }

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
        // 8 for the guide's lab; each lesson is its component and its objects.
        const lessons = LESSON_NAMES.reduce((sum, name) => sum + 1 + LESSON_OBJECTS[name], 0);
        assert.deepStrictEqual(result.summary.resourceChanges, { create: 8 + lessons });
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
        assert.match(run.output, /PASS {2}lesson startup-probe \(shown\): /);
        assert.match(run.output, /PASS {2}lesson shutdown-order \(ready\): /);
        assert.match(run.output, /PASS {2}lesson sidecar-restart \(restarted\): /);
        assert.match(run.output, /PASS {2}lesson pod-requests \(accounted\): /);
        // One line per check: the lab's four, then one per lesson.
        assert.strictEqual(run.output.match(/^PASS {2}/gm)?.length, 4 + LESSON_NAMES.length, run.output);
        assert.match(run.output, new RegExp(`All ${4 + LESSON_NAMES.length} checks passed`));
    });

    it("READY, STATUS and RESTARTS as kubectl prints them, while init steps fail and wait", async () => {
        const rows = await assertKubectlAgrees();
        assert.ok(
            rows.some((r) => /^lesson-failing-init \S+ Init:/.test(r)),
            rows.join("\n"),
        );
        assert.ok(
            rows.some((r) => /^lesson-wait-for-service 0\/1 Init:0\/1 /.test(r)),
            rows.join("\n"),
        );
    });

    it("startup-probe: only the startupProbe held the app back for the warm-up (API server timestamps)", () => {
        const started = (p: V1Pod, init: boolean) =>
            Date.parse(
                String(
                    (init ? p.status?.initContainerStatuses : p.status?.containerStatuses)?.[0].state?.running
                        ?.startedAt,
                ),
            );
        const startup = pod("lesson-startup-probe") as V1Pod;
        const readiness = pod("lesson-readiness-probe") as V1Pod;
        // Whole seconds on both sides: the default warm-up is 8 s.
        const held = started(startup, false) - started(startup, true);
        const atOnce = started(readiness, false) - started(readiness, true);
        assert.ok(held >= 7000, `the app waited ${held} ms for the startupProbe`);
        // At once: the kubelet's next look after the sidecar started, a second or two on a busy node.
        assert.ok(atOnce <= 5000, `the app started ${atOnce} ms after a sidecar with a readinessProbe only`);
        const times = cluster.paste(String(commands["startup-probe"].startTimes));
        assert.match(times, /^POD\s+SIDECAR_STARTED\s+INITIALIZED\s+APP_STARTED\s+READY\n/);
        assert.match(times, /\nlesson-startup-probe\s+\S+Z\s+\S+Z\s+\S+Z\s+\S+Z\n/);
    });

    it("sidecar-restart: the kubelet restarted the native sidecar; the classic one stays down; the app never restarted", () => {
        const p = pod("lesson-sidecar-restart") as V1Pod;
        const status = (name: string) =>
            [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].find(
                (s) => s.name === name,
            );
        assert.ok((status("native-sidecar")?.restartCount ?? 0) >= 1, "verify saw it restart");
        assert.strictEqual(status("classic-sidecar")?.restartCount, 0);
        assert.strictEqual(status("classic-sidecar")?.state?.terminated?.exitCode, 1);
        assert.strictEqual(status("app")?.restartCount, 0);
        assert.ok(status("app")?.state?.running);
        const restarts = cluster.paste(String(commands["sidecar-restart"].restarts)).trim().split("\n");
        assert.match(
            restarts[0],
            /^POD\s+NATIVE_RESTARTS\s+CLASSIC_RESTARTS\s+CLASSIC_EXIT\s+APP_RESTARTS\s+APP_STARTED$/,
        );
        assert.match(restarts[1], /^lesson-sidecar-restart\s+[1-9]\d*\s+0\s+1\s+0\s+\S+Z$/);
    });

    it("pod-requests: kubectl describe node shows each Pod's effective request as the formula computes it", () => {
        const described = cluster.paste(String(commands["pod-requests"].describeNode));
        for (const [name, cpu, memory] of [
            ["lesson-requests-classic", "60m", "48Mi"],
            ["lesson-requests-native", "80m", "64Mi"],
        ]) {
            const spec = (pod(name) as V1Pod).spec ?? { containers: [] };
            // The formula, on the spec the API server stored, gives the figures chosen for the lesson ...
            assert.deepStrictEqual(
                [
                    formatCpu(effectiveRequest(spec, "cpu").effective),
                    formatMemory(effectiveRequest(spec, "memory").effective),
                ],
                [cpu, memory],
            );
            // ... and kubectl's per-Pod row (requests, then limits, the same here) says the same.
            const row = described.split("\n").find((l) => l.includes(` ${name} `));
            assert.match(
                row ?? "",
                new RegExp(`${NS}\\s+${name}\\s+${cpu} \\(\\d+%\\)\\s+${cpu} \\(\\d+%\\)\\s+${memory} \\(`),
                described,
            );
        }
        const quota = JSON.parse(
            cluster.kubectl("-n", NS, "get", "resourcequota", "lesson-pod-requests", "-o", "json"),
        );
        assert.deepStrictEqual(
            [quota.status.used["requests.cpu"], quota.status.used["requests.memory"]],
            ["140m", "112Mi"],
        );
    });

    it("shutdown-order: the exported stop; the app and the classic sidecar get SIGTERM first, then sidecar-2, then sidecar-1", async () => {
        const selector = "app.kubernetes.io/component=lesson-shutdown-order";
        const list = (): V1Pod[] =>
            JSON.parse(cluster.kubectl("-n", NS, "get", "pods", "-l", selector, "-o", "json")).items;
        const [first] = list();
        const said = cluster.paste(`${String(commands["shutdown-order"].stop)} 2>&1`, 20);
        assert.match(said, /^pod\/lesson-shutdown-order-\S+ patched$/m, said);
        // The kubelet notices the deadline at its next look at the Pod, within seconds.
        const stopped = await waitFor("the stopped Pod's four containers to end", 90, () => {
            const p = list().find((x) => x.metadata?.name === first.metadata?.name);
            const all = [...(p?.status?.initContainerStatuses ?? []), ...(p?.status?.containerStatuses ?? [])];
            return all.length === 4 && all.every((c) => c.state?.terminated) ? p : undefined;
        });
        assert.strictEqual(stopped.status?.reason, "DeadlineExceeded");
        const uptime = (name: string) => {
            const all = [
                ...(stopped.status?.initContainerStatuses ?? []),
                ...(stopped.status?.containerStatuses ?? []),
            ];
            const record = parseSigterm(all.find((c) => c.name === name)?.state?.terminated?.message);
            assert.ok(record, `${name} recorded its SIGTERM`);
            return record.uptime;
        };
        const [app, classic, second, firstSidecar] = ["app", "classic-sidecar", "sidecar-2", "sidecar-1"].map(uptime);
        assert.ok(Math.abs(app - classic) < 1, `app ${app}, classic ${classic}`);
        // Each container takes 2 s (stopSeconds) once it got SIGTERM.
        assert.ok(second - app >= 1.5, `sidecar-2 ${second - app} s after the app`);
        assert.ok(firstSidecar - second >= 1.5, `sidecar-1 ${firstSidecar - second} s after sidecar-2`);
        // The ReplicaSet replaced it: the lesson can be run again.
        await waitFor("the ReplicaSet's new Pod", 60, () =>
            list().find((x) => x.metadata?.name !== first.metadata?.name && x.status?.phase === "Running"),
        );
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

    it("npm run verify then says failing-init is fixed, shows shutdown-order's stop, and pod-requests still adds up", () => {
        const run = verify();
        assert.strictEqual(run.status, 0, run.output);
        assert.match(run.output, /PASS {2}lesson failing-init \(fixed\): /);
        assert.match(run.output, /PASS {2}lesson shutdown-order \(shown\): /);
        // The stopped Pod joined the quota's scope while it stopped; ended, it counts no more.
        assert.match(run.output, /PASS {2}lesson pod-requests \(accounted\): /);
    });

    it("READY, STATUS and RESTARTS as kubectl prints them, once fixed, completed, stopped and restarted", async () => {
        const rows = await assertKubectlAgrees();
        const shown = rows.join("\n");
        assert.ok(
            rows.some((r) => /^lesson-native-sidecar-\S+ 0\/2 Completed 0$/.test(r)),
            shown,
        );
        assert.ok(
            rows.some((r) => /^lesson-shutdown-order-\S+ 0\/4 /.test(r)),
            shown,
        );
        assert.ok(
            rows.some((r) => /^lesson-sidecar-restart \d\/3 \S+ [1-9]\d* \(/.test(r)),
            shown,
        );
    });
});
