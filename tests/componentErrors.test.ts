import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { InitDemoPod, KindCluster, LabNamespace, SidecarDemoPod, StudentNamespace } from "../components";
import { dependingOn } from "../components/inputs";
import { FailingInitLesson } from "../lessons/failing-init/component";
import { LogAdapterLesson } from "../lessons/log-adapter/component";
import { MetricsExporterLesson } from "../lessons/metrics-exporter/component";
import { NativeSidecarLesson } from "../lessons/native-sidecar/component";
import { StageFilesLesson } from "../lessons/stage-files/component";
import { WaitForServiceLesson } from "../lessons/wait-for-service/component";
import { checkLimitOrder, DEFAULT_STUDENT_LIMITS } from "../components/studentPolicies";
import { findRecorded, promiseOf, recorded, registeredUrns, settle } from "./mocks";

/**
 * A bad argument to a component stops it before it registers: the error names the component,
 * the setting, the bad value (cut when long) and a good example, and hides its stack, so the
 * engine prints that message alone (no trace, no dump of the resource).
 */

const provider = new k8s.Provider("component-errors", { kubeconfig: "fake" });
const server = "https://203.0.113.10:6443";

const CASES: {
    type: string;
    name: string;
    create: (name: string) => unknown;
    /** What the message must hold: the setting's rule, the value as shown, the example. */
    says: string[];
}[] = [
    {
        type: "InitDemoPod",
        name: "err-init-nan",
        create: (n) => new InitDemoPod(n, { initDelaySeconds: NaN }, { provider }),
        says: ["initDelaySeconds must be a whole number from 0 to 3600", "got NaN.", "Example: 10"],
    },
    {
        type: "InitDemoPod",
        name: "err-init-timeout",
        create: (n) => new InitDemoPod(n, { readyTimeoutSeconds: 5 }, { provider }),
        says: ["readyTimeoutSeconds must be a whole number from 10 to 3600", "got 5.", "Example: 300"],
    },
    {
        type: "SidecarDemoPod",
        name: "err-sidecar-bin",
        create: (n) => new SidecarDemoPod(n, { logPath: "/bin/app.log" }, { provider }),
        says: ["logPath must be a file in a directory outside /bin", 'got "/bin/app.log"', "Example: /var/log/app.log"],
    },
    {
        type: "SidecarDemoPod",
        name: "err-sidecar-long",
        create: (n) => new SidecarDemoPod(n, { logPath: `/var/log/${"x".repeat(4000)}` }, { provider }),
        says: ["logPath must be a path of at most 1024 characters", "…(4009 chars)", "Example: /var/log/app.log"],
    },
    {
        type: "SidecarDemoPod",
        name: "err-sidecar-nul",
        create: (n) => new SidecarDemoPod(n, { message: "hi\u0000there" }, { provider }),
        says: ["message must be 1 to 200 characters", 'got "hi\\u0000there"', "Example: Hello Container"],
    },
    {
        type: "KindCluster",
        name: "err-kind-workers",
        create: (n) => new KindCluster(n, { workerNodes: 9 }),
        says: ["workerNodes must be a whole number from 0 to 5", "got 9.", "Example: 1"],
    },
    {
        type: "LabNamespace",
        name: "err-ns-system",
        create: (n) => new LabNamespace(n, { namespaceName: "kube-system" }, { provider }),
        says: ["namespaceName must be a namespace the lab may own", 'got "kube-system"', "Example: init-sidecar-lab"],
    },
    {
        type: "StudentNamespace",
        name: "err-student-server",
        create: (n) => new StudentNamespace(n, { cluster: { server: "203.0.113.10" } }, { provider }),
        says: ["cluster.server must be the API server's URL", 'got "203.0.113.10"', "Example: https://"],
    },
    {
        type: "StudentNamespace",
        name: "err-student-max",
        create: (n) => new StudentNamespace(n, { cluster: { server }, limits: { maxMemory: "16Mi" } }, { provider }),
        says: ["limits.maxMemory must be at least limits.defaultMemory (32Mi)", 'got "16Mi"', "Example: 32Mi"],
    },
    // The lessons: their own settings, and the demo Pods' settings they share.
    {
        type: "FailingInit",
        name: "err-failing-exit",
        create: (n) => new FailingInitLesson(n, { exitCode: 0 }, { provider }),
        says: ["exitCode must be a whole number from 1 to 255", "got 0.", "Example: 1"],
    },
    {
        type: "FailingInit",
        name: "err-failing-same",
        create: (n) => new FailingInitLesson(n, { fixConfigMap: n }, { provider }),
        says: [
            "fixConfigMap must be different from podName",
            'got "err-failing-same"',
            'Example: "err-failing-same-2"',
        ],
    },
    {
        type: "WaitForService",
        name: "err-wait-service",
        create: (n) => new WaitForServiceLesson(n, { serviceName: "lesson.backend" }, { provider }),
        says: ["serviceName must be a DNS-1123 label", 'got "lesson.backend"', "Example: lesson-backend"],
    },
    {
        type: "WaitForService",
        name: "err-wait-namespace",
        create: (n) => new WaitForServiceLesson(n, { namespace: "Lab Dev" }, { provider }),
        says: ["namespace must be a DNS-1123 label", 'got "Lab Dev"', "Example: init-sidecar-lab"],
    },
    {
        type: "StageFiles",
        name: "err-stage-port",
        create: (n) => new StageFilesLesson(n, { port: 80 }, { provider }),
        says: ["port must be a whole number from 1024 to 65535", "got 80.", "Example: 8080"],
    },
    {
        type: "LogAdapter",
        name: "err-adapter-long",
        create: (n) => new LogAdapterLesson(n, { message: "x".repeat(500) }, { provider }),
        says: ["message must be 1 to 200 characters", "…(500 chars)", "Example: Hello Container"],
    },
    {
        type: "MetricsExporter",
        name: "err-metrics-image",
        create: (n) => new MetricsExporterLesson(n, { image: "Bad Image" }, { provider }),
        says: ["image must be a container image reference", 'got "Bad Image"', "Example: busybox:1.37.0"],
    },
    {
        type: "MetricsExporter",
        name: "err-metrics-timeout",
        create: (n) => new MetricsExporterLesson(n, { readyTimeoutSeconds: 5000 }, { provider }),
        says: ["readyTimeoutSeconds must be a whole number from 10 to 3600", "got 5000.", "Example: 300"],
    },
    {
        type: "NativeSidecar",
        name: "err-native-lines",
        create: (n) => new NativeSidecarLesson(n, { lines: 101 }, { provider }),
        says: ["lines must be a whole number from 1 to 100", "got 101.", "Example: 3"],
    },
    {
        type: "NativeSidecar",
        name: "err-native-same",
        create: (n) => new NativeSidecarLesson(n, { nativeJobName: "lesson-classic-sidecar" }, { provider }),
        says: ["nativeJobName must be different from classicJobName", 'got "lesson-classic-sidecar"', "Example: "],
    },
    {
        type: "NativeSidecar",
        name: "err-native-context",
        create: (n) => new NativeSidecarLesson(n, { kubeContext: "kind lab" }, { provider }),
        says: ["kubeContext must be a non-empty value", 'got "kind lab"', "Example: kind-lab-dev"],
    },
];

describe("component errors (mocked engine)", () => {
    for (const { type, name, create, says } of CASES) {
        it(`${type}: ${says[0]}, before anything registers`, async () => {
            await settle();
            const before = recorded.length;
            assert.throws(
                () => create(name),
                (err: Error) => {
                    assert.ok(err instanceof pulumi.ResourceError, "a ResourceError");
                    assert.ok(err.message.startsWith(`${type} "${name}": `), err.message);
                    for (const part of says) assert.ok(err.message.includes(part), `"${part}" in ${err.message}`);
                    assert.ok(err.message.length < 400, "a long value is cut");
                    const fields = err as unknown as { hideStack?: boolean; resource?: unknown };
                    assert.strictEqual(fields.hideStack, true, "the engine prints the message without a stack");
                    assert.strictEqual(fields.resource, undefined, "nothing to dump: the component never registered");
                    return true;
                },
            );
            await settle();
            assert.deepStrictEqual(
                recorded.slice(before).map((r) => r.name),
                [],
            );
            assert.ok(!registeredUrns().some((u) => u.endsWith(`::${name}`)), "no URN for the component");
        });
    }

    it("blames the default when it was set above a max left at its default", () => {
        assert.throws(
            () => checkLimitOrder({ ...DEFAULT_STUDENT_LIMITS, defaultMemory: "256Mi" }, new Set(["defaultMemory"])),
            /^InvalidValueError: limits.defaultMemory must be at most limits.maxMemory \(128Mi\); got "256Mi"\. Example: 128Mi$/,
        );
        assert.throws(
            () => checkLimitOrder({ ...DEFAULT_STUDENT_LIMITS, maxCpu: "50m" }, new Set(["maxCpu"])),
            /limits.maxCpu must be at least limits.defaultCpu \(100m\); got "50m"/,
        );
        assert.doesNotThrow(() => checkLimitOrder({ ...DEFAULT_STUDENT_LIMITS }, new Set()));
    });

    it("dependingOn: what is made from the value waits for the resources", async () => {
        const ns = new LabNamespace("deps-ns", { namespaceName: "deps" }, { provider });
        const marker = new k8s.core.v1.Namespace("deps-marker", {}, { provider });
        const pod = new InitDemoPod("deps-pod", { namespace: dependingOn(ns.namespaceName, marker) }, { provider });
        assert.strictEqual(await promiseOf(pod.namespace), "deps");
        await settle();
        const dependencies = findRecorded("kubernetes:core/v1:Pod", "deps-pod").dependencies;
        for (const resource of [ns.namespace, marker]) {
            const urn = await promiseOf(resource.urn);
            assert.ok(dependencies.includes(urn), `${urn} in ${dependencies.join(", ")}`);
        }
    });
});
