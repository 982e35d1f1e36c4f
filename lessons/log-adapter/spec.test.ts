import * as assert from "assert";
import { ADAPTER_SCRIPT, buildLogAdapterPodSpec, countingWriterScript, resolveLogAdapterSettings } from "./spec";
import { checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../../tests/rejects";

describe("lesson log-adapter", () => {
    describe("pure builders", () => {
        const settings = resolveLogAdapterSettings("lesson-log-adapter", {});

        it("the app and the adapter share the log directory; both are restricted", () => {
            const spec = buildLogAdapterPodSpec(settings);
            assert.deepStrictEqual(
                spec.containers!.map((c) => [c.name, c.volumeMounts]),
                [
                    ["main-container", [{ name: "shared-logs", mountPath: "/var/log/app" }]],
                    ["log-adapter", [{ name: "shared-logs", mountPath: "/var/log/app" }]],
                ],
            );
            assert.strictEqual(spec.initContainers, undefined);
            assert.deepStrictEqual(checkRestrictedSecurity("Pod", spec), []);
        });

        it("the app writes numbered lines at the interval; the adapter prints one JSON object a line", () => {
            const writer = countingWriterScript("Hi", 3);
            assert.match(writer, /echo "Hi \$i" >> \/var\/log\/app\/app.log;/);
            assert.match(writer, /sleep 3;/);
            assert.match(
                ADAPTER_SCRIPT,
                /^touch \/var\/log\/app\/app.log;\ntail -F \/var\/log\/app\/app.log \| while IFS= read -r line; do\n/,
            );
            assert.ok(
                ADAPTER_SCRIPT.includes(
                    `printf '{"time":"%s","source":"main-container","message":"%s"}\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$escaped";`,
                ),
                ADAPTER_SCRIPT,
            );
            assert.ok(
                ADAPTER_SCRIPT.includes(`sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g'`),
                "escapes backslashes, then quotes",
            );
        });

        itRejectsEach((args) => resolveLogAdapterSettings("lesson-log-adapter", args as never), [
            [{ message: 'a "b"' }, "message"],
            [{ intervalSeconds: 0 }, "intervalSeconds"],
        ] as const);
    });
});
