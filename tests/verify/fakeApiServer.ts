import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import type { AddressInfo } from "net";

/**
 * A tiny stand-in for a Kubernetes API server, over plain HTTP: serves the
 * Pods, events and logs it is given (lists filtered by simple `a=b`
 * selectors), so verify's CLI and observer run end to end in a unit test.
 * Each read of a log appends `appendPerRead` to it (a streaming sidecar). Asked for the
 * timestamps, it starts each line with the time `lineAt` gives (default: a line a second, the last now).
 */
export class FakeApiServer {
    readonly pods = new Map<string, unknown>();
    readonly logs = new Map<string, string>();
    events: unknown[] = [];
    appendPerRead = "";
    lineAt = (index: number, count: number) => Date.now() - (count - 1 - index) * 1000;
    requests: string[] = [];
    private server?: http.Server;
    private dir?: string;

    constructor(readonly namespace = "lab-dev") {}

    /** Starts listening; returns a kubeconfig file with context "fake" pointing at it. */
    async start(): Promise<string> {
        this.server = http.createServer((req, res) => this.answer(req, res));
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        const { port } = this.server.address() as AddressInfo;
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-fake-api-"));
        const file = path.join(this.dir, "kubeconfig");
        fs.writeFileSync(
            file,
            [
                "apiVersion: v1",
                "kind: Config",
                "clusters: [{name: fake, cluster: {server: 'http://127.0.0.1:" +
                    port +
                    "', insecure-skip-tls-verify: true}}]",
                "users: [{name: fake, user: {token: t}}]",
                "contexts: [{name: fake, context: {cluster: fake, user: fake}}]",
                "current-context: fake",
            ].join("\n"),
        );
        return file;
    }

    /** Stops answering (the kubeconfig stays: a cluster gone away). */
    async close(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    }

    async stop(): Promise<void> {
        await this.close();
        if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    }

    private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
        const url = new URL(req.url ?? "/", "http://x");
        this.requests.push(`${req.method} ${url.pathname}`);
        const prefix = `/api/v1/namespaces/${this.namespace}/`;
        const send = (status: number, body: unknown, type = "application/json") => {
            res.writeHead(status, { "content-type": type });
            res.end(typeof body === "string" ? body : JSON.stringify(body));
        };
        if (!url.pathname.startsWith(prefix)) return send(404, { kind: "Status", code: 404 });
        const rest = url.pathname.slice(prefix.length).split("/");
        if (rest[0] === "events") {
            // `involvedObject.name=X,reason=Y`, as a lesson's check asks.
            const fields = selector(url.searchParams.get("fieldSelector"));
            const items = this.events.filter((e) => matches(fields, e));
            return send(200, { kind: "EventList", items });
        }
        if (rest[0] === "pods" && rest.length === 1) {
            // `job-name=X`: the Pods of a Job.
            const labels = selector(url.searchParams.get("labelSelector"));
            const items = [...this.pods.values()].filter((pod) =>
                matches(labels, (pod as { metadata?: { labels?: object } }).metadata?.labels ?? {}),
            );
            return send(200, { kind: "PodList", items });
        }
        if (rest[0] === "pods" && rest.length === 2) {
            const pod = this.pods.get(rest[1]);
            return pod ? send(200, pod) : send(404, { kind: "Status", code: 404, reason: "NotFound" });
        }
        if (rest[0] === "pods" && rest[2] === "log") {
            const key = `${rest[1]}/${url.searchParams.get("container")}`;
            const log = (this.logs.get(key) ?? "") + this.appendPerRead;
            this.logs.set(key, log);
            if (url.searchParams.get("timestamps") !== "true") return send(200, log, "text/plain");
            const lines = log.split("\n").filter((l) => l !== "");
            const stamped = lines.map((l, i) => `${new Date(this.lineAt(i, lines.length)).toISOString()} ${l}\n`);
            return send(200, stamped.join(""), "text/plain");
        }
        send(404, { kind: "Status", code: 404 });
    }
}

/** `a=1,b.c=2` as pairs; an empty selector selects everything. */
function selector(text: string | null): [string, string][] {
    return (text ?? "")
        .split(",")
        .filter((term) => term !== "")
        .map((term) => {
            const [key, value] = term.split("=");
            return [key, value];
        });
}

/** Whether an object has each dotted field (`involvedObject.name`) or label at the selector's value. */
function matches(terms: [string, string][], object: unknown): boolean {
    return terms.every(([key, value]) => {
        if (typeof object === "object" && object !== null && key in object) {
            return String((object as Record<string, unknown>)[key]) === value;
        }
        const found = key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], object);
        return String(found) === value;
    });
}
