import * as assert from "assert";
import { LAB_NODE_MAJOR } from "../../host/nodeVersion";
import * as fs from "fs";
import * as path from "path";
import {
    DoctorTarget,
    HostProbe,
    PREREQUISITES,
    ToolName,
    atLeast,
    diagnose,
    judgeImages,
    doctorExitCode,
    judgeClusterName,
    judgeInotify,
    judgeMemory,
    judgeTool,
    parseVersion,
    renderFindings,
    stateOwnsCluster,
    targetFromStackConfig,
} from "../../doctor/checks";
import { parseDoctorArgs } from "../../doctor/cli";
import type { LabImage } from "../../lab/images";

const GB = 1024 * 1024 * 1024;
const kindTarget: DoctorTarget = { stack: "dev", mode: "kind", clusterName: "lab-dev", kindPath: "kind", clusters: 1 };
const existingTarget: DoctorTarget = { stack: "dev", mode: "existing", kindPath: "kind", clusters: 1 };

/** A healthy host, as the probes would report it. */
const healthy = (): HostProbe => ({
    node: "v22.11.0",
    pulumi: { ok: true, output: "v3.274.0\n" },
    kind: { ok: true, output: "kind v0.29.0 go1.24.2 linux/amd64\n" },
    kubectl: { ok: true, output: "v1.33.1" },
    docker: { ok: true, output: "27.3.1\n" },
    totalMemoryBytes: 16 * GB,
    availableMemoryBytes: 8 * GB,
    maxUserWatches: 524288,
    maxUserInstances: 512,
    kindClusters: [],
    kubeContexts: ["docker-desktop"],
    stackOwnsCluster: false,
});

const levels = (probe: HostProbe, target = kindTarget) =>
    Object.fromEntries(diagnose(probe, target).map((f) => [f.id, f.level]));

describe("doctor: versions", () => {
    it("reads the version out of each tool's output", () => {
        assert.deepStrictEqual(parseVersion("kind v0.29.0 go1.24.2 linux/amd64"), [0, 29, 0]);
        assert.deepStrictEqual(parseVersion("v3.274.0"), [3, 274, 0]);
        assert.deepStrictEqual(parseVersion("Docker version 24.0"), [24, 0, 0]);
        assert.strictEqual(parseVersion("no digits"), undefined);
    });

    it("compares versions part by part, not as text", () => {
        assert.ok(atLeast([0, 29, 0], "0.20.0"));
        assert.ok(!atLeast([0, 9, 9], "0.20.0"));
        assert.ok(atLeast([20, 19, 0], "20.19.0"));
        assert.ok(!atLeast([20, 18, 9], "20.19.0"));
        assert.ok(atLeast([22, 0, 0], "20.19.0"));
    });

    it("the README's prerequisites table says the same minimum versions", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
        // A row's cells, with [text](link) reduced to its text.
        const rows = readme
            .split("\n")
            .filter((l) => l.startsWith("|"))
            .map((l) => l.split("|").map((c) => c.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").trim()));
        for (const tool of Object.keys(PREREQUISITES) as ToolName[]) {
            const req = PREREQUISITES[tool];
            const row = rows.find((cells) => cells[1]?.startsWith(req.name));
            assert.ok(row, `the README's table has a row for ${req.name}`);
            // The row names the doctor's minimum: "22", "3.x", "Engine 24+", "0.20 or newer", "1.29 or newer".
            const [major, minor] = parseVersion(req.min)!;
            const version = minor === 0 ? `${major}(\\.x|\\+|\\.0| )` : `${major}\\.${minor}(\\+|\\.0| |$)`;
            assert.match(
                row[2],
                new RegExp(`(^|[^\\d.])${version}`),
                `${req.name}: the README says "${row[2]}", the doctor ${req.min}`,
            );
        }
    });
});

describe("doctor: the tools", () => {
    it("a healthy host is ready: every finding ok, exit 0", () => {
        const findings = diagnose(healthy(), kindTarget);
        assert.deepStrictEqual(
            findings.map((f) => [f.id, f.level]),
            [
                ["node", "ok"],
                ["pulumi", "ok"],
                ["docker", "ok"],
                ["kind", "ok"],
                ["kubectl", "ok"],
                ["memory", "ok"],
                ["inotify", "ok"],
                ["cluster-name", "ok"],
                ["images", "ok"],
            ],
        );
        assert.strictEqual(doctorExitCode(findings), 0);
        assert.match(renderFindings(findings), /^ok {4}Node.js 22.11.0\n[\s\S]*\nReady for npm run up\.\n$/);
    });

    it("a missing Pulumi CLI fails, naming the fix and the install link", () => {
        const finding = judgeTool("pulumi", undefined, kindTarget);
        assert.strictEqual(finding.level, "fail");
        assert.match(finding.message, /Pulumi CLI is not installed \(pulumi is not on PATH\)/);
        assert.match(finding.fix!, /curl -fsSL https:\/\/get.pulumi.com \| sh/);
        assert.strictEqual(finding.link, PREREQUISITES.pulumi.install);
    });

    it("kind too old fails; Node.js below .nvmrc's major, Docker and kubectl too old only warn", () => {
        const node20 = judgeTool("node", { ok: true, output: "v20.20.2" }, kindTarget);
        assert.deepStrictEqual(
            [node20.level, node20.message],
            ["warn", `Node.js 20.20.2 is older than the lab needs (${LAB_NODE_MAJOR}).`],
        );
        assert.match(node20.fix!, /nvm install \(it reads \.nvmrc\), or .*eval "\$\(bash scripts\/node\.sh --env\)"/);
        assert.strictEqual(judgeTool("node", { ok: true, output: `v${LAB_NODE_MAJOR}.0.0` }, kindTarget).level, "ok");
        assert.strictEqual(judgeTool("node", undefined, kindTarget).level, "fail");
        const kind = judgeTool("kind", { ok: true, output: "kind v0.17.0 go1.19" }, kindTarget);
        assert.strictEqual(kind.level, "fail");
        assert.match(kind.message, /kind 0.17.0 is older than the lab needs \(0.20 or newer\)/);
        assert.strictEqual(judgeTool("docker", { ok: true, output: "19.03.15" }, kindTarget).level, "warn");
        assert.strictEqual(judgeTool("docker", { ok: true, output: "20.10.24" }, kindTarget).level, "ok");
        assert.strictEqual(judgeTool("kubectl", { ok: true, output: "v1.27.3" }, kindTarget).level, "warn");
    });

    it("Docker installed but not answering fails in kind mode, with how to start it", () => {
        const probe = {
            ...healthy(),
            docker: { ok: false, output: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n" },
        };
        const finding = diagnose(probe, kindTarget).find((f) => f.id === "docker")!;
        assert.strictEqual(finding.level, "fail");
        assert.match(finding.message, /daemon does not answer \(docker info: Cannot connect to the Docker daemon/);
        assert.match(finding.fix!, /systemctl start docker/);
        assert.strictEqual(doctorExitCode([finding]), 1);
    });

    it("kubectl missing is a warning: the lab deploys without it", () => {
        const probe = { ...healthy(), kubectl: undefined };
        assert.strictEqual(levels(probe).kubectl, "warn");
        assert.strictEqual(doctorExitCode(diagnose(probe, kindTarget)), 0);
    });

    it("with an existing cluster, neither kind nor Docker is needed", () => {
        const probe = { ...healthy(), kind: undefined, docker: { ok: false, output: "no daemon" } };
        const byId = levels(probe, existingTarget);
        assert.deepStrictEqual([byId.kind, byId.docker, byId["cluster-name"]], ["ok", "ok", "ok"]);
        assert.strictEqual(doctorExitCode(diagnose(probe, existingTarget)), 0);
        assert.strictEqual(levels({ ...healthy(), kind: undefined }, kindTarget).kind, "fail");
    });

    it("an unreadable version is a warning, not a guess", () => {
        assert.strictEqual(judgeTool("kind", { ok: true, output: "kind (devel)" }, kindTarget).level, "warn");
    });
});

describe("doctor: the host", () => {
    it("memory: enough, short now or past three quarters of the host (warn), or too little in all (fail)", () => {
        assert.strictEqual(judgeMemory(healthy(), kindTarget).level, "ok");
        const tight = { ...healthy(), availableMemoryBytes: 0.5 * GB };
        const warn = judgeMemory(tight, kindTarget);
        assert.strictEqual(warn.level, "warn");
        assert.match(warn.message, /1 kind cluster need about 650 MB; only 512 MB are available now/);
        const fail = judgeMemory({ ...healthy(), totalMemoryBytes: 8 * GB }, { ...kindTarget, clusters: 30 });
        assert.strictEqual(fail.level, "fail");
        assert.match(fail.message, /30 kind clusters need about 19500 MB; this host has 8192 MB in all/);
        assert.match(fail.fix!, /--topology shared/);
        const crowded = judgeMemory(healthy(), { ...kindTarget, clusters: 20 });
        assert.strictEqual(crowded.level, "warn");
        assert.match(
            crowded.message,
            /20 kind clusters need about 13000 MB, more than three quarters .* room for about 18/,
        );
        assert.strictEqual(judgeMemory(tight, existingTarget).level, "ok");
    });

    it("inotify limits below kind's advice are a warning with the sysctl command, never a failure", () => {
        const low = judgeInotify({ ...healthy(), maxUserWatches: 8192, maxUserInstances: 128 }, kindTarget);
        assert.strictEqual(low.level, "warn");
        assert.match(
            low.message,
            /max_user_watches=8192 \(kind advises 524288\), fs.inotify.max_user_instances=128 \(kind advises 512\)/,
        );
        assert.match(low.fix!, /^sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512/);
        assert.match(low.link!, /known-issues/);
        assert.strictEqual(doctorExitCode([low]), 0);
        assert.strictEqual(judgeInotify({ ...healthy(), maxUserWatches: undefined }, kindTarget).level, "ok");
    });
});

describe("doctor: the stack's cluster name", () => {
    it("free, or taken by a cluster this stack made: ok", () => {
        assert.match(judgeClusterName(healthy(), kindTarget).message, /"lab-dev" is free/);
        const own = { ...healthy(), kindClusters: ["lab-dev"], kubeContexts: ["kind-lab-dev"], stackOwnsCluster: true };
        assert.strictEqual(judgeClusterName(own, kindTarget).level, "ok");
    });

    it("a kind cluster the stack did not make fails, naming both ways out", () => {
        const taken = { ...healthy(), kindClusters: ["lab-dev"], stackOwnsCluster: false };
        const finding = judgeClusterName(taken, kindTarget);
        assert.strictEqual(finding.level, "fail");
        assert.match(finding.message, /a kind cluster named "lab-dev" already exists and stack dev did not create it/);
        assert.match(finding.fix!, /kind delete cluster --name lab-dev/);
        assert.match(finding.fix!, /pulumi config set init-sidecar-lab:clusterName lab-dev-2 --stack dev/);
    });

    it("when the state cannot be read, only a warning", () => {
        const unknown = { ...healthy(), kindClusters: ["lab-dev"], stackOwnsCluster: undefined };
        const finding = judgeClusterName(unknown, kindTarget);
        assert.strictEqual(finding.level, "warn");
        assert.match(finding.message, /state could not be read/);
    });

    it("a leftover kube context without its cluster is a warning", () => {
        const stale = { ...healthy(), kubeContexts: ["kind-lab-dev"] };
        const finding = judgeClusterName(stale, kindTarget);
        assert.strictEqual(finding.level, "warn");
        assert.match(finding.fix!, /kubectl config delete-context kind-lab-dev/);
    });

    it("finds the cluster in a checkpoint or a stack export", () => {
        const resource = {
            type: "pulumi-nodejs:dynamic/kind:Cluster",
            inputs: { clusterName: "lab-dev" },
            outputs: { clusterName: "lab-dev" },
        };
        assert.ok(stateOwnsCluster({ checkpoint: { latest: { resources: [resource] } } }, "lab-dev"));
        assert.ok(stateOwnsCluster({ deployment: { resources: [resource] } }, "lab-dev"));
        assert.ok(!stateOwnsCluster({ deployment: { resources: [resource] } }, "lab-other"));
        assert.ok(!stateOwnsCluster({ checkpoint: { latest: {} } }, "lab-dev"));
        assert.ok(!stateOwnsCluster({}, "lab-dev"));
    });
});

describe("doctor: what the stack will do", () => {
    it("kind mode by default, the cluster lab-<stack>, or the configured name and kind path", () => {
        assert.deepStrictEqual(targetFromStackConfig("alice", {}), {
            stack: "alice",
            mode: "kind",
            clusterName: "lab-alice",
            kindPath: "kind",
            clusters: 1,
        });
        const named = targetFromStackConfig("dev", {
            "init-sidecar-lab:clusterName": "mine",
            "init-sidecar-lab:kindPath": "/opt/kind",
            "other-project:clusterName": "ignored",
        });
        assert.deepStrictEqual([named.clusterName, named.kindPath], ["mine", "/opt/kind"]);
    });

    it("existing mode when a kubeconfig or context is set, even with another bad value", () => {
        assert.strictEqual(targetFromStackConfig("dev", { "init-sidecar-lab:kubeContext": "prod" }).mode, "existing");
        const bad = targetFromStackConfig("dev", {
            "init-sidecar-lab:kubeconfigPath": "~/.kube/config",
            "init-sidecar-lab:initDelaySeconds": "soon",
        });
        assert.strictEqual(bad.mode, "existing");
    });

    it("parses its arguments, rejecting a bad --clusters with an example", () => {
        assert.deepStrictEqual(parseDoctorArgs([], { LAB_STACK: "bob" }), { help: false, stack: "bob", clusters: 1 });
        assert.deepStrictEqual(parseDoctorArgs(["--stack", "x", "--clusters", "12"], {}), {
            help: false,
            stack: "x",
            clusters: 12,
        });
        assert.throws(
            () => parseDoctorArgs(["--clusters", "0"], {}),
            /--clusters must be a whole number from 1 to 200; got "0". Example: --clusters 12/,
        );
        assert.throws(() => parseDoctorArgs(["--nope"], {}), /Unknown option '--nope'/);
    });
});

describe("doctor: the stack's images", () => {
    const busybox: LabImage = { image: "busybox:1.37.0", runs: "pod", usedBy: ["init-test"] };
    const node: LabImage = { image: "lab.local/kind-node:v1.37.2", runs: "node", usedBy: ["kind node"] };
    const probe = (images: HostProbe["images"]): HostProbe => ({ ...healthy(), images });

    it("all in Docker: ok, up loads them and nothing is pulled", () => {
        const finding = judgeImages(
            probe({ list: [busybox, node], present: [busybox.image, node.image], missing: [] }),
            kindTarget,
        );
        assert.strictEqual(finding.level, "ok");
        assert.strictEqual(
            finding.message,
            "images: Docker has busybox:1.37.0, lab.local/kind-node:v1.37.2: up loads them, nothing is pulled",
        );
    });

    it("some missing: a warning naming present and missing, and the one command that fetches or loads them", () => {
        const finding = judgeImages(probe({ list: [busybox], present: [], missing: [busybox.image] }), {
            ...kindTarget,
            stack: "alice",
        });
        assert.strictEqual(finding.level, "warn");
        assert.strictEqual(
            finding.message,
            "images: missing busybox:1.37.0: the cluster's nodes will pull it, which needs a network; kind's node image: kind's default.",
        );
        assert.strictEqual(
            finding.fix,
            "npm run classroom -- images pull --stack alice (needs a registry), or offline: npm run classroom -- images load FILE",
        );
        assert.strictEqual(doctorExitCode([finding]), 0, "never stops up");
        const both = judgeImages(
            probe({ list: [busybox, node], present: [node.image], missing: [busybox.image] }),
            kindTarget,
        );
        assert.match(both.message, /^images: Docker has lab\.local\/kind-node:v1\.37\.2; missing busybox:1\.37\.0/);
    });

    it("Docker not asked, or a config with a problem: says so, without a verdict", () => {
        assert.match(judgeImages(probe({ list: [busybox] }), kindTarget).message, /Docker was not asked/);
        assert.match(
            judgeImages(probe(undefined), kindTarget).message,
            /not checked \(the stack's config has a problem/,
        );
    });
});
