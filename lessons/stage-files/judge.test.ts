import * as assert from "assert";
import { at, pod, running, terminated } from "../shared/testPods";
import { judgeStageFiles } from "./judge";

describe("lesson stage-files: the judge (pure)", () => {
    /** What a stack deployed with the lesson's defaults. */
    const deployed = { title: "Staged by an init container" };
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
        const verdict = judgeStageFiles(served(), "lesson-stage-files", { ok: true, body: page }, deployed);
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "served"]);
        assert.match(
            verdict.message,
            /started at 10:00:03, serves the page the init step "stage-site" wrote into the shared emptyDir at 10:00:01/,
        );
    });

    it("fails on another Pod's page, an unreachable server, or a server not Ready yet", () => {
        const other = page.replace("Pod lesson-stage-files", "Pod elsewhere");
        assert.strictEqual(
            judgeStageFiles(served(), "lesson-stage-files", { ok: true, body: other }, deployed).state,
            "wrong-page",
        );
        const down = judgeStageFiles(
            served(),
            "lesson-stage-files",
            { ok: false, error: "HTTP 503: no endpoints" },
            deployed,
        );
        assert.deepStrictEqual([down.status, down.state], ["fail", "unreachable"]);
        assert.match(down.message, /HTTP 503/);
        assert.strictEqual(judgeStageFiles(served(false), "lesson-stage-files", undefined, deployed).state, "starting");
    });

    it("follows the deployed title: a page under another heading is the wrong page", () => {
        const verdict = judgeStageFiles(
            served(),
            "x",
            { ok: true, body: page.replace("Pod lesson-stage-files", "Pod x") },
            {
                title: "Assets from the init step",
            },
        );
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "wrong-page"]);
        assert.match(
            verdict.message,
            /^Pod x: the page's heading is not the deployed title "Assets from the init step"; got "<html>/,
        );
        const retitled = page.replace("Staged by an init container", "Assets from the init step");
        const asDeployed = judgeStageFiles(
            served(),
            "lesson-stage-files",
            { ok: true, body: retitled },
            {
                title: "Assets from the init step",
            },
        );
        assert.deepStrictEqual([asDeployed.status, asDeployed.state], ["pass", "served"]);
        assert.match(asDeployed.message, /: "Assets from the init step", "Written by init container stage-site/);
    });
});
