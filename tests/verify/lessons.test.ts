import * as assert from "assert";
import type { V1ContainerStatus, V1Job, V1Pod } from "@kubernetes/client-node";
import {
    ObservedJob,
    judgeFailingInit,
    judgeLogAdapter,
    judgeMetricsExporter,
    parseCounter,
    judgeNativeSidecar,
    judgeStageFiles,
    judgeWaitForService,
    podStatusText,
} from "../../verify/lessons";

// Live objects as @kubernetes/client-node returns them (timestamps as Dates), trimmed to what the judges read.

const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 10, 0, second));

function pod(name: string, inits: V1ContainerStatus[], containers: V1ContainerStatus[], phase = "Pending"): V1Pod {
    return {
        metadata: { name },
        spec: { containers: [] },
        status: { phase, initContainerStatuses: inits, containerStatuses: containers },
    };
}

const waiting = (name: string, reason: string, extra: Partial<V1ContainerStatus> = {}): V1ContainerStatus => ({
    name,
    image: "busybox:1.37.0",
    imageID: "",
    ready: false,
    restartCount: 0,
    state: { waiting: { reason } },
    ...extra,
});

const running = (name: string, startedAt: Date, extra: Partial<V1ContainerStatus> = {}): V1ContainerStatus => ({
    ...waiting(name, ""),
    state: { running: { startedAt } },
    ...extra,
});

const terminated = (
    name: string,
    exitCode: number,
    startedAt: Date,
    finishedAt: Date,
    extra: Partial<V1ContainerStatus> = {},
): V1ContainerStatus => ({
    ...waiting(name, ""),
    state: { terminated: { exitCode, startedAt, finishedAt, reason: exitCode === 0 ? "Completed" : "Error" } },
    ...extra,
});

describe("verify: the lessons' judges (pure)", () => {
    describe("failing-init", () => {
        const failedRun = {
            terminated: {
                exitCode: 1,
                reason: "Error",
                startedAt: at(1),
                finishedAt: at(1),
                message: "Looking for key ready ...\nNot found: this step fails with exit code 1.\n",
            },
        };

        it("passes as failing in Init:CrashLoopBackOff, naming the step, its exit code, last line and restarts", () => {
            const p = pod(
                "lesson-failing-init",
                [waiting("check-config", "CrashLoopBackOff", { restartCount: 3, lastState: failedRun })],
                [waiting("main-container", "PodInitializing")],
            );
            assert.strictEqual(podStatusText(p), "Init:CrashLoopBackOff");
            const verdict = judgeFailingInit(p, "lesson-failing-init");
            assert.strictEqual(verdict.status, "pass");
            assert.strictEqual(verdict.state, "failing");
            assert.match(verdict.message, /Init:CrashLoopBackOff/);
            assert.match(verdict.message, /"check-config" exited with code 1 \("Not found: this step fails/);
            assert.match(verdict.message, /3 restarts so far/);
            assert.match(verdict.message, /never started/);
        });

        it("passes as failing on the first Init:Error, before any back-off", () => {
            const p = pod(
                "lesson-failing-init",
                [{ ...waiting("check-config", ""), state: failedRun }],
                [waiting("main-container", "PodInitializing")],
            );
            assert.strictEqual(podStatusText(p), "Init:Error");
            const verdict = judgeFailingInit(p, "lesson-failing-init");
            assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "failing"]);
            assert.match(verdict.message, /0 restarts so far, and the main container never started/);
            const backingOff = judgeFailingInit(p, "lesson-failing-init", 3);
            assert.match(backingOff.message, /so far with the kubelet backing off 3 times \(Init:CrashLoopBackOff\)/);
        });

        it("passes as fixed once the step completed and the main container runs, counting the failed runs", () => {
            const p = pod(
                "lesson-failing-init",
                [terminated("check-config", 0, at(40), at(40), { restartCount: 4 })],
                [running("main-container", at(41))],
                "Running",
            );
            const verdict = judgeFailingInit(p, "lesson-failing-init");
            assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "fixed"]);
            assert.match(verdict.message, /after 4 failed runs.*started at 10:00:41/);
        });

        it("fails while the step has not run yet, and when the Pod is missing", () => {
            const starting = pod(
                "lesson-failing-init",
                [waiting("check-config", "PodInitializing")],
                [waiting("main-container", "PodInitializing")],
            );
            assert.strictEqual(podStatusText(starting), "Init:0/1");
            assert.deepStrictEqual(
                [judgeFailingInit(starting, "x").status, judgeFailingInit(starting, "x").state],
                ["fail", "starting"],
            );
            const gone = judgeFailingInit(undefined, "lesson-failing-init");
            assert.deepStrictEqual([gone.status, gone.state], ["fail", "missing"]);
            assert.match(gone.message, /Pod lesson-failing-init does not exist/);
        });

        it("fails when the main container ran although the step failed", () => {
            const p = pod(
                "lesson-failing-init",
                [waiting("check-config", "CrashLoopBackOff", { lastState: failedRun })],
                [running("main-container", at(2))],
            );
            assert.deepStrictEqual(judgeFailingInit(p, "x").status, "fail");
            const verdict = judgeFailingInit(p, "x");
            assert.strictEqual(verdict.state, "broken");
            assert.match(verdict.message, /main container started although the init step "check-config" failed/);
        });
    });

    describe("wait-for-service", () => {
        const service = { name: "lesson-backend", exists: false };

        it("passes as waiting while the step loops, quoting its last line and the command to run", () => {
            const p = pod(
                "lesson-wait-for-service",
                [running("wait-for-service", at(1))],
                [waiting("main-container", "PodInitializing")],
            );
            const verdict = judgeWaitForService(
                p,
                "lesson-wait-for-service",
                service,
                "Waiting for Service lesson-backend: x does not resolve yet.\n",
            );
            assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "waiting"]);
            assert.match(
                verdict.message,
                /is Init:0\/1: the init step "wait-for-service" keeps looking up Service lesson-backend \("Waiting for Service/,
            );
            assert.match(verdict.message, /createService/);
            const soon = judgeWaitForService(p, "x", { ...service, exists: true }, undefined);
            assert.match(soon.message, /The Service exists now/);
        });

        it("fails as starting while the step completed and the main container has not started (both lessons)", () => {
            for (const [judge, step] of [
                [
                    (p: V1Pod) => judgeWaitForService(p, "x", { ...service, exists: true }, undefined),
                    "wait-for-service",
                ],
                [(p: V1Pod) => judgeFailingInit(p, "x"), "check-config"],
            ] as const) {
                const p = pod(
                    "x",
                    [terminated(step, 0, at(1), at(30))],
                    [waiting("main-container", "PodInitializing")],
                );
                const verdict = judge(p);
                assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "starting"], step);
                assert.match(
                    verdict.message,
                    new RegExp(
                        `the init step "${step}" completed, but the main container is .*PodInitializing.*; it should start within seconds`,
                    ),
                );
            }
        });

        it("passes as started once the step completed and the main container runs", () => {
            const p = pod(
                "lesson-wait-for-service",
                [terminated("wait-for-service", 0, at(1), at(30))],
                [running("main-container", at(31))],
                "Running",
            );
            const verdict = judgeWaitForService(p, "lesson-wait-for-service", { ...service, exists: true }, undefined);
            assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "started"]);
            assert.match(verdict.message, /completed at 10:00:30; the main container started at 10:00:31/);
        });

        it("fails when the step exited with an error, and when the Pod is missing", () => {
            const p = pod(
                "x",
                [waiting("wait-for-service", "CrashLoopBackOff", { lastState: { terminated: { exitCode: 2 } } })],
                [waiting("main-container", "PodInitializing")],
            );
            assert.deepStrictEqual(judgeWaitForService(p, "x", service, undefined).state, "broken");
            assert.deepStrictEqual(judgeWaitForService(undefined, "x", service, undefined).state, "missing");
            assert.match(
                judgeWaitForService(p, "x", service, undefined).message,
                /"wait-for-service" ended with exit code 2/,
            );
            assert.match(judgeWaitForService(undefined, "x", service, undefined).message, /Pod x does not exist/);
        });
    });

    describe("stage-files", () => {
        const served = (ready = true) =>
            pod(
                "lesson-stage-files",
                [terminated("stage-site", 0, at(1), at(2))],
                [running("web", at(3), { ready })],
                "Running",
            );
        const page =
            "<html><body><h1>Staged by an init container</h1><p>Written by init container stage-site in Pod lesson-stage-files at 2026-11-30T10:00:01Z.</p></body></html>";

        it("passes as served when the page is the one the init step wrote in this Pod", () => {
            const verdict = judgeStageFiles(served(), "lesson-stage-files", { ok: true, body: page });
            assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "served"]);
            assert.match(
                verdict.message,
                /started at 10:00:03, serves the page the init step "stage-site" wrote into the shared emptyDir at 10:00:01/,
            );
        });

        it("fails on another Pod's page, an unreachable server, or a server not Ready yet", () => {
            const other = page.replace("Pod lesson-stage-files", "Pod elsewhere");
            assert.strictEqual(
                judgeStageFiles(served(), "lesson-stage-files", { ok: true, body: other }).state,
                "wrong-page",
            );
            const down = judgeStageFiles(served(), "lesson-stage-files", {
                ok: false,
                error: "HTTP 503: no endpoints",
            });
            assert.deepStrictEqual([down.status, down.state], ["fail", "unreachable"]);
            assert.match(down.message, /HTTP 503/);
            assert.strictEqual(judgeStageFiles(served(false), "lesson-stage-files", undefined).state, "starting");
        });
    });

    describe("log-adapter", () => {
        const both = pod(
            "lesson-log-adapter",
            [],
            [running("main-container", at(0)), running("log-adapter", at(0))],
            "Running",
        );
        const line = (second: number, n: number) =>
            `{"time":"2026-11-30T10:00:${String(second).padStart(2, "0")}Z","source":"main-container","message":"Hello Container ${n}"}`;

        it("passes as adapting: JSON lines with a UTC time, about one per interval", () => {
            const log = [line(2, 1), line(4, 2), line(7, 3), line(8, 4)].join("\n") + "\n";
            const verdict = judgeLogAdapter(both, "lesson-log-adapter", log, 2);
            assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "adapting"], verdict.message);
            assert.match(verdict.message, /one every 2 s/);
            assert.match(verdict.message, /Hello Container 4/);
        });

        it("fails on a plain line, a missing time, or the wrong cadence", () => {
            const plain = [line(2, 1), "Hello Container 2", line(6, 3)].join("\n");
            const verdict = judgeLogAdapter(both, "x", plain, 2);
            assert.deepStrictEqual(
                [verdict.state, verdict.message],
                ["wrong-format", "Pod x: an adapter line is not JSON: Hello Container 2"],
            );
            const noTime = [line(2, 1), '{"message":"m"}', line(6, 3)].join("\n");
            assert.match(judgeLogAdapter(both, "x", noTime, 2).message, /no UTC "time"/);
            const slow = [line(0, 1), line(10, 2), line(20, 3)].join("\n");
            const cadence = judgeLogAdapter(both, "x", slow, 2);
            assert.deepStrictEqual([cadence.status, cadence.state], ["fail", "wrong-cadence"]);
            assert.match(cadence.message, /every 10 s \(median\), but the app writes one every 2 s/);
        });

        it("fails as starting with fewer than 3 lines", () => {
            assert.strictEqual(judgeLogAdapter(both, "x", line(2, 1), 2).state, "starting");
        });
    });

    describe("metrics-exporter", () => {
        const exporter = pod(
            "lesson-metrics-exporter",
            [],
            [running("main-container", at(0)), running("metrics-exporter", at(0), { ready: true })],
            "Running",
        );
        const scrape = (n: number) => ({
            ok: true as const,
            body: `# HELP app_log_lines_total Lines the app wrote to its log.\n# TYPE app_log_lines_total counter\napp_log_lines_total ${n}\n`,
        });

        it("reads a counter in Prometheus text format", () => {
            assert.strictEqual(parseCounter(scrape(12).body, "app_log_lines_total"), 12);
            assert.strictEqual(parseCounter('# TYPE c counter\nc{pod="x"} 3.5\n', "c"), 3.5);
            assert.match(String(parseCounter("app_log_lines_total 3\n", "app_log_lines_total")), /no "# TYPE/);
            assert.match(String(parseCounter("# TYPE c counter\nc NaN\n", "c")), /no numeric c sample/);
        });

        it("passes as counting when the second scrape reads more", () => {
            const verdict = judgeMetricsExporter(exporter, "lesson-metrics-exporter", [scrape(10), scrape(12)], 3);
            assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "counting"]);
            assert.match(verdict.message, /two scrapes 3 s apart read 10, then 12/);
        });

        it("fails when the counter stands still, the format is wrong, or the scrape fails", () => {
            assert.strictEqual(judgeMetricsExporter(exporter, "x", [scrape(10), scrape(10)], 3).state, "not-counting");
            assert.strictEqual(
                judgeMetricsExporter(exporter, "x", [scrape(1), { ok: true, body: "lines 2" }], 3).state,
                "wrong-format",
            );
            assert.strictEqual(
                judgeMetricsExporter(exporter, "x", [{ ok: false, error: "HTTP 503" }, scrape(1)], 3).state,
                "unreachable",
            );
            const once = judgeMetricsExporter(exporter, "x", undefined, 3);
            assert.deepStrictEqual([once.status, once.state], ["fail", "starting"]);
            assert.match(once.message, /the exporter is Ready; verify scrapes it again a few seconds later/);
        });
    });

    describe("native-sidecar", () => {
        const job = (name: string, condition?: "Complete" | "Failed", completionTime?: Date): V1Job => ({
            metadata: { name },
            status: {
                ...(condition ? { conditions: [{ type: condition, status: "True" }] } : {}),
                ...(completionTime ? { completionTime } : {}),
            },
        });
        const nativeSpec = { containers: [], initContainers: [{ name: "sidecar", restartPolicy: "Always" }] };
        const classicRunning: ObservedJob = {
            name: "lesson-classic-sidecar",
            job: job("lesson-classic-sidecar"),
            pods: [pod("c", [], [terminated("app", 0, at(2), at(8)), running("sidecar", at(2))], "Running")],
        };
        const nativeDone: ObservedJob = {
            name: "lesson-native-sidecar",
            job: job("lesson-native-sidecar", "Complete", at(11)),
            pods: [
                {
                    ...pod(
                        "n",
                        [terminated("sidecar", 0, at(1), at(9))],
                        [terminated("app", 0, at(2), at(8))],
                        "Succeeded",
                    ),
                    spec: nativeSpec,
                },
            ],
        };

        it("passes as shown: classic never completes, native ran its sidecar first, stopped it after, completed", () => {
            const verdict = judgeNativeSidecar(classicRunning, nativeDone, at(38).getTime());
            assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "shown"], verdict.message);
            assert.match(verdict.message, /Classic: the app and the sidecar started together \(0 s apart\)/);
            assert.match(
                verdict.message,
                /exited 0 at 10:00:08, but the sidecar still runs, so Job lesson-classic-sidecar is not complete 30 s later/,
            );
            assert.match(verdict.message, /Native: the sidecar started at 10:00:01, 1 s before the app/);
            assert.match(
                verdict.message,
                /stopped after it, at 10:00:09, and Job lesson-native-sidecar completed at 10:00:11/,
            );
        });

        it("fails as running while the apps still write their lines", () => {
            const classic = {
                ...classicRunning,
                pods: [pod("c", [], [running("app", at(2)), running("sidecar", at(2))])],
            };
            const native = {
                ...nativeDone,
                job: job("lesson-native-sidecar"),
                pods: [{ ...pod("n", [running("sidecar", at(1))], [running("app", at(2))]), spec: nativeSpec }],
            };
            const verdict = judgeNativeSidecar(classic, native, at(5).getTime());
            assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "running"]);
        });

        it("fails as broken when the classic Job completed or the native sidecar started after the app", () => {
            const completed = { ...classicRunning, job: job("lesson-classic-sidecar", "Complete") };
            assert.strictEqual(judgeNativeSidecar(completed, nativeDone, 0).state, "broken");
            const late: ObservedJob = {
                ...nativeDone,
                pods: [
                    {
                        ...pod("n", [terminated("sidecar", 0, at(3), at(9))], [terminated("app", 0, at(2), at(8))]),
                        spec: nativeSpec,
                    },
                ],
            };
            const verdict = judgeNativeSidecar(classicRunning, late, 0);
            assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "broken"]);
            assert.match(verdict.message, /the app started before the native sidecar/);
        });

        it("says when the cluster runs the sidecar as a plain init container (no native sidecars)", () => {
            const old: ObservedJob = {
                ...nativeDone,
                job: job("lesson-native-sidecar"),
                pods: [
                    {
                        ...pod("n", [running("sidecar", at(1))], [waiting("app", "PodInitializing")]),
                        spec: { containers: [], initContainers: [{ name: "sidecar" }] },
                    },
                ],
            };
            const verdict = judgeNativeSidecar(classicRunning, old, 0);
            assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "broken"]);
            assert.match(verdict.message, /does not support native sidecars \(Kubernetes 1\.29\+\)/);
        });

        it("fails as missing when a Job does not exist", () => {
            const verdict = judgeNativeSidecar(
                { name: "lesson-classic-sidecar", job: undefined, pods: [] },
                nativeDone,
                0,
            );
            assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "missing"]);
            assert.match(verdict.message, /Job lesson-classic-sidecar does not exist/);
        });
    });
});
