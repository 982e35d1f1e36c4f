import * as assert from "assert";
import {
    DEFAULT_PARALLEL,
    OPTIONS,
    USAGE,
    UsageError,
    checkSharedTopology,
    parseCommandLine,
    resolveRoster,
} from "../../classroom/args";
import { DEFAULT_CLASS } from "../../classroom/classes";
import { COMMANDS } from "../../classroom/plan";
import { RosterError } from "../../classroom/roster";

const usageError = (argv: string[], pattern: RegExp) =>
    assert.throws(
        () => parseCommandLine(argv),
        (err: Error) => err instanceof UsageError && pattern.test(err.message),
    );

describe("classroom command line", () => {
    it("parses up with a class, a shared topology and the options", () => {
        const options = parseCommandLine([
            "up",
            "--students",
            "alice,bob",
            "--topology",
            "shared",
            "--kubeconfig",
            "k.yaml",
            "--context",
            "ctx",
            "--parallel",
            "8",
            "--prune",
            "--no-refresh",
        ]);
        assert.strictEqual(options.command, "up");
        assert.deepStrictEqual(options.roster, { kind: "students", list: "alice,bob" });
        assert.deepStrictEqual(options.topology, { kind: "shared", kubeconfig: "k.yaml", context: "ctx" });
        assert.strictEqual(options.parallel, 8);
        assert.strictEqual(options.prune, true);
        assert.strictEqual(options.refresh, false);
    });

    it("defaults to a kind cluster per student, refresh, and 4 at a time", () => {
        const options = parseCommandLine(["preview", "--count", "3"]);
        assert.deepStrictEqual(options.topology, { kind: "cluster" });
        assert.strictEqual(options.parallel, DEFAULT_PARALLEL);
        assert.strictEqual(DEFAULT_PARALLEL, 4);
        assert.strictEqual(options.refresh, true);
    });

    it("answers --help and help", () => {
        assert.strictEqual(parseCommandLine(["--help"]).command, "help");
        assert.strictEqual(parseCommandLine(["help"]).command, "help");
        assert.strictEqual(parseCommandLine(["up", "-h"]).command, "help");
    });

    it("documents every command and option in the usage text", () => {
        for (const command of [...COMMANDS, "kubeconfig"]) assert.match(USAGE, new RegExp(`^ {2}${command} `, "m"));
        for (const option of Object.keys(OPTIONS)) assert.ok(USAGE.includes(`--${option}`), option);
    });

    describe("bad usage", () => {
        it("no command, an unknown one, or stray words", () => {
            usageError([], /Name a command/);
            usageError(["deploy"], /Unknown command "deploy"/);
            usageError(["up", "alice", "bob"], /Unexpected arguments "alice" "bob"/);
            usageError(["up", "--studnets", "a"], /Unknown option '--studnets'/);
        });

        it("up and preview without a class; destroy without a class or --all", () => {
            usageError(["up"], /up needs the class/);
            usageError(["preview", "--topology", "cluster"], /preview needs the class/);
            usageError(["destroy"], /--all/);
            assert.strictEqual(parseCommandLine(["destroy", "--all"]).all, true);
        });

        it("two ways of giving the class", () => {
            usageError(["up", "--students", "a", "--count", "2"], /not several/);
        });

        it("topology flags that do not go together", () => {
            usageError(["up", "--count", "2", "--topology", "shared"], /needs --kubeconfig/);
            usageError(["up", "--count", "2", "--kubeconfig", "k"], /go with --topology shared/);
            usageError(["up", "--count", "2", "--topology", "local"], /"cluster" or "shared"/);
        });

        for (const parallel of ["0", "65", "two", "1.5"]) {
            it(`--parallel ${parallel}`, () => usageError(["up", "--count", "2", "--parallel", parallel], /1 to 64/));
        }

        it("kubeconfig needs one --student; --student goes with kubeconfig only", () => {
            usageError(["kubeconfig"], /--student NAME/);
            usageError(["kubeconfig", "--student", "a", "--count", "2"], /one --student/);
            usageError(["up", "--count", "2", "--student", "a"], /--student goes with the kubeconfig command/);
            usageError(["up", "--count", "2", "--keep-stacks"], /--keep-stacks goes with destroy/);
            const options = parseCommandLine(["kubeconfig", "--student", "alice", "--out", "a.yaml"]);
            assert.deepStrictEqual([options.student, options.out], ["alice", "a.yaml"]);
        });
    });

    describe("a value starting with '-'", () => {
        it("says a student name cannot start with '-', with a name that would do", () => {
            usageError(["up", "--students", "-bob,alice"], /got "-bob"\. Example: bob$/);
            usageError(
                ["kubeconfig", "--student", "-bob"],
                /^--student must be a DNS-1123 label.*got "-bob"\. Example: bob$/,
            );
        });

        it("tells how to pass any other value that starts with '-'", () => {
            usageError(["up", "--roster", "-class.txt"], /^--roster -class\.txt: .*write --roster=-class\.txt$/);
            // Other parser errors keep one full stop before the hint.
            usageError(["up", "--nope"], /[^.]\. Run with --help for the options\.$/);
        });
    });

    describe("the class", () => {
        it("--class names the class (default: none, stacks named as before classes); a bad name is refused with the flag, the value and a good one", () => {
            assert.strictEqual(parseCommandLine(["up", "--count", "2"]).className, DEFAULT_CLASS);
            assert.strictEqual(parseCommandLine(["up", "--count", "2", "--class", "period3"]).className, "period3");
            usageError(
                ["up", "--count", "2", "--class", "Period-3"],
                /^--class must be a class name: .*got "Period-3"\. Example: period3$/,
            );
            usageError(["status", "--class", "3a"], /--class must be .*starting with a letter.*Example: a$/);
            usageError(["status", "--class", "a".repeat(13)], /at most 12 characters.*Example: a{12}$/);
        });

        it("checks the roster's names against the class: a longer class leaves less room", () => {
            const name = "n".repeat(30);
            assert.deepStrictEqual(
                resolveRoster({ kind: "students", list: name }, () => ""),
                [name],
            );
            assert.throws(
                () => resolveRoster({ kind: "students", list: name }, () => "", "period3"),
                (err: Error) => err instanceof RosterError && /at most 28 characters/.test(err.message),
            );
        });

        it("refuses a roster with duplicates or invalid names, every problem at once, naming where each is", () => {
            const read = () => "alice\nBob\nalice\n";
            assert.throws(
                () => resolveRoster({ kind: "roster", file: "class.txt" }, read),
                (err: Error) =>
                    err instanceof RosterError &&
                    /student name \(class\.txt:2\) must be .*got "Bob"\. Example: bob/.test(err.message) &&
                    /student "alice" is listed twice \(class\.txt:1 and class\.txt:3\).*Example: alice-2/.test(
                        err.message,
                    ),
            );
        });

        it("reads --roster through the given reader, naming an unreadable file and what to do", () => {
            const read = (file: string) => {
                if (file === "class.txt") return "alice\n# bob\ncarol\n";
                const code = file === "dir" ? "EISDIR" : file === "locked.txt" ? "EACCES" : "ENOENT";
                throw Object.assign(new Error(`${code}: cannot read ${file}`), { code });
            };
            const problem = (file: string, pattern: RegExp) =>
                assert.throws(
                    () => resolveRoster({ kind: "roster", file }, read),
                    (err: Error) => err instanceof UsageError && pattern.test(err.message),
                );
            problem(
                "missing.txt",
                /^The roster missing\.txt does not exist\. .*printf 'alice\\nbob\\n' > missing\.txt.*--students alice,bob$/,
            );
            problem("dir", /^The roster dir is a directory; .*Example: --roster class\.txt$/);
            problem(
                "locked.txt",
                /^Cannot read the roster locked\.txt \(EACCES: cannot read locked\.txt\)\. .*--students alice,bob$/,
            );
            assert.deepStrictEqual(resolveRoster({ kind: "roster", file: "class.txt" }, read), ["alice", "carol"]);
            assert.throws(() => resolveRoster({ kind: "students", list: "Alice" }, read), RosterError);
            assert.strictEqual(resolveRoster(undefined, read), undefined);
        });
    });

    describe("the shared topology", () => {
        it("makes the shared kubeconfig path absolute and checks it exists and is shell-safe", () => {
            const exists = (p: string) => p === "/home/me/.kube/shared.yaml" || p === "/work/k.yaml";
            const shared = (kubeconfig: string, context?: string) =>
                checkSharedTopology({ kind: "shared", kubeconfig, context }, "/work", "/home/me", exists);
            assert.deepStrictEqual(shared("k.yaml"), {
                kind: "shared",
                kubeconfig: "/work/k.yaml",
                context: undefined,
            });
            assert.strictEqual(
                (shared("~/.kube/shared.yaml") as { kubeconfig: string }).kubeconfig,
                "/home/me/.kube/shared.yaml",
            );
            assert.throws(() => shared("nope.yaml"), /does not exist/);
            assert.throws(() => shared("my file.yaml"), /--kubeconfig must be/);
            assert.throws(() => shared("k.yaml", "a;b"), /--context must be/);
            const cluster = { kind: "cluster" } as const;
            assert.strictEqual(
                checkSharedTopology(cluster, "/", "/", () => false),
                cluster,
            );
        });
    });
});
