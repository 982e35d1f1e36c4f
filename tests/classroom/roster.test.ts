import * as assert from "assert";
import { stackScopedName } from "../../config";
import { kindClusterName } from "../../components/validation";
import {
    RosterError,
    STUDENT_NAME_MAX,
    checkStudentName,
    countedStudents,
    parseRosterText,
    parseStudentList,
    studentNameMax,
    suggestName,
} from "../../classroom/roster";

function problemsOf(fn: () => unknown): string[] {
    try {
        fn();
    } catch (err) {
        if (err instanceof RosterError) return err.problems;
        throw err;
    }
    assert.fail("expected a RosterError");
}

describe("classroom roster", () => {
    describe("--students", () => {
        it("splits on commas and trims spaces, keeping the order", () => {
            assert.deepStrictEqual(parseStudentList("alice, bob ,carol"), ["alice", "bob", "carol"]);
        });

        it("forgives a trailing comma", () => {
            assert.deepStrictEqual(parseStudentList("alice,bob,"), ["alice", "bob"]);
        });

        it("names the bad value, where it was and a valid example", () => {
            const [problem] = problemsOf(() => parseStudentList("alice,Bob_Smith"));
            assert.match(problem, /item 2/);
            assert.match(problem, /"Bob_Smith"/);
            assert.match(problem, /Example: bob-smith$/);
        });

        it("reports every problem at once", () => {
            const problems = problemsOf(() => parseStudentList("ok,-x,bad.name,ok"));
            assert.strictEqual(problems.length, 3, problems.join("\n"));
            assert.ok(problems.some((p) => /listed twice/.test(p) && /"ok"/.test(p)));
        });

        it("refuses an empty list", () => {
            assert.strictEqual(problemsOf(() => parseStudentList("")).length, 1);
        });
    });

    describe("names", () => {
        it(`accepts ${STUDENT_NAME_MAX} characters and refuses one more, since lab-<name> must fit kind`, () => {
            const longest = "a".repeat(STUDENT_NAME_MAX);
            assert.strictEqual(STUDENT_NAME_MAX, 36);
            assert.strictEqual(checkStudentName("student", longest), longest);
            assert.throws(
                () => checkStudentName("student", longest + "b"),
                (err: Error) =>
                    /at most 36 characters, so that the kind cluster and namespace "lab-<name>"/.test(err.message) &&
                    err.message.includes(`Example: ${longest}`),
            );
        });

        it("a longer class name leaves fewer characters for the student, and the roster says so", () => {
            const max = studentNameMax("period3");
            assert.strictEqual(max, 40 - "lab-period3-".length);
            const name = "b".repeat(max + 1);
            assert.strictEqual(checkStudentName("student", name), name, "fits the default class");
            assert.throws(() => parseStudentList(name, "period3"), /"lab-period3-<name>" stay within 40/);
        });

        it('refuses "dev", the lab\'s own stack', () => {
            assert.throws(() => checkStudentName("student", "dev"), /Example: dev-1/);
        });

        it("every accepted name keeps lab-<name> as the program's cluster and namespace name", () => {
            for (const name of ["a", "alice", "student-07", "x1-y2", "z".repeat(STUDENT_NAME_MAX)]) {
                checkStudentName("student", name);
                assert.strictEqual(stackScopedName(name), `lab-${name}`);
                assert.strictEqual(kindClusterName("cluster", `lab-${name}`), `lab-${name}`);
            }
        });

        it("suggests a valid name for any input", () => {
            for (const bad of ["Alice", "bob smith", "__", "dev", "Ünïcode", "-x-", "q".repeat(80)]) {
                const suggestion = suggestName(bad);
                assert.strictEqual(checkStudentName("student", suggestion), suggestion, bad);
            }
        });
    });

    describe("--roster file", () => {
        it("reads one name a line, ignoring comments and blank lines", () => {
            const text = "# class of 2026\nalice\n\n  bob   # sits at the back\r\n#carol\n   \ndave\n";
            assert.deepStrictEqual(parseRosterText(text, "class.txt"), ["alice", "bob", "dave"]);
        });

        it("points at the file and line of a bad or repeated name", () => {
            const problems = problemsOf(() => parseRosterText("alice\nBob\nalice\n", "class.txt"));
            assert.ok(
                problems.some((p) => p.includes("class.txt:2") && p.includes('"Bob"')),
                problems.join("\n"),
            );
            assert.ok(
                problems.some((p) => p.includes("class.txt:1 and class.txt:3")),
                problems.join("\n"),
            );
        });

        it("refuses a roster with no names", () => {
            const [problem] = problemsOf(() => parseRosterText("# nobody yet\n\n", "class.txt"));
            assert.match(problem, /class\.txt names no students/);
        });
    });

    describe("--count", () => {
        it("numbers students with at least two digits", () => {
            assert.deepStrictEqual(countedStudents("3"), ["student-01", "student-02", "student-03"]);
            const hundred = countedStudents(100);
            assert.strictEqual(hundred.length, 100);
            assert.strictEqual(hundred[0], "student-001");
            assert.strictEqual(hundred[99], "student-100");
        });

        for (const bad of ["0", "-2", "abc", "2.5", "1000", ""]) {
            it(`refuses --count ${JSON.stringify(bad)} with an example`, () => {
                const [problem] = problemsOf(() => countedStudents(bad));
                assert.match(problem, /^--count must be a whole number from 1 to 999; got .*Example: --count 12$/);
            });
        }
    });
});
