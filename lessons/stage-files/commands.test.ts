import * as assert from "assert";
import { resolveStageFilesSettings } from "./spec";
import { stageFilesCommands } from "./commands";

describe("lesson stage-files", () => {
    describe("commands", () => {
        const settings = resolveStageFilesSettings("lesson-stage-files", {});

        it("exports port-forward, curl and exec commands that read the page", () => {
            assert.deepStrictEqual(stageFilesCommands({ namespace: "lab-dev" }, "lesson-stage-files", settings), {
                portForward: "kubectl -n lab-dev port-forward pod/lesson-stage-files 8080:8080",
                openPage: "curl -s http://localhost:8080/",
                readPage: "kubectl -n lab-dev exec lesson-stage-files -c web -- wget -qO- http://localhost:8080/",
            });
        });
    });
});
