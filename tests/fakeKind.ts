import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Installs tests/fixtures/fake-kind.js as an executable named `kind` in a
 * fresh directory, and points it at a fresh state and argv log.
 */
export class FakeKind {
    readonly dir: string;
    /** Full path of the fake `kind` executable. */
    readonly kindPath: string;
    private readonly statePath: string;
    private readonly logPath: string;

    constructor() {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kind-"));
        this.kindPath = path.join(this.dir, "kind");
        this.statePath = path.join(this.dir, "state.json");
        this.logPath = path.join(this.dir, "argv.log");
        fs.copyFileSync(path.join(__dirname, "fixtures", "fake-kind.js"), this.kindPath);
        fs.chmodSync(this.kindPath, 0o755);
        this.reset();
    }

    /** Sets the environment the fake reads (the provider runs kind with this process's environment). */
    activate(docker: "up" | "down" = "up", failingVerb = ""): void {
        process.env.FAKE_KIND_STATE = this.statePath;
        process.env.FAKE_KIND_LOG = this.logPath;
        process.env.FAKE_KIND_DOCKER = docker;
        process.env.FAKE_KIND_FAIL = failingVerb;
    }

    reset(clusters: string[] = []): void {
        const state = { clusters: Object.fromEntries(clusters.map((c) => [c, { image: "", config: "" }])) };
        fs.writeFileSync(this.statePath, JSON.stringify(state));
        fs.writeFileSync(this.logPath, "");
    }

    /** Every argv kind was run with, in order. */
    calls(): string[][] {
        return this.records().map((r) => r.argv);
    }

    /** The kind config file's text as `create cluster` read it. */
    lastConfig(): string | undefined {
        return this.records()
            .map((r) => r.config)
            .filter((c) => c !== undefined)
            .pop();
    }

    clusters(): string[] {
        return Object.keys(JSON.parse(fs.readFileSync(this.statePath, "utf8")).clusters).sort();
    }

    /** Removes a cluster behind the provider's back, as `kind delete cluster` in another shell would. */
    deleteOutOfBand(name: string): void {
        const state = JSON.parse(fs.readFileSync(this.statePath, "utf8"));
        delete state.clusters[name];
        fs.writeFileSync(this.statePath, JSON.stringify(state));
    }

    dispose(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    private records(): { argv: string[]; config?: string }[] {
        return fs
            .readFileSync(this.logPath, "utf8")
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => JSON.parse(l));
    }
}
