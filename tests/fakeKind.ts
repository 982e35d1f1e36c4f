import * as fs from "fs";
import * as https from "https";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";

/** A CA, a server certificate for 127.0.0.1 and an admin client certificate, made for these tests only. */
const CERTS = path.join(__dirname, "fixtures", "fake-api");

/**
 * Installs tests/fixtures/fake-kind.js as an executable named `kind` in a
 * fresh directory, and points it at a fresh state and argv log. `startApi`
 * adds the API server its kubeconfig points at, with kind's inline certificates.
 */
export class FakeKind {
    readonly dir: string;
    /** Full path of the fake `kind` executable. */
    readonly kindPath: string;
    private readonly statePath: string;
    private readonly logPath: string;
    private api?: https.Server;
    private apiUrl = "";
    /** GET requests the API server answered, by path. */
    readonly apiRequests: string[] = [];
    /** The default ServiceAccount appears after this many requests for it (0: at once). */
    serviceAccountAfter = 0;

    constructor() {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kind-"));
        this.kindPath = path.join(this.dir, "kind");
        this.statePath = path.join(this.dir, "state.json");
        this.logPath = path.join(this.dir, "argv.log");
        fs.copyFileSync(path.join(__dirname, "fixtures", "fake-kind.js"), this.kindPath);
        fs.chmodSync(this.kindPath, 0o755);
        // A `docker` beside it, found when the test puts this directory first on PATH (withDockerImages).
        fs.copyFileSync(path.join(__dirname, "fixtures", "fake-docker.js"), path.join(this.dir, "docker"));
        fs.chmodSync(path.join(this.dir, "docker"), 0o755);
        this.reset();
    }

    /** Sets the environment the fake reads (the provider runs kind with this process's environment). */
    activate(docker: "up" | "down" = "up", failingVerb = ""): void {
        process.env.FAKE_KIND_STATE = this.statePath;
        process.env.FAKE_KIND_LOG = this.logPath;
        process.env.FAKE_KIND_DOCKER = docker;
        process.env.FAKE_KIND_FAIL = failingVerb;
        process.env.FAKE_KIND_CERTS = CERTS;
        process.env.FAKE_KIND_API = this.apiUrl;
    }

    /**
     * An HTTPS API server on 127.0.0.1 that the fake's kubeconfig names: it answers the default
     * ServiceAccount (200 after `serviceAccountAfter` requests for it, 404 before) and 404 elsewhere.
     */
    async startApi(): Promise<void> {
        const read = (file: string) => fs.readFileSync(path.join(CERTS, file));
        this.api = https.createServer({ key: read("server.key"), cert: read("server.crt") }, (req, res) => {
            this.apiRequests.push(req.url ?? "");
            const asked = this.apiRequests.filter((u) => u === req.url).length;
            const found =
                req.url === "/api/v1/namespaces/default/serviceaccounts/default" && asked > this.serviceAccountAfter;
            res.writeHead(found ? 200 : 404, { "content-type": "application/json" });
            res.end(found ? '{"kind":"ServiceAccount"}' : '{"kind":"Status","code":404}');
        });
        await new Promise<void>((resolve) => this.api!.listen(0, "127.0.0.1", resolve));
        this.apiUrl = `https://127.0.0.1:${(this.api.address() as AddressInfo).port}`;
        process.env.FAKE_KIND_API = this.apiUrl;
    }

    /**
     * Runs `fn` with the fake docker first on PATH, holding `images`: what the host's Docker has,
     * for `docker image inspect` and the fake kind's `load docker-image`.
     */
    async withDockerImages<T>(images: readonly string[], fn: () => Promise<T>): Promise<T> {
        const saved = { path: process.env.PATH, images: process.env.FAKE_DOCKER_IMAGES };
        process.env.PATH = `${this.dir}${path.delimiter}${saved.path}`;
        process.env.FAKE_DOCKER_IMAGES = images.join(",");
        try {
            return await fn();
        } finally {
            process.env.PATH = saved.path;
            if (saved.images === undefined) delete process.env.FAKE_DOCKER_IMAGES;
            else process.env.FAKE_DOCKER_IMAGES = saved.images;
        }
    }

    /** The images `kind load` put into a cluster. */
    loadedImages(cluster: string): string[] {
        return JSON.parse(fs.readFileSync(this.statePath, "utf8")).clusters[cluster]?.images ?? [];
    }

    reset(clusters: string[] = []): void {
        this.apiRequests.length = 0;
        this.serviceAccountAfter = 0;
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
        this.api?.close();
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
