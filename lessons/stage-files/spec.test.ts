import * as assert from "assert";
import { buildStageFilesPodSpec, resolveStageFilesSettings, stageScript, stagedBySentence, webScript } from "./spec";
import { checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../../tests/rejects";

describe("lesson stage-files", () => {
    describe("pure builders", () => {
        const settings = resolveStageFilesSettings("lesson-stage-files", {});

        it("the init step writes the page into the emptyDir, the web server mounts it read-only", () => {
            const spec = buildStageFilesPodSpec(settings);
            assert.deepStrictEqual(spec.volumes, [{ name: "site", emptyDir: {} }]);
            const [step] = spec.initContainers!;
            const [web] = spec.containers!;
            assert.deepStrictEqual(step.volumeMounts, [{ name: "site", mountPath: "/site" }]);
            assert.deepStrictEqual(web.volumeMounts, [{ name: "site", mountPath: "/site", readOnly: true }]);
            assert.deepStrictEqual(web.ports, [{ name: "http", containerPort: 8080 }]);
            assert.deepStrictEqual(web.readinessProbe, {
                exec: { command: ["sh", "-c", "wget -q -O /dev/null http://127.0.0.1:8080/"] },
                periodSeconds: 2,
            });
            assert.deepStrictEqual(checkRestrictedSecurity("Pod", spec), []);
        });

        it("the page names the init container and the Pod (its hostname); httpd serves it in the foreground", () => {
            const script = stageScript("Hi");
            assert.ok(script.includes(`<h1>Hi</h1><p>${stagedBySentence("$(hostname)")} at $(date -u`), script);
            assert.match(script, /> \/site\/index.html;/);
            assert.strictEqual(stagedBySentence("p"), "Written by init container stage-site in Pod p");
            assert.match(webScript(9000), /exec httpd -f -v -p 9000 -h \/site\n$/);
        });

        itRejectsEach((args) => resolveStageFilesSettings("lesson-stage-files", args as never), [
            [{ port: 80 }, "port"],
            [{ port: 70000 }, "port"],
            [{ title: "$(id)" }, "title"],
        ] as const);
    });
});
