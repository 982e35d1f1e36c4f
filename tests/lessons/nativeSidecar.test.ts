import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { NativeSidecarLesson } from "../../components/lessons";
import {
    SIDECAR_SCRIPT,
    appScript,
    buildSidecarJob,
    nativeSidecarCommands,
    resolveNativeSidecarSettings,
} from "../../components/lessons/nativeSidecar";
import { checkPinnedImages, checkResourceBounds, checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../rejects";
import { findRecorded, isRecorded, promiseOf, registeredUrns, settle } from "../mocks";

type JobSpec = {
    backoffLimit: number;
    template: {
        spec: {
            restartPolicy: string;
            initContainers?: { name: string; restartPolicy?: string }[];
            containers: { name: string }[];
        };
    };
};

describe("lesson native-sidecar", () => {
    describe("pure builders", () => {
        const settings = resolveNativeSidecarSettings({});

        it("classic: app and tailer are two containers, and up never waits for the Job", () => {
            const job = buildSidecarJob(settings, "classic", "lab-dev");
            assert.strictEqual(job.metadata?.name, "lesson-classic-sidecar");
            assert.deepStrictEqual(job.metadata?.annotations, { "pulumi.com/skipAwait": "true" });
            const spec = job.spec!.template.spec!;
            assert.strictEqual(spec.initContainers, undefined);
            assert.deepStrictEqual(
                spec.containers.map((c) => c.name),
                ["app", "sidecar"],
            );
            assert.strictEqual(spec.restartPolicy, "Never");
            assert.strictEqual(job.spec!.backoffLimit, 0);
        });

        it("native: the tailer is a restartPolicy: Always init container, and up waits for completion", () => {
            const job = buildSidecarJob(settings, "native", "lab-dev");
            assert.strictEqual(job.metadata?.name, "lesson-native-sidecar");
            assert.strictEqual(job.metadata?.annotations, undefined);
            const spec = job.spec!.template.spec!;
            assert.deepStrictEqual(
                spec.initContainers!.map((c) => [c.name, c.restartPolicy]),
                [["sidecar", "Always"]],
            );
            assert.deepStrictEqual(
                spec.containers.map((c) => c.name),
                ["app"],
            );
            const noWait = buildSidecarJob(resolveNativeSidecarSettings({ waitForReady: false }), "native", "x");
            assert.deepStrictEqual(noWait.metadata?.annotations, { "pulumi.com/skipAwait": "true" });
        });

        it("both Pods pass the policy pack's Pod checks (restricted, pinned, bounded)", () => {
            for (const style of ["classic", "native"] as const) {
                const spec = buildSidecarJob(settings, style, "lab-dev").spec!.template.spec!;
                assert.deepStrictEqual(
                    [
                        ...checkRestrictedSecurity("Job", spec),
                        ...checkPinnedImages("Job", spec),
                        ...checkResourceBounds("Job", spec),
                    ],
                    [],
                );
            }
        });

        it("the app writes its lines and exits; the tailer exits 0 on the kubelet's SIGTERM", () => {
            const script = appScript(4, 1);
            assert.match(script, /while \[ \$i -le 4 \]; do/);
            assert.match(script, /sleep 1;/);
            assert.match(SIDECAR_SCRIPT, /^trap "exit 0" TERM;/);
            assert.match(SIDECAR_SCRIPT, /tail -f \/var\/log\/app\/app.log &\nwait\n$/);
        });

        it("exports watch, jobs, and per-Job describe, logs and start-time commands", () => {
            const c = nativeSidecarCommands({ namespace: "lab-dev" }, settings);
            assert.strictEqual(
                c.watch,
                "kubectl -n lab-dev get pods -l app.kubernetes.io/component=lesson-native-sidecar -w",
            );
            assert.strictEqual(
                c.jobs,
                "kubectl -n lab-dev get jobs -l app.kubernetes.io/component=lesson-native-sidecar",
            );
            assert.deepStrictEqual(c.logsNative, {
                app: "kubectl -n lab-dev logs job/lesson-native-sidecar -c app",
                sidecar: "kubectl -n lab-dev logs job/lesson-native-sidecar -c sidecar",
            });
            assert.match(
                String(c.startedAtClassic),
                /^kubectl -n lab-dev get pods -l job-name=lesson-classic-sidecar -o 'custom-columns=/,
            );
        });

        itRejectsEach((args) => resolveNativeSidecarSettings(args as never), [
            [{ lines: 0 }, "lines"],
            [{ intervalSeconds: 61 }, "intervalSeconds"],
            [{ classicJobName: "Classic" }, "classicJobName"],
            [{ classicJobName: "same", nativeJobName: "same" }, "nativeJobName"],
            [{ image: "busybox:" }, "image"],
        ] as const);
    });

    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("native-sidecar-tests", { kubeconfig: "fake" });

        it("creates both Jobs as its children, through the provider, in the namespace", async () => {
            const lesson = new NativeSidecarLesson("unit-native", { namespace: "lab-dev" }, { provider });
            const commands = await promiseOf(lesson.commands);
            assert.match(
                await promiseOf(lesson.nativeJob.urn),
                /::initsidecarlab:lessons:NativeSidecar\$kubernetes:batch\/v1:Job::unit-native-native$/,
            );
            for (const style of ["classic", "native"]) {
                const job = findRecorded("kubernetes:batch/v1:Job", `unit-native-${style}`);
                assert.strictEqual(job.provider, `${await promiseOf(provider.urn)}::native-sidecar-tests-id`);
                assert.strictEqual((job.inputs.metadata as { namespace: string }).namespace, "lab-dev");
                const spec = job.inputs.spec as JobSpec;
                assert.strictEqual(spec.template.spec.restartPolicy, "Never");
            }
            assert.strictEqual(commands.describeNative, "kubectl -n lab-dev describe job lesson-native-sidecar");
        });

        it("throws a ResourceError naming the lesson for a bad value, registering no Job", async () => {
            assert.throws(
                () => new NativeSidecarLesson("native-bad", { lines: 0 }, { provider }),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith('NativeSidecar "native-bad": lines must be a whole number from 1 to 100'),
            );
            // The mocks record a resource only once its registration settles: wait, or this cannot fail.
            await settle();
            assert.ok(!isRecorded("kubernetes:batch/v1:Job", "native-bad-native"));
            assert.ok(!isRecorded("kubernetes:batch/v1:Job", "native-bad-classic"));
            assert.ok(!registeredUrns().some((urn) => urn.endsWith("::native-bad")));
        });
    });
});
