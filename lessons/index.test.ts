import * as assert from "assert";
import { LESSON_NAMES, checkLessons } from ".";
import { closestKey, editDistance } from "../components/validation";
import { LabConfigError, parseLabConfig } from "../config";

describe("lessons registry and the `lessons` setting", () => {
    it("reads nothing, all, or names (spaces, repeats and order do not matter) into registry order", () => {
        assert.deepStrictEqual(checkLessons("lessons", ""), []);
        assert.deepStrictEqual(checkLessons("lessons", "all"), LESSON_NAMES);
        const reversed = [...LESSON_NAMES].reverse();
        assert.deepStrictEqual(checkLessons("lessons", ` ${reversed.join(" , ")},${reversed[0]}`), LESSON_NAMES);
        assert.deepStrictEqual(checkLessons("lessons", "failing-init"), ["failing-init"]);
    });

    it("rejects an unknown name, listing the valid ones and the closest match", () => {
        assert.throws(
            () => checkLessons("lessons", "failing-int"),
            (err: Error) =>
                err.message.startsWith("lessons must be") &&
                LESSON_NAMES.every((n) => err.message.includes(n)) &&
                err.message.includes('"failing-int" is not a lesson; did you mean "failing-init"?') &&
                err.message.endsWith("Example: failing-init"),
        );
        assert.throws(() => checkLessons("lessons", 3), /lessons must be "all" or lesson names/);
    });

    it("measures edit distance and picks the closest name", () => {
        assert.strictEqual(editDistance("kitten", "sitting"), 3);
        assert.strictEqual(editDistance("", "abc"), 3);
        assert.strictEqual(closestKey("faling-init", LESSON_NAMES), "failing-init");
    });

    it("the stack config reports a bad lessons value with the config command that fixes it, before anything is created", () => {
        assert.deepStrictEqual(parseLabConfig({}, "dev").lessons, []);
        assert.deepStrictEqual(parseLabConfig({ lessons: "all" }, "dev").lessons, LESSON_NAMES);
        assert.throws(
            () => parseLabConfig({ lessons: "failing-init,nope" }, "dev"),
            (err: Error) =>
                err instanceof LabConfigError &&
                err.message.includes("init-sidecar-lab:lessons must be") &&
                err.message.includes('"nope" is not a lesson') &&
                err.message.includes("Example: pulumi config set init-sidecar-lab:lessons"),
        );
    });
});
