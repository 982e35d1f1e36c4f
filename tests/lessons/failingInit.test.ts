import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { FailingInitLesson } from "../../components/lessons";
import {
    FAILING_INIT_SETTINGS,
    buildFailingInitPodSpec,
    checkConfigScript,
    failingInitCommands,
    resolveFailingInitSettings,
} from "../../components/lessons/failingInit";
import { checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../rejects";
import { findRecorded, isRecorded, promiseOf, registeredUrns, settle } from "../mocks";

describe("lesson failing-init", () => {
    describe("pure builders", () => {
        const settings = resolveFailingInitSettings("lesson-failing-init", {});

        it("defaults: the lesson's Pod, its ConfigMap, exit code 1, and never waited for", () => {
            assert.strictEqual(settings.podName, "lesson-failing-init");
            assert.strictEqual(settings.fixConfigMap, FAILING_INIT_SETTINGS.fixConfigMap.default);
            assert.strictEqual(settings.exitCode, 1);
            assert.strictEqual(settings.waitForReady, false, "up must not hang on a Pod that never gets Ready");
            assert.strictEqual(resolveFailingInitSettings("x", { waitForReady: true }).waitForReady, false);
        });

        it("mounts the ConfigMap as an optional volume where the step looks for the key", () => {
            const spec = buildFailingInitPodSpec(settings);
            assert.deepStrictEqual(spec.volumes, [
                { name: "fix", configMap: { name: "lesson-failing-init-fix", optional: true } },
            ]);
            const step = spec.initContainers![0];
            assert.strictEqual(step.name, "check-config");
            assert.deepStrictEqual(step.volumeMounts, [{ name: "fix", mountPath: "/etc/lesson", readOnly: true }]);
            assert.strictEqual(step.terminationMessagePolicy, "FallbackToLogsOnError");
            assert.strictEqual(step.image, "busybox:1.37.0");
            assert.deepStrictEqual(
                spec.containers!.map((c) => c.name),
                ["main-container"],
            );
            assert.deepStrictEqual(checkRestrictedSecurity("Pod", spec), [], "Pod Security restricted");
        });

        it("the step succeeds only when the key is mounted, and fails with the chosen exit code", () => {
            const script = checkConfigScript("my-fix", 3);
            assert.match(script, /if \[ -f \/etc\/lesson\/ready \]; then\n {2}echo "Found it[^\n]*\n {2}exit 0;/);
            assert.ok(script.trimEnd().endsWith("exit 3"), script);
            assert.match(script, /Create ConfigMap my-fix with key ready/);
        });

        it("exports the command that creates the ConfigMap, and one that deletes it", () => {
            const commands = failingInitCommands({ namespace: "lab-dev", context: "kind-lab-dev" }, settings);
            assert.deepStrictEqual(commands, {
                fix: "kubectl --context kind-lab-dev -n lab-dev create configmap lesson-failing-init-fix --from-literal=ready=yes",
                undo: "kubectl --context kind-lab-dev -n lab-dev delete configmap lesson-failing-init-fix --ignore-not-found",
            });
        });

        itRejectsEach((args) => resolveFailingInitSettings("lesson-failing-init", args as never), [
            [{ exitCode: 0 }, "exitCode"],
            [{ exitCode: 256 }, "exitCode"],
            [{ fixConfigMap: "Fix_Me" }, "fixConfigMap"],
            [{ fixConfigMap: "same", podName: "same" }, "fixConfigMap"],
            [{ podName: "Bad_Pod" }, "podName"],
        ] as const);
    });

    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("failing-init-tests", { kubeconfig: "fake" });

        it("creates the Pod under the lesson, through the provider, skipping the await, with its commands", async () => {
            const lesson = new FailingInitLesson(
                "unit-failing-init",
                { namespace: "lab-dev", kubeContext: "kind-lab-dev" },
                { provider },
            );
            const commands = await promiseOf(lesson.commands);
            // The mocked engine names only the immediate parent's type in a URN.
            assert.match(
                await promiseOf(lesson.pod.urn),
                /::initsidecarlab:lessons:FailingInit\$initsidecarlab:lessons:LessonPod::unit-failing-init$/,
            );
            assert.match(
                await promiseOf(lesson.pod.pod.urn),
                /::initsidecarlab:lessons:LessonPod\$kubernetes:core\/v1:Pod::unit-failing-init$/,
            );
            const pod = findRecorded("kubernetes:core/v1:Pod", "unit-failing-init");
            assert.strictEqual(pod.provider, `${await promiseOf(provider.urn)}::failing-init-tests-id`);
            const metadata = pod.inputs.metadata as { annotations?: Record<string, string>; namespace: string };
            assert.deepStrictEqual(metadata.annotations, { "pulumi.com/skipAwait": "true" });
            assert.strictEqual(metadata.namespace, "lab-dev");
            assert.deepStrictEqual(commands, {
                watch: "kubectl --context kind-lab-dev -n lab-dev get pod unit-failing-init -w",
                describe: "kubectl --context kind-lab-dev -n lab-dev describe pod unit-failing-init",
                logs: {
                    "check-config": "kubectl --context kind-lab-dev -n lab-dev logs unit-failing-init -c check-config",
                    "main-container":
                        "kubectl --context kind-lab-dev -n lab-dev logs unit-failing-init -c main-container",
                },
                fix: "kubectl --context kind-lab-dev -n lab-dev create configmap lesson-failing-init-fix --from-literal=ready=yes",
                undo: "kubectl --context kind-lab-dev -n lab-dev delete configmap lesson-failing-init-fix --ignore-not-found",
            });
        });

        it("throws a ResourceError naming the lesson before registering its Pod", async () => {
            assert.throws(
                () => new FailingInitLesson("failing-bad", { exitCode: 0 }, { provider }),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith('FailingInit "failing-bad": exitCode must be a whole number from 1 to 255'),
            );
            // The mocks record a resource only once its registration settles: wait, or this cannot fail.
            await settle();
            assert.ok(!isRecorded("kubernetes:core/v1:Pod", "failing-bad"));
            assert.ok(!registeredUrns().some((urn) => urn.endsWith("::failing-bad")));
        });
    });
});
