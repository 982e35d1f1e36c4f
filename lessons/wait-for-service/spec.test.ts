import * as assert from "assert";
import { buildWaitForServicePodSpec, resolveWaitForServiceSettings, waitScript } from "./spec";
import { checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../../tests/rejects";

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

        itRejectsEach((args) => resolveWaitForServiceSettings("lesson-wait-for-service", args as never), [
            [{ serviceName: "Backend" }, "serviceName"],
            [{ clusterDomain: "cluster..local" }, "clusterDomain"],
            [{ pollSeconds: 0 }, "pollSeconds"],
        ] as const);
    });
});
