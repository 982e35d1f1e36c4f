import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { checkChromium, inChromium, outputDir } from "./browser";
import { LabProject, REPO } from "./harness";
import { RealKind, tool } from "./realKind";

/**
 * A classroom of three in the shared topology, on a real kind cluster of a control plane and two
 * workers (a class past one machine runs on a cluster of several nodes): the classroom command
 * brings up a stack per student, the scheduler spreads their Pods over the workers, and the real
 * API server's RBAC, Pod Security admission and quota prove each student is kept to their corner.
 * A second class of one, run with nothing but the instructor's ClusterRole, cannot see the first.
 */
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

describe("a classroom of three on one shared cluster of three nodes (a real kind cluster)", () => {
    const students = ["alice", "bob", "carol"];
    let kind: RealKind;
    let node: { kubeconfig: string; context: string; cluster: string; kubectl: (...args: string[]) => string };
    let project: LabProject;

    const classroom = (...args: string[]) => project.classroom(...args);
    const kubeconfigOf = (student: string) => path.join(project.root, `${student}.kubeconfig`);
    /** kubectl with only the given kubeconfig (a student's, the instructor's). */
    const kubectlWith = (kubeconfig: string, args: string[], input?: string) => {
        const run = spawnSync(tool("kubectl"), ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", input });
        return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    };
    /** kubectl as a student, with only the kubeconfig the stack handed out. */
    const asStudent = (student: string, args: string[], input?: string) =>
        kubectlWith(kubeconfigOf(student), args, input);

    before(function () {
        this.timeout(600_000);
        kind = new RealKind("lab-classroom-");
        const cluster = kind.name("class");
        const made = kind.createCluster(cluster, 2);
        node = { ...made, cluster, kubectl: (...args) => kind.kubectl(made.context, ...args) };
        project = kind.project();
    });
    after(() => {
        project?.dispose();
        kind?.dispose();
    });

    it("classroom up brings up every student's stack, in parallel, and reports each", () => {
        const up = classroom(
            "up",
            ...["--students", students.join(","), "--topology", "shared"],
            ...["--kubeconfig", node.kubeconfig, "--context", node.context, "--parallel", "3"],
        );
        assert.strictEqual(up.status, 0, up.output);
        for (const student of students) assert.match(up.output, new RegExp(`${student}\\s.*created`), up.output);
        // Once for the shared kind cluster, before any student's stack: loaded if Docker has busybox, else named as skipped.
        assert.match(
            up.output,
            new RegExp(`^images: kind cluster "${node.cluster}": (loaded|skipped) busybox:1\\.37\\.0`, "m"),
        );
        for (const student of students) {
            const phases = node.kubectl(
                "-n",
                `lab-${student}`,
                "get",
                "pods",
                "-o",
                "jsonpath={.items[*].status.phase}",
            );
            assert.strictEqual(phases, "Running Running", `${student}'s Pods`);
        }
    });

    it("the scheduler spreads the students' Pods over the two workers", () => {
        const placed = node.kubectl(
            ...["get", "pods", "-A", "-l", "app.kubernetes.io/name=init-sidecar-lab"],
            ...["-o", "jsonpath={range .items[*]}{.metadata.namespace} {.spec.nodeName}{'\\n'}{end}"],
        );
        const rows = placed.split("\n").filter((l) => l !== "");
        assert.strictEqual(rows.length, 2 * students.length, placed);
        const nodes = new Set(rows.map((r) => r.split(" ")[1]));
        assert.ok(nodes.size > 1, `every Pod on one node:\n${placed}`);
        for (const name of nodes) assert.match(name, /-worker2?$/, "the control plane runs no student Pod");
    });

    it("each student's kubeconfig lists and reads the logs of their own Pods", () => {
        for (const student of students) {
            const out = classroom("kubeconfig", "--student", student, "--out", kubeconfigOf(student));
            assert.strictEqual(out.status, 0, out.output);
            const pods = asStudent(student, ["get", "pods", "-o", "name"]);
            assert.strictEqual(pods.stdout, "pod/init-test\npod/sidecar-test\n", pods.stderr);
            const logs = asStudent(student, ["logs", "init-test", "-c", "init-container"]);
            assert.strictEqual(logs.stdout, "Initialization started...\nInitialization completed.\n", logs.stderr);
        }
    });

    it("classroom dashboard --out: a row per student, each passing with both Pods drawn; a name without a stack is a row that says so", async function () {
        this.timeout(180_000);
        checkChromium();
        const dir = outputDir("classroom");
        const file = path.join(dir, "dashboard.html");
        // "dan" has no stack: his row says so, and the class's rows are read all the same.
        const run = classroom("dashboard", "--students", [...students, "dan"].join(","), "--out", file);
        assert.strictEqual(run.status, 0, run.output);
        assert.match(run.output, /3 of 4 students passed every check\.\nWrote /);
        const { result, requests } = await inChromium(file, async (page) => {
            // (Browser code as text: the project's TypeScript has no DOM types.)
            const rows = (await page.evaluate(`
                [...document.querySelectorAll("tr.student")].map((tr) => ({
                    student: tr.getAttribute("data-student"),
                    status: tr.getAttribute("data-status"),
                    why: tr.querySelector("td.why").textContent,
                    pods: [...tr.querySelectorAll("figure.pod")].map((f) => f.getAttribute("data-pod")),
                    bars: [...tr.querySelectorAll("rect.bar")].filter((r) => r.getBoundingClientRect().width > 0).length,
                }))`)) as { student: string; status: string; why: string; pods: string[]; bars: number }[];
            await page.screenshot({ path: path.join(dir, "dashboard.png"), fullPage: true });
            return rows;
        });
        assert.deepStrictEqual(
            result.map((r) => r.student),
            [...students, "dan"],
        );
        for (const row of result.slice(0, 3)) {
            assert.strictEqual(row.status, "passed", `${row.student}: ${row.why}`);
            assert.deepStrictEqual(row.pods, ["init-test", "sidecar-test"], row.student);
            // Two containers in each Pod, one run each: four bars laid out.
            assert.strictEqual(row.bars, 4, row.student);
        }
        assert.deepStrictEqual(result[3], {
            student: "dan",
            status: "no stack",
            why: "no stack (not deployed yet: run classroom up)",
            pods: [],
            bars: 0,
        });
        assert.deepStrictEqual(requests, [], "the page asked the network for nothing");
    });

    it("is Forbidden from another student's namespace and from cluster-scoped objects", () => {
        const other = asStudent("alice", ["-n", "lab-bob", "get", "pods"]);
        assert.notStrictEqual(other.status, 0);
        assert.match(other.stderr, /Forbidden.*cannot list resource "pods".*in the namespace "lab-bob"/);
        const logs = asStudent("alice", ["-n", "lab-bob", "logs", "init-test", "-c", "init-container"]);
        assert.match(logs.stderr, /Forbidden/);
        const namespace = asStudent("alice", ["create", "namespace", "alice-was-here"]);
        assert.match(namespace.stderr, /Forbidden.*cannot create resource "namespaces"/);
        const nodes = asStudent("alice", ["get", "nodes"]);
        assert.match(nodes.stderr, /Forbidden.*cannot list resource "nodes"/);
        assert.ok(!node.kubectl("get", "namespaces", "-o", "name").includes("alice-was-here"));
    });

    it("the admission controller rejects a Pod that breaks Pod Security restricted", () => {
        const unrestricted = JSON.stringify({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "unrestricted" },
            spec: {
                containers: [
                    {
                        name: "c",
                        image: "busybox:1.37.0",
                        command: ["sleep", "60"],
                        // No securityContext at all: root allowed, privilege escalation allowed, no seccomp.
                        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "10m", memory: "16Mi" } },
                    },
                ],
            },
        });
        const create = asStudent("alice", ["create", "-f", "-"], unrestricted);
        assert.notStrictEqual(create.status, 0);
        assert.match(create.stderr, /violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    });

    it("the namespace's quota is enforced", () => {
        const container = (name: string) => ({
            name,
            image: "busybox:1.37.0",
            command: ["sleep", "60"],
            securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                runAsNonRoot: true,
                runAsUser: 65534,
                seccompProfile: { type: "RuntimeDefault" },
            },
            resources: { requests: { cpu: "10m", memory: "128Mi" }, limits: { cpu: "10m", memory: "128Mi" } },
        });
        // Two containers at the LimitRange's per-container maximum: 256Mi more requested memory
        // than the lab's Pods use, more than the quota leaves.
        const greedy = JSON.stringify({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "greedy" },
            spec: { containers: [container("a"), container("b")] },
        });
        const create = asStudent("alice", ["create", "-f", "-"], greedy);
        assert.notStrictEqual(create.status, 0);
        assert.match(create.stderr, /exceeded quota.*requests\.memory/);
    });

    // A second class on the same cluster, run with only the instructor's ClusterRole.
    const instructorKubeconfig = () => path.join(project.root, "instructor.kubeconfig");
    const other = ["--class", "other"];

    it("the cluster's admin grants an instructor the ClusterRole of docs/classroom-scale.md, and no more", () => {
        node.kubectl("apply", "-f", path.join(REPO, "classroom", "instructor-role.yaml"));
        node.kubectl("-n", "kube-system", "create", "serviceaccount", "instructor");
        node.kubectl(
            ...["create", "clusterrolebinding", "lab-instructor", "--clusterrole=init-sidecar-lab-instructor"],
            "--serviceaccount=kube-system:instructor",
        );
        const token = node.kubectl("-n", "kube-system", "create", "token", "instructor", "--duration=2h").trim();
        const admin = parse(fs.readFileSync(node.kubeconfig, "utf8"));
        const cluster = admin.clusters.find((c: { name: string }) => c.name === node.context) ?? admin.clusters[0];
        fs.writeFileSync(
            instructorKubeconfig(),
            stringify({
                apiVersion: "v1",
                kind: "Config",
                clusters: [cluster],
                users: [{ name: "instructor", user: { token } }],
                contexts: [{ name: "instructor", context: { cluster: cluster.name, user: "instructor" } }],
                "current-context": "instructor",
            }),
            { mode: 0o600 },
        );
        const nodes = kubectlWith(instructorKubeconfig(), ["get", "nodes"]);
        assert.match(nodes.stderr, /Forbidden/, "not a cluster admin");
    });

    it("a second class (--class other) comes up with nothing but the instructor's ClusterRole", () => {
        const up = classroom(
            ...["up", ...other, "--students", "alice", "--topology", "shared"],
            ...["--kubeconfig", instructorKubeconfig()],
        );
        assert.strictEqual(up.status, 0, up.output);
        assert.match(up.output, /^alice +other-alice +created /m);
        const phases = node.kubectl("-n", "lab-other-alice", "get", "pods", "-o", "jsonpath={.items[*].status.phase}");
        assert.strictEqual(phases, "Running Running");
    });

    it("the two classes cannot see each other's students, by kubeconfig or by the classroom command", () => {
        const otherAlice = path.join(project.root, "other-alice.kubeconfig");
        const out = classroom("kubeconfig", ...other, "--student", "alice", "--out", otherAlice);
        assert.strictEqual(out.status, 0, out.output);
        assert.strictEqual(
            kubectlWith(otherAlice, ["get", "pods", "-o", "name"]).stdout,
            "pod/init-test\npod/sidecar-test\n",
        );
        const across = asStudent("alice", ["-n", "lab-other-alice", "get", "pods"]);
        assert.match(across.stderr, /Forbidden.*cannot list resource "pods".*in the namespace "lab-other-alice"/);
        const back = kubectlWith(otherAlice, ["-n", "lab-alice", "get", "pods"]);
        assert.match(back.stderr, /Forbidden.*in the namespace "lab-alice"/);

        const status = classroom("status");
        assert.strictEqual(status.status, 0, status.output);
        assert.match(status.output, /^3 student stacks: 3 ok\.$/m, status.output);
        assert.match(status.output, /not this class's \(left alone\): other-alice\./);
        const otherStatus = classroom("status", ...other);
        assert.match(otherStatus.output, /^1 student stack: 1 ok\.$/m, otherStatus.output);
    });

    it("destroy --all of one class leaves the other's students as they were", () => {
        const uids = () => node.kubectl("get", "pods", "-n", "lab-alice", "-o", "jsonpath={.items[*].metadata.uid}");
        const before = uids();
        const destroy = classroom("destroy", "--all", ...other);
        assert.strictEqual(destroy.status, 0, destroy.output);
        assert.match(destroy.output, /^alice +other-alice +destroyed /m);
        const namespaces = node.kubectl("get", "namespaces", "-o", "name");
        assert.ok(!namespaces.includes("lab-other-alice"), namespaces);
        for (const student of students) assert.ok(namespaces.includes(`lab-${student}`), namespaces);
        assert.strictEqual(uids(), before, "class's alice: the same Pods");
    });

    it("Ctrl-C halfway through classroom up: the running student finishes, the rest are not started, a rerun finishes the class", async function () {
        this.timeout(600_000);
        const uids = () => node.kubectl("get", "pods", "-n", "lab-alice", "-o", "jsonpath={.items[*].metadata.uid}");
        const before = uids();
        const half = [
            ...["up", "--class", "half", "--students", "dora,erin,finn", "--topology", "shared"],
            ...["--kubeconfig", node.kubeconfig, "--context", node.context],
        ];
        const run = project.classroomChild(...half, "--parallel", "1");
        // The first student's stack is under way (its progress lines begin): interrupt, as Ctrl-C would.
        const deadline = Date.now() + 180_000;
        while (!/^dora \| /m.test(run.output()) && Date.now() < deadline) await sleep(250);
        run.child.kill("SIGINT");
        const interrupted = await run.done;
        assert.strictEqual(interrupted.status, 130, interrupted.output);
        assert.match(interrupted.output, /^Interrupted: waiting for the running pulumi operations/m);
        assert.match(interrupted.output, /^Interrupted: 2 of 3 not started \(erin, finn\)/m, interrupted.output);
        assert.match(
            interrupted.output,
            /To finish the rest, run the same command again:\n {2}npm run classroom -- up --class half/,
        );

        const rerun = classroom(...half, "--parallel", "3");
        assert.strictEqual(rerun.status, 0, rerun.output);
        for (const student of ["erin", "finn"]) {
            assert.match(rerun.output, new RegExp(`^${student} +half-${student} +created `, "m"), rerun.output);
        }
        // dora's stack was finished by the interrupted run: the rerun converges it, it does not create it again.
        assert.match(rerun.output, /^dora +half-dora +(?!created )\S+ /m, rerun.output);
        const namespaces = node.kubectl("get", "namespaces", "-o", "name");
        for (const student of ["dora", "erin", "finn"])
            assert.ok(namespaces.includes(`lab-half-${student}`), namespaces);
        assert.strictEqual(uids(), before, "another class's student: the same Pods");
        const destroy = classroom("destroy", "--all", "--class", "half", "--parallel", "3");
        assert.strictEqual(destroy.status, 0, destroy.output);
    });

    it("classroom destroy leaves nothing behind: no namespace, no stack", () => {
        const destroy = classroom("destroy", "--students", students.join(","));
        assert.strictEqual(destroy.status, 0, destroy.output);
        const namespaces = node.kubectl("get", "namespaces", "-o", "name");
        assert.ok(namespaces.includes("namespace/default"), "the listing worked");
        for (const student of students) assert.ok(!namespaces.includes(`lab-${student}`), namespaces);
        const leftovers = node.kubectl(
            "get",
            "clusterroles,clusterrolebindings,pods",
            "-A",
            "-l",
            "app.kubernetes.io/name=init-sidecar-lab",
            "-o",
            "name",
        );
        assert.strictEqual(leftovers, "");
        const stacksDir = path.join(project.root, "state", ".pulumi", "stacks", "init-sidecar-lab");
        const stacks = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).filter((f) => f.endsWith(".json")) : [];
        assert.deepStrictEqual(stacks, []);
    });
});
