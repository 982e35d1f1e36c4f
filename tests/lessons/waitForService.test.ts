import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { WaitForServiceLesson } from "../../components/lessons";
import {
    buildWaitForServicePodSpec,
    resolveWaitForServiceSettings,
    waitForServiceCommands,
    waitScript,
} from "../../components/lessons/waitForService";
import { checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../rejects";
import { findRecorded, promiseOf } from "../mocks";

describe("lesson wait-for-service", () => {
    describe("pure builders", () => {
        const settings = resolveWaitForServiceSettings("lesson-wait-for-service", {});

        it("defaults: Service lesson-backend in cluster.local, a lookup every 2 s, never waited for", () => {
            assert.deepStrictEqual(
                [
                    settings.podName,
                    settings.serviceName,
                    settings.clusterDomain,
                    settings.pollSeconds,
                    settings.waitForReady,
                ],
                ["lesson-wait-for-service", "lesson-backend", "cluster.local", 2, false],
            );
        });

        it("loops on nslookup of the Service's FQDN, its namespace from the downward API", () => {
            const script = waitScript(
                resolveWaitForServiceSettings("x", {
                    serviceName: "db",
                    pollSeconds: 5,
                    clusterDomain: "corp.internal",
                }),
            );
            assert.match(script, /^until nslookup db\.\$POD_NAMESPACE\.svc\.corp\.internal > \/dev\/null 2>&1; do\n/);
            assert.match(script, /\n {2}sleep 5;\ndone;\n/);
            const step = buildWaitForServicePodSpec(settings).initContainers![0];
            assert.strictEqual(step.name, "wait-for-service");
            assert.deepStrictEqual(step.env, [
                { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
            ]);
            assert.deepStrictEqual(checkRestrictedSecurity("Pod", buildWaitForServicePodSpec(settings)), []);
        });

        it("exports the commands that create and delete the Service", () => {
            assert.deepStrictEqual(waitForServiceCommands({ namespace: "lab-dev" }, settings), {
                createService: "kubectl -n lab-dev create service clusterip lesson-backend --tcp=80:80",
                deleteService: "kubectl -n lab-dev delete service lesson-backend --ignore-not-found",
            });
        });

        itRejectsEach((args) => resolveWaitForServiceSettings("lesson-wait-for-service", args as never), [
            [{ serviceName: "Backend" }, "serviceName"],
            [{ clusterDomain: "cluster..local" }, "clusterDomain"],
            [{ pollSeconds: 0 }, "pollSeconds"],
        ] as const);
    });

    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("wait-tests", { kubeconfig: "fake" });

        it("creates the Pod through the provider without awaiting it, and follows the waiting step's log", async () => {
            const lesson = new WaitForServiceLesson("unit-wait", { namespace: "lab-dev" }, { provider });
            const commands = await promiseOf(lesson.commands);
            const pod = findRecorded("kubernetes:core/v1:Pod", "unit-wait");
            assert.strictEqual(pod.provider, `${await promiseOf(provider.urn)}::wait-tests-id`);
            assert.deepStrictEqual((pod.inputs.metadata as { annotations: object }).annotations, {
                "pulumi.com/skipAwait": "true",
            });
            assert.deepStrictEqual(commands.logs, {
                "wait-for-service": "kubectl -n lab-dev logs unit-wait -c wait-for-service -f",
                "main-container": "kubectl -n lab-dev logs unit-wait -c main-container",
            });
            assert.strictEqual(
                commands.createService,
                "kubectl -n lab-dev create service clusterip lesson-backend --tcp=80:80",
            );
        });
    });
});
