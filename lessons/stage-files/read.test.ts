import { STAGE_FILES_SETTINGS, pageHeading, stagedBySentence } from "./spec";
import { resolveSettings } from "../../components/settings";
import * as assert from "assert";
import { at, fakeLessonReader, pod, running, terminated } from "../shared/testPods";
import { stageFilesCheck } from "./read";

describe("lesson stage-files: what verify reads", () => {
    const staged = (ready: boolean) => {
        const p = pod(
            "lesson-stage-files",
            [terminated("stage-site", 0, at(1), at(2))],
            [running("web", at(3), { ready })],
        );
        return { ...p, status: { ...p.status, conditions: [{ type: "Ready", status: ready ? "True" : "False" }] } };
    };

    it("fetches the page from the web container on the lesson's port once the Pod is Ready", async () => {
        const { title } = resolveSettings(STAGE_FILES_SETTINGS, {});
        const page = {
            ok: true as const,
            body: `${pageHeading(title)}<p>${stagedBySentence("lesson-stage-files")}</p>`,
        };
        const reader = fakeLessonReader(staged(true), { page });
        const input = await stageFilesCheck(Date.now, resolveSettings(STAGE_FILES_SETTINGS, {})).read(reader);
        assert.deepStrictEqual(input.page, page);
        assert.deepStrictEqual(reader.calls, [
            "pod lesson-stage-files",
            "fetch lesson-stage-files/web :8080/index.html",
        ]);
        assert.strictEqual(
            stageFilesCheck(Date.now, resolveSettings(STAGE_FILES_SETTINGS, {})).judge(input, 0).state,
            "served",
        );
    });

    it("fetches nothing while the Pod is not Ready", async () => {
        const reader = fakeLessonReader(staged(false));
        const input = await stageFilesCheck(Date.now, resolveSettings(STAGE_FILES_SETTINGS, {})).read(reader);
        assert.strictEqual(input.page, undefined);
        assert.deepStrictEqual(reader.calls, ["pod lesson-stage-files"]);
    });
});
