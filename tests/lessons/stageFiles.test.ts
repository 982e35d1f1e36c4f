import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { StageFilesLesson } from "../../components/lessons";
import {
    buildStageFilesPodSpec,
    resolveStageFilesSettings,
    stageFilesCommands,
    stageScript,
    stagedBySentence,
    webScript,
} from "../../components/lessons/stageFiles";
import { checkRestrictedSecurity } from "../../policy/policies";
import { itRejectsEach } from "../rejects";
import { findRecorded, promiseOf } from "../mocks";

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

        it("exports port-forward, curl and exec commands that read the page", () => {
            assert.deepStrictEqual(stageFilesCommands({ namespace: "lab-dev" }, "lesson-stage-files", settings), {
                portForward: "kubectl -n lab-dev port-forward pod/lesson-stage-files 8080:8080",
                openPage: "curl -s http://localhost:8080/",
                readPage: "kubectl -n lab-dev exec lesson-stage-files -c web -- wget -qO- http://localhost:8080/",
            });
        });

        itRejectsEach((args) => resolveStageFilesSettings("lesson-stage-files", args as never), [
            [{ port: 80 }, "port"],
            [{ port: 70000 }, "port"],
            [{ title: "$(id)" }, "title"],
        ] as const);
    });

    describe("component (mocked engine)", () => {
        const provider = new k8s.Provider("stage-tests", { kubeconfig: "fake" });

        it("creates the Pod through the provider and waits for it to be Ready by default", async () => {
            const lesson = new StageFilesLesson("unit-stage", { namespace: "lab-dev" }, { provider });
            const commands = await promiseOf(lesson.commands);
            const pod = findRecorded("kubernetes:core/v1:Pod", "unit-stage");
            assert.strictEqual(pod.provider, `${await promiseOf(provider.urn)}::stage-tests-id`);
            assert.strictEqual((pod.inputs.metadata as { annotations?: object }).annotations, undefined);
            assert.strictEqual(
                commands.readPage,
                "kubectl -n lab-dev exec unit-stage -c web -- wget -qO- http://localhost:8080/",
            );
        });
    });
});
