import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { SidecarDemoPod } from "../components";
import {
    buildSidecarDemoPodSpec,
    logDirectory,
    resolveSidecarDemoPodSettings,
    tailerScript,
    writerScript,
} from "../components/sidecarDemoPod";
import { Container } from "../components/podDefaults";
import { itRejectsEach } from "./rejects";
import { findRecorded, isRecorded, promiseOf } from "./mocks";

describe("SidecarDemoPod", () => {
    describe("buildSidecarDemoPodSpec (pure)", () => {
        it("renders the guide's sidecar-test Pod with no arguments: two containers on a shared emptyDir", () => {
            const settings = resolveSidecarDemoPodSettings("sidecar-test", {});
            assert.strictEqual(settings.podName, "sidecar-test");
            const spec = buildSidecarDemoPodSpec(settings);
            assert.deepStrictEqual(spec.volumes, [{ name: "shared-logs", emptyDir: {} }]);
            assert.strictEqual(spec.initContainers, undefined);
            const [main, sidecar] = spec.containers as Container[];
            assert.strictEqual(main.name, "main-container");
            assert.deepStrictEqual(main.command, [
                "sh",
                "-c",
                'while true; do\n  echo "Hello Container" >> /var/log/app.log;\n  sleep 5;\ndone\n',
            ]);
            assert.strictEqual(sidecar.name, "sidecar-container");
            assert.deepStrictEqual(sidecar.command, [
                "sh",
                "-c",
                "touch /var/log/app.log;\ntail -f /var/log/app.log\n",
            ]);
            for (const c of [main, sidecar]) {
                assert.deepStrictEqual(c.volumeMounts, [{ name: "shared-logs", mountPath: "/var/log/" }]);
                assert.strictEqual(c.image, "busybox:1.37.0");
            }
        });

        it("native mode runs the sidecar as an init container that restarts always, before the app", () => {
            const spec = buildSidecarDemoPodSpec(resolveSidecarDemoPodSettings("s", { sidecarMode: "native" }));
            const inits = spec.initContainers as (Container & { restartPolicy?: string })[];
            assert.deepStrictEqual(
                inits.map((c) => [c.name, c.restartPolicy]),
                [["sidecar-container", "Always"]],
            );
            assert.deepStrictEqual(
                (spec.containers as Container[]).map((c) => c.name),
                ["main-container"],
            );
            assert.deepStrictEqual(inits[0].command, ["sh", "-c", tailerScript("/var/log/app.log")]);
        });

        it("classic mode never sets a container restartPolicy", () => {
            const spec = buildSidecarDemoPodSpec(resolveSidecarDemoPodSettings("s", { sidecarMode: "classic" }));
            for (const c of spec.containers as (Container & { restartPolicy?: string })[]) {
                assert.strictEqual(c.restartPolicy, undefined);
            }
        });

        it("uses the message, interval and log path it is given, mounting the log's directory", () => {
            const settings = resolveSidecarDemoPodSettings("s", {
                message: "Hi from the app",
                intervalSeconds: 2,
                logPath: "/data/logs/demo.log",
            });
            const spec = buildSidecarDemoPodSpec(settings);
            const [main, sidecar] = spec.containers as Container[];
            assert.deepStrictEqual(main.command, [
                "sh",
                "-c",
                writerScript("Hi from the app", "/data/logs/demo.log", 2),
            ]);
            assert.match(
                (main.command as string[])[2],
                /echo "Hi from the app" >> \/data\/logs\/demo\.log;\n {2}sleep 2;/,
            );
            assert.deepStrictEqual(sidecar.volumeMounts, [{ name: "shared-logs", mountPath: "/data/logs/" }]);
            assert.strictEqual(logDirectory("/var/log/app.log"), "/var/log/");
        });

        itRejectsEach((args) => resolveSidecarDemoPodSettings("sidecar-test", args as never), [
            [{ sidecarMode: "sideways" }, "sidecarMode"],
            [{ intervalSeconds: 0 }, "intervalSeconds"],
            [{ message: 'say "hi"' }, "message"],
            [{ message: "$(reboot)" }, "message"],
            [{ message: "" }, "message"],
            [{ logPath: "app.log" }, "logPath"],
            [{ logPath: "/app.log" }, "logPath"],
            [{ logPath: "/var/log/" }, "logPath"],
            [{ logPath: "/var/../etc/passwd" }, "logPath"],
            [{ waitForReady: "yes" }, "waitForReady"],
        ] as const);
    });

    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("sidecar-tests", { kubeconfig: "fake" });

        it("creates the Pod as a child, through the given provider, and exports streaming log commands", async () => {
            const demo = new SidecarDemoPod(
                "unit-sidecar",
                { podName: "sidecar-test", namespace: "lab-dev", kubeContext: "kind-lab-dev" },
                { provider },
            );
            const podUrn = await promiseOf(demo.pod.urn);
            assert.match(podUrn, /::initsidecarlab:pods:SidecarDemoPod\$kubernetes:core\/v1:Pod::unit-sidecar$/);
            const recorded = findRecorded("kubernetes:core/v1:Pod", "unit-sidecar");
            assert.strictEqual(recorded.provider, `${await promiseOf(provider.urn)}::sidecar-tests-id`);
            assert.deepStrictEqual(await promiseOf(demo.logCommands), {
                "main-container": "kubectl --context kind-lab-dev -n lab-dev logs sidecar-test -c main-container",
                "sidecar-container":
                    "kubectl --context kind-lab-dev -n lab-dev logs sidecar-test -c sidecar-container -f",
            });
            assert.strictEqual(
                await promiseOf(demo.watchCommand),
                "kubectl --context kind-lab-dev -n lab-dev get pod sidecar-test -w",
            );
            assert.strictEqual(
                await promiseOf(demo.describeCommand),
                "kubectl --context kind-lab-dev -n lab-dev describe pod sidecar-test",
            );
        });

        it("sends native mode's sidecar to the engine as a restartPolicy: Always init container", async () => {
            const demo = new SidecarDemoPod("sidecar-native", { sidecarMode: "native" }, { provider });
            await promiseOf(demo.podName);
            const spec = findRecorded("kubernetes:core/v1:Pod", "sidecar-native").inputs.spec as {
                initContainers: { name: string; restartPolicy: string }[];
            };
            assert.deepStrictEqual(
                spec.initContainers.map((c) => [c.name, c.restartPolicy]),
                [["sidecar-container", "Always"]],
            );
        });

        it("throws a ResourceError naming the component for a bad value", () => {
            assert.throws(
                () => new SidecarDemoPod("sidecar-bad", { sidecarMode: "sidecar" as never }, { provider }),
                (err: Error) =>
                    err instanceof pulumi.ResourceError &&
                    err.message.startsWith(
                        'SidecarDemoPod "sidecar-bad": sidecarMode must be one of "classic", "native"',
                    ),
            );
            assert.ok(
                !isRecorded("kubernetes:core/v1:Pod", "sidecar-bad"),
                "no Pod is registered for a component that failed validation",
            );
        });
    });
});
