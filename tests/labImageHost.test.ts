import * as assert from "assert";
import {
    Runner,
    ToolRun,
    dockerPresence,
    loadIntoContext,
    loadIntoKindCluster,
    loadStackImages,
} from "../lab/imageHost";

/** A fake host: Docker has `images`, kind lists `clusters`; every command run is recorded. */
function fakeHost(options: {
    images?: string[];
    clusters?: string[];
    docker?: "down" | "absent";
    loadFails?: boolean;
}) {
    const calls: string[][] = [];
    const run: Runner = (command, args): ToolRun | undefined => {
        calls.push([command, ...args]);
        if (command === "docker") {
            if (options.docker === "absent") return undefined;
            if (options.docker === "down")
                return { ok: false, output: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n" };
            const image = args[args.length - 1];
            return (options.images ?? []).includes(image)
                ? { ok: true, output: "sha256:1\n" }
                : { ok: false, output: `Error: No such image: ${image}\n` };
        }
        if (args[0] === "get" && args[1] === "clusters") {
            const clusters = options.clusters ?? [];
            return { ok: true, output: clusters.length ? clusters.join("\n") + "\n" : "No kind clusters found.\n" };
        }
        if (args[0] === "load") {
            return options.loadFails
                ? { ok: false, output: 'ERROR: failed to load image: command "docker save" failed\n' }
                : { ok: true, output: "" };
        }
        throw new Error(`unexpected: ${command} ${args.join(" ")}`);
    };
    return { run, calls };
}

const KUBECONFIG = (current: string) =>
    [
        "apiVersion: v1",
        "clusters:",
        "- cluster: {server: 'https://127.0.0.1:6443'}",
        "  name: kind-class",
        "- cluster: {server: 'https://10.0.0.1'}",
        "  name: prod",
        "contexts:",
        "- context: {cluster: kind-class, user: u}",
        "  name: kind-class",
        "- context: {cluster: prod, user: u}",
        "  name: prod",
        `current-context: ${current}`,
    ].join("\n");

describe("the lab's images on the host (lab/imageHost.ts)", () => {
    it("asks Docker about each image, telling present from missing", () => {
        const host = fakeHost({ images: ["busybox:1.37.0"] });
        assert.deepStrictEqual(dockerPresence(["busybox:1.37.0", "lab.local/x:1"], host.run), {
            present: ["busybox:1.37.0"],
            missing: ["lab.local/x:1"],
        });
        assert.deepStrictEqual(host.calls[0], ["docker", "image", "inspect", "--format", "{{.Id}}", "busybox:1.37.0"]);
    });

    it("says why Docker cannot be asked: not installed, or not answering", () => {
        assert.strictEqual(
            dockerPresence(["a:1"], fakeHost({ docker: "absent" }).run).problem,
            "docker is not installed",
        );
        assert.match(
            dockerPresence(["a:1"], fakeHost({ docker: "down" }).run).problem ?? "",
            /^docker does not answer \(Cannot connect to the Docker daemon/,
        );
    });

    it("loads into an existing kind cluster what Docker has, in one kind run, naming what it skipped", () => {
        const host = fakeHost({ images: ["busybox:1.37.0"] });
        const said = loadIntoKindCluster("kind", "lab-dev", ["busybox:1.37.0", "lab.local/x:1"], host.run);
        assert.deepStrictEqual(
            host.calls.filter((c) => c[0] === "kind"),
            [["kind", "load", "docker-image", "busybox:1.37.0", "--name", "lab-dev"]],
        );
        assert.match(
            said,
            /^images: kind cluster "lab-dev": loaded busybox:1\.37\.0 from the host's Docker; skipped lab\.local\/x:1/,
        );
    });

    it("says when kind's load failed, with kind's last line", () => {
        const said = loadIntoKindCluster(
            "kind",
            "lab-dev",
            ["busybox:1.37.0"],
            fakeHost({ images: ["busybox:1.37.0"], loadFails: true }).run,
        );
        assert.match(
            said,
            /could not load busybox:1\.37\.0 \(ERROR: failed to load image: command "docker save" failed\)/,
        );
    });

    describe("npm run up's step (loadStackImages)", () => {
        const env = {};
        it("kind mode, cluster not made yet: leaves it to the cluster's creation", () => {
            const host = fakeHost({ images: ["busybox:1.37.0"] });
            assert.strictEqual(
                loadStackImages("dev", env, host.run, {}),
                'images: kind cluster "lab-dev" does not exist yet; it loads them when it is created.',
            );
            assert.ok(!host.calls.some((c) => c[1] === "load"));
        });

        it("kind mode, cluster there: loads the stack's images with the stack's kind", () => {
            const host = fakeHost({ images: ["busybox:1.36.1"], clusters: ["lab-dev"] });
            const said = loadStackImages("dev", env, host.run, {
                "init-sidecar-lab:image": "busybox:1.36.1",
                "init-sidecar-lab:kindPath": "/opt/kind",
                "init-sidecar-lab:lessons": "all",
            });
            assert.deepStrictEqual(host.calls.pop(), [
                "/opt/kind",
                "load",
                "docker-image",
                "busybox:1.36.1",
                "--name",
                "lab-dev",
            ]);
            assert.match(said, /loaded busybox:1\.36\.1/);
        });

        it("existing mode: loads into a context that is a local kind cluster, not into any other", () => {
            const files: Record<string, string> = {
                "/k/class.yaml": KUBECONFIG("kind-class"),
                "/k/prod.yaml": KUBECONFIG("prod"),
            };
            const read = (f: string) => files[f];
            const host = fakeHost({ images: ["busybox:1.37.0"], clusters: ["class"] });
            assert.match(
                loadIntoContext("/k/class.yaml", undefined, ["busybox:1.37.0"], host.run, read),
                /kind cluster "class": loaded busybox:1\.37\.0/,
            );
            assert.deepStrictEqual(host.calls.pop(), [
                "kind",
                "load",
                "docker-image",
                "busybox:1.37.0",
                "--name",
                "class",
            ]);
            const other = fakeHost({ images: ["busybox:1.37.0"], clusters: ["class"] });
            assert.strictEqual(
                loadIntoContext("/k/prod.yaml", undefined, ["busybox:1.37.0"], other.run, read),
                'images: not loaded: context "prod" is not a local kind cluster, so its nodes pull busybox:1.37.0 from their registry.',
            );
            assert.ok(!other.calls.some((c) => c[1] === "load"));
        });

        it("a config with a problem loads nothing and leaves the naming to pulumi up", () => {
            const host = fakeHost({ images: ["busybox:1.37.0"], clusters: ["lab-dev"] });
            assert.match(
                loadStackImages("dev", env, host.run, { "init-sidecar-lab:image": "busybox latest" }),
                /config has a problem/,
            );
            assert.deepStrictEqual(host.calls, []);
        });
    });
});
