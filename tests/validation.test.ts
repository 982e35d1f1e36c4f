import * as assert from "assert";
import {
    InvalidValueError,
    RESERVED_DIRECTORIES,
    SHOWN_VALUE_MAX,
    describeValue,
    logFilePath,
    reservedDirectory,
    shellSafeText,
} from "../components/validation";

describe("validation", () => {
    describe("describeValue: the bad value as an error shows it", () => {
        it("shows strings as JSON, so quotes and control characters are visible", () => {
            assert.strictEqual(describeValue("a b"), '"a b"');
            assert.strictEqual(describeValue("a\u0000b\n"), '"a\\u0000b\\n"');
            assert.strictEqual(describeValue(undefined), "nothing");
            assert.strictEqual(describeValue(null), "null");
        });

        it("shows numbers JSON cannot spell as they are, not as null", () => {
            assert.strictEqual(describeValue(NaN), "NaN");
            assert.strictEqual(describeValue(Infinity), "Infinity");
            assert.strictEqual(describeValue(-Infinity), "-Infinity");
            assert.strictEqual(describeValue(2.5), "2.5");
        });

        it("cuts a long value after its first characters and gives its length", () => {
            const long = "x".repeat(5000);
            const shown = describeValue(long);
            assert.strictEqual(shown, `"${"x".repeat(SHOWN_VALUE_MAX)}"…(5000 chars)`);
            assert.strictEqual(describeValue("y".repeat(SHOWN_VALUE_MAX)), `"${"y".repeat(SHOWN_VALUE_MAX)}"`);
            const list = describeValue(Array.from({ length: 100 }, (_, i) => i));
            assert.ok(list.length < SHOWN_VALUE_MAX + 20 && /…\(\d+ chars\)$/.test(list), list);
        });

        it("is what every InvalidValueError says", () => {
            const err = new InvalidValueError("f", "z".repeat(300), "short", "ok");
            assert.strictEqual(
                err.message,
                `f must be short; got "${"z".repeat(SHOWN_VALUE_MAX)}"…(300 chars). Example: ok`,
            );
            assert.match(new InvalidValueError("n", NaN, "a number", "1").message, /got NaN\./);
        });
    });

    describe("logFilePath", () => {
        it("accepts a file in a directory of its own", () => {
            for (const ok of ["/var/log/app.log", "/tmp/x", "/data/logs/app.log", "/binaries/app.log", "/usrx/a"]) {
                assert.strictEqual(logFilePath("logPath", ok, "/var/log/app.log"), ok);
            }
        });

        it("refuses directories an emptyDir would hide or the runtime refuses, and inside them", () => {
            for (const dir of RESERVED_DIRECTORIES) {
                assert.strictEqual(reservedDirectory(dir), dir);
                assert.strictEqual(reservedDirectory(`${dir}/sub`), dir);
                assert.throws(
                    () => logFilePath("logPath", `${dir}/app.log`, "/var/log/app.log"),
                    (err: Error) =>
                        err.message.startsWith("logPath must be a file in a directory outside /bin") &&
                        err.message.includes(`which in ${dir} would hide`) &&
                        err.message.endsWith("Example: /var/log/app.log"),
                );
            }
            assert.strictEqual(reservedDirectory("/var/log"), undefined);
        });

        it("refuses a name longer than 255 bytes and an overlong path", () => {
            assert.ok(logFilePath("logPath", `/var/log/${"x".repeat(255)}`, "/a/b"));
            assert.throws(() => logFilePath("logPath", `/var/log/${"x".repeat(256)}`, "/a/b"), /at most 255/);
            assert.throws(() => logFilePath("logPath", `/var${"/x".repeat(600)}/a`, "/a/b"), /at most 1024 characters/);
        });
    });

    it("shellSafeText refuses NUL and every other control character", () => {
        for (const code of [0, 1, 7, 9, 10, 13, 27, 31, 127]) {
            assert.throws(
                () => shellSafeText("message", `a${String.fromCharCode(code)}b`, "Hello"),
                /message must be 1 to 200 characters on one line, without .* control characters/,
                `character ${code}`,
            );
        }
        assert.strictEqual(shellSafeText("message", "Hello, Container! (é)", "Hello"), "Hello, Container! (é)");
    });
});
