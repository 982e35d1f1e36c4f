import * as assert from "assert";
import { DEFAULT_CLASS, classFlag, classLabel, classTag, stackOf, studentOfStack } from "../../classroom/classes";

describe("classroom/classes", () => {
    it("without --class a student's stack is named after them alone and tagged as before classes existed", () => {
        // A class brought up before --class existed: stacks alice, bob tagged "true". A rerun must find them.
        assert.strictEqual(stackOf(DEFAULT_CLASS, "alice"), "alice");
        assert.strictEqual(classTag(DEFAULT_CLASS), "true");
        assert.strictEqual(studentOfStack(DEFAULT_CLASS, "alice", "true"), "alice");
        assert.strictEqual(studentOfStack(DEFAULT_CLASS, "dev"), "dev", "an untagged stack is listed, never managed");
        assert.strictEqual(classLabel(DEFAULT_CLASS), "the default class");
        assert.strictEqual(classFlag(DEFAULT_CLASS), "");
    });

    it("a named class prefixes its stacks and tags them with its name", () => {
        assert.strictEqual(stackOf("period3", "alice"), "period3-alice");
        assert.strictEqual(classTag("period3"), "period3");
        assert.strictEqual(studentOfStack("period3", "period3-alice", "period3"), "alice");
        assert.strictEqual(classLabel("period3"), 'class "period3"');
        assert.strictEqual(classFlag("period3"), " --class period3");
    });

    it("one class never takes another's stacks for its students", () => {
        assert.strictEqual(studentOfStack("period3", "alice", "true"), undefined, "not named as period3's");
        assert.strictEqual(
            studentOfStack("period3", "period3-alice", "true"),
            undefined,
            "tagged by the default class",
        );
        assert.strictEqual(studentOfStack("period3", "period4-alice", "period4"), undefined);
        assert.strictEqual(studentOfStack(DEFAULT_CLASS, "period3-alice", "period3"), undefined);
    });
});
