import * as assert from "assert";
import { resolveWaitForServiceSettings } from "./spec";
import { waitForServiceCommands } from "./commands";

describe("lesson wait-for-service", () => {
    describe("commands", () => {
        const settings = resolveWaitForServiceSettings("lesson-wait-for-service", {});

        it("exports the commands that create and delete the Service", () => {
            assert.deepStrictEqual(waitForServiceCommands({ namespace: "lab-dev" }, settings), {
                createService: "kubectl -n lab-dev create service clusterip lesson-backend --tcp=80:80",
                deleteService: "kubectl -n lab-dev delete service lesson-backend --ignore-not-found",
            });
        });
    });
});
