import * as assert from "assert";
import { resolveFailingInitSettings } from "./spec";
import { failingInitCommands } from "./commands";

describe("lesson failing-init", () => {
    describe("commands", () => {
        const settings = resolveFailingInitSettings("lesson-failing-init", {});

        it("exports the command that creates the ConfigMap, and one that deletes it", () => {
            const commands = failingInitCommands({ namespace: "lab-dev", context: "kind-lab-dev" }, settings);
            assert.deepStrictEqual(commands, {
                fix: "kubectl --context kind-lab-dev -n lab-dev create configmap lesson-failing-init-fix --from-literal=ready=yes",
                undo: "kubectl --context kind-lab-dev -n lab-dev delete configmap lesson-failing-init-fix --ignore-not-found",
            });
        });
    });
});
