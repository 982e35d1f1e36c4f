import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { ImagesDeps, imagesMain, renderImageList, usedByText } from "../../classroom/images";
import { IMAGES_USAGE, parseImagesArgs } from "../../classroom/imagesArgs";
import { UsageError } from "../../classroom/args";
import { DEFAULT_IMAGE } from "../../components/podDefaults";
import { LESSON_NAMES } from "../../lessons";
import { Runner } from "../../lab/imageHost";

/** A fake Docker holding `images`; pull fails as it does with no registry; every call recorded. */
function fakeDocker(images: string[], opts: { pullWorks?: boolean } = {}) {
    const have = new Set(images);
    const calls: string[][] = [];
    const run: Runner = (command, args) => {
        calls.push([command, ...args]);
        if (command !== "docker") throw new Error(`unexpected ${command}`);
        if (args[0] === "image" && args[1] === "inspect") {
            const image = args[args.length - 1];
            return have.has(image)
                ? { ok: true, output: "sha256:1\n" }
                : { ok: false, output: `Error: No such image: ${image}\n` };
        }
        if (args[0] === "pull") {
            if (opts.pullWorks) {
                have.add(args[1]);
                return { ok: true, output: "" };
            }
            return {
                ok: false,
                output: 'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host\n',
            };
        }
        if (args[0] === "save") return { ok: true, output: "" };
        if (args[0] === "load") {
            have.add(DEFAULT_IMAGE);
            return { ok: true, output: `Loaded image: ${DEFAULT_IMAGE}\n` };
        }
        throw new Error(`unexpected docker ${args.join(" ")}`);
    };
    return { run, calls };
}

function deps(run: Runner, env: Record<string, string> = {}, files: Record<string, Record<string, unknown>> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const d: ImagesDeps = {
        run,
        env,
        cwd: "/work/class",
        out: (t) => void out.push(t),
        err: (t) => void err.push(t),
        stackFile: (stack) => files[stack] ?? {},
    };
    return { d, out: () => out.join(""), err: () => err.join("") };
}

describe("classroom images", () => {
    describe("the command line", () => {
        it("parses each command, a FILE for save and load, and --stack", () => {
            assert.deepStrictEqual(parseImagesArgs(["list"]), { verb: "list", stack: undefined });
            assert.deepStrictEqual(parseImagesArgs(["pull", "--stack", "alice"]), { verb: "pull", stack: "alice" });
            assert.deepStrictEqual(parseImagesArgs(["save", "x.tar"]), {
                verb: "save",
                file: "x.tar",
                stack: undefined,
            });
            assert.deepStrictEqual(parseImagesArgs(["load", "x.tar"]), {
                verb: "load",
                file: "x.tar",
                stack: undefined,
            });
            assert.deepStrictEqual(parseImagesArgs(["--help"]), { verb: "help" });
        });

        const bad: [string[], RegExp][] = [
            [
                [],
                /images needs a command: list, pull, save, load; got none\. Example: npm run classroom -- images list/,
            ],
            [["push"], /got "push"\. Example/],
            [
                ["save"],
                /images save needs the archive's file name\. Example: npm run classroom -- images save class-images\.tar/,
            ],
            [
                ["load", "a.tar", "b.tar"],
                /Unexpected argument "b\.tar"\. Example: npm run classroom -- images load a\.tar/,
            ],
            [["list", "extra"], /Unexpected argument "extra"/],
            [
                ["list", "--stak", "dev"],
                /Unknown option '--stak'.*Example: npm run classroom -- images list --stack dev/,
            ],
            [["list", "--stack", ""], /--stack needs a name\. Example: --stack dev/],
        ];
        for (const [argv, message] of bad) {
            it(`refuses ${JSON.stringify(argv)} with a usage error and an example`, () => {
                assert.throws(
                    () => parseImagesArgs(argv),
                    (e: Error) => e instanceof UsageError && message.test(e.message),
                );
            });
        }

        it("its usage fits 80 columns", () => {
            for (const line of IMAGES_USAGE.split("\n")) assert.ok(line.length <= 80, line);
        });
    });

    it("list: every image, what uses it and whether Docker has it; the way to fetch those missing", () => {
        const { d, out } = deps(fakeDocker([]).run);
        assert.strictEqual(imagesMain(["list"], d), 0);
        const text = out();
        assert.match(
            text,
            new RegExp(
                `^${DEFAULT_IMAGE.replace(/\./g, "\\.")}\\s+pod\\s+missing\\s+init-test, sidecar-test, ${LESSON_NAMES.length} lessons$`,
                "m",
            ),
        );
        assert.match(text, /kind's node image: kind's own default/);
        assert.match(
            text,
            /Fetch them: npm run classroom -- images pull \(needs a registry\)\nor, offline: npm run classroom -- images load FILE/,
        );
        for (const line of text.split("\n")) assert.ok(line.length <= 80, line);
    });

    it("list: kind's node image when the environment names it, and a Docker that has everything", () => {
        const env = { LAB_KIND_NODE_IMAGE: "lab.local/kind-node:v1.37.2" };
        const { d, out } = deps(fakeDocker([DEFAULT_IMAGE, env.LAB_KIND_NODE_IMAGE]).run, env);
        assert.strictEqual(imagesMain(["list"], d), 0);
        assert.match(out(), /^lab\.local\/kind-node:v1\.37\.2\s+node\s+present\s+kind node$/m);
        assert.match(out(), /Docker has every image/);
        assert.doesNotMatch(out(), /kind's own default/);
    });

    it("list --stack: that stack's images", () => {
        const { d, out } = deps(fakeDocker([]).run, {}, { alice: { "init-sidecar-lab:image": "busybox:1.36.1" } });
        imagesMain(["list", "--stack", "alice"], d);
        assert.match(out(), /^busybox:1\.36\.1\s+pod\s+missing\s+init-test, sidecar-test$/m);
        const bad = deps(fakeDocker([]).run, {}, { bob: { "init-sidecar-lab:image": "busybox latest" } });
        assert.throws(() => imagesMain(["list", "--stack", "bob"], bad.d), /--stack bob: The lab's configuration/);
    });

    it("pull: pulls only what Docker lacks; without a registry, fails naming the image and Docker's error", () => {
        const docker = fakeDocker([]);
        const { d, err } = deps(docker.run, { LAB_KIND_NODE_IMAGE: "lab.local/kind-node:v1" });
        assert.strictEqual(imagesMain(["pull"], d), 1);
        assert.match(
            err(),
            new RegExp(
                `error: docker pull ${DEFAULT_IMAGE.replace(/\./g, "\\.")} failed: Error response from daemon: .*no such host`,
            ),
        );
        assert.match(err(), /2 images could not be pulled: is a registry reachable from here\?/);
        const pulled = fakeDocker([DEFAULT_IMAGE], { pullWorks: true });
        const ok = deps(pulled.run, { LAB_KIND_NODE_IMAGE: "lab.local/kind-node:v1" });
        assert.strictEqual(imagesMain(["pull"], ok.d), 0);
        assert.deepStrictEqual(
            pulled.calls.filter((c) => c[1] === "pull"),
            [["docker", "pull", "lab.local/kind-node:v1"]],
        );
    });

    it("save: one docker save of every image, to FILE where the user typed it; nothing when one is missing", () => {
        const docker = fakeDocker([DEFAULT_IMAGE]);
        const { d, out } = deps(docker.run);
        assert.strictEqual(imagesMain(["save", "class.tar"], d), 0);
        assert.deepStrictEqual(docker.calls.pop(), ["docker", "save", "-o", "/work/class/class.tar", DEFAULT_IMAGE]);
        assert.match(
            out(),
            /Saved 1 image to \/work\/class\/class\.tar; on the other machine: npm run classroom -- images load class\.tar/,
        );
        const empty = fakeDocker([]);
        const missing = deps(empty.run);
        assert.strictEqual(imagesMain(["save", "class.tar"], missing.d), 1);
        assert.match(missing.err(), /nothing saved: Missing from Docker: busybox:1\.37\.0/);
        assert.ok(!empty.calls.some((c) => c[1] === "save"));
    });

    it("load: docker load -i FILE, then what Docker has now", () => {
        const docker = fakeDocker([]);
        const { d, out } = deps(docker.run);
        assert.strictEqual(imagesMain(["load", "class.tar"], d), 0);
        assert.deepStrictEqual(docker.calls[0], ["docker", "load", "-i", "/work/class/class.tar"]);
        assert.match(out(), /^busybox:1\.37\.0\s+pod\s+present/m);
    });

    it("says Docker cannot be asked when it is not installed", () => {
        const { d, out } = deps(() => undefined);
        assert.strictEqual(imagesMain(["list"], d), 1);
        assert.match(out(), /Docker cannot be asked: docker is not installed\./);
    });

    it("counts lessons past two, naming fewer", () => {
        assert.strictEqual(usedByText(["a", "lesson x", "lesson y"]), "a, lesson x, lesson y");
        assert.strictEqual(usedByText(["a", "lesson x", "lesson y", "lesson z"]), "a, 3 lessons");
        assert.match(renderImageList([], { present: [], missing: [] }, true), /^IMAGE/);
    });
});

describe("npm run classroom -- images (the script)", function () {
    this.timeout(60_000);
    const run = (...args: string[]) =>
        spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "classroom/cli.ts", "images", ...args], {
            cwd: path.join(__dirname, "..", ".."),
            encoding: "utf8",
        });

    it("answers --help with its own usage, and bad usage with exit 2 and an example", () => {
        const help = run("--help");
        assert.strictEqual(help.status, 0, help.stderr);
        assert.strictEqual(help.stdout, IMAGES_USAGE);
        const bad = run("save");
        assert.strictEqual(bad.status, 2);
        assert.match(bad.stderr, /images save needs the archive's file name\. Example: /);
    });
});
