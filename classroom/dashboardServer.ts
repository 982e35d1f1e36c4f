import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import type { ObservedState } from "../verify/model";
import type { VerifyReport } from "../verify/report";
import type { LabTarget, Outputs } from "../verify/target";
import { CliOptions } from "./args";
import { stackOf } from "./classes";
import { DashboardRow, StudentLook, dashboardRow, renderDashboard } from "./dashboard";
import { StackInfo } from "./stacks";
import { verifyClass } from "./verify";

/**
 * `classroom dashboard`'s I/O: reads the class (each student's stack outputs, then one look at
 * their lab, students in parallel), writes the page, or serves it on 127.0.0.1 and reads the class
 * again every --refresh seconds (a read at a time, whatever the number of requests). Read-only:
 * verify's one-look mode only reads the API server, with the stack's own kubeconfig (a student's
 * namespace-scoped one in the shared topology).
 */

export const DEFAULT_DASHBOARD_FILE = "classroom-dashboard.html";

/** What one look at a student's lab returns: verify's report and what it saw. */
export interface LabLook {
    report: VerifyReport;
    pods: V1Pod[];
    events: CoreV1Event[];
}

/** One look at a lab: verify's checks judged on what is there now, and the two Pods they read. */
export async function lookAtLab(target: LabTarget): Promise<LabLook> {
    const { verifyLab } = await import("../verify/lab");
    let last: ObservedState | undefined;
    const report = await verifyLab(target, { oneLook: true, onObserve: (state) => (last = state) });
    const pods = [target.initPod, target.sidecarPod]
        .map((name) => last?.pods[name])
        .filter((pod): pod is V1Pod => pod !== null && pod !== undefined);
    // Events are read only to explain a failure: a passing lab's bars come from the statuses alone.
    return { report, pods, events: last?.events ?? [] };
}

export interface ClassReaderDeps {
    outputs: (student: string) => Promise<Outputs>;
    look: (target: LabTarget) => Promise<LabLook>;
    parallel: number;
}

/**
 * Reads the class, again at each call. A stack's outputs are read once and kept (a Pulumi CLI
 * run each); a student whose stack could not be read, or whose lab could not be, is read afresh
 * the next time.
 */
export function classReader(
    students: readonly string[],
    existing: ReadonlySet<string>,
    deps: ClassReaderDeps,
): () => Promise<StudentLook[]> {
    const outputs = new Map<string, Promise<Outputs>>();
    return async () => {
        const seen = new Map<string, Omit<LabLook, "report">>();
        const results = await verifyClass(students, existing, {
            parallel: deps.parallel,
            outputs: (student) => {
                let read = outputs.get(student);
                if (!read) outputs.set(student, (read = deps.outputs(student)));
                read.catch(() => outputs.delete(student));
                return read;
            },
            verify: async (target) => {
                const { report, ...what } = await deps.look(target);
                seen.set(target.stack ?? "", what);
                return report;
            },
        });
        return results.map((result) => {
            if (result.status === "error") outputs.delete(result.student);
            return { result, ...(seen.get(result.student) ?? { pods: [], events: [] }) };
        });
    };
}

export interface ServeOptions {
    host: string;
    /** 0: any free port (tests). */
    port: number;
    refreshSeconds: number;
    /** Makes the page; called once before listening, then every refreshSeconds after the last one ended. */
    page: () => Promise<string>;
    /** A read that failed: the page served stays the last good one. */
    onError?: (err: unknown) => void;
}

export interface Served {
    url: string;
    /** How many times the page was made. */
    reads: () => number;
    close: () => Promise<void>;
}

/** The page's own rules: nothing but itself and its inline style, no script. */
const HEADERS = {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    "x-content-type-options": "nosniff",
};

/** Serves the page on host:port until closed, making it again every refreshSeconds. */
export async function serveDashboard(options: ServeOptions): Promise<Served> {
    let page = await options.page();
    let reads = 1;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
        if (closed) return;
        timer = setTimeout(() => {
            options
                .page()
                .then((next) => {
                    page = next;
                    reads++;
                })
                .catch((err) => options.onError?.(err))
                .finally(schedule);
        }, options.refreshSeconds * 1000);
    };
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://dashboard");
        if (url.pathname !== "/" && url.pathname !== "/index.html") {
            res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
            res.end("Not found: the class dashboard is at /\n");
            return;
        }
        if (req.method !== "GET" && req.method !== "HEAD") {
            res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
            res.end("Only GET: the dashboard is read-only\n");
            return;
        }
        res.writeHead(200, HEADERS);
        res.end(req.method === "HEAD" ? undefined : page);
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", (err: NodeJS.ErrnoException) => {
            const where = `${options.host}:${options.port}`;
            if (err.code === "EADDRINUSE") {
                reject(new Error(`port ${where} is in use; choose another. Example: --serve ${options.port + 1}`));
            } else if (err.code === "EACCES") {
                reject(new Error(`may not listen on ${where} (ports below 1024 need root). Example: --serve 8080`));
            } else if (err.code === "EADDRNOTAVAIL") {
                reject(new Error(`--host ${options.host} is not an address of this machine. Example: --host 0.0.0.0`));
            } else reject(err);
        });
        server.listen(options.port, options.host, resolve);
    });
    schedule();
    const { address, port } = server.address() as AddressInfo;
    return {
        url: `http://${address.includes(":") ? `[${address}]` : address}:${port}/`,
        reads: () => reads,
        close: async () => {
            closed = true;
            clearTimeout(timer);
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}

export interface DashboardIo {
    out: (text: string) => void;
    /** Resolves on Ctrl-C. */
    interrupted: () => Promise<void>;
}

const defaultIo: DashboardIo = {
    out: (text) => process.stdout.write(text),
    interrupted: () =>
        new Promise((resolve) => {
            process.once("SIGINT", () => resolve());
            process.once("SIGTERM", () => resolve());
        }),
};

/** Where the class's stacks are read: their list (without a roster) and each one's outputs. */
export interface ClassStacks {
    list: () => Promise<StackInfo[]>;
    outputs: (student: string) => Promise<Outputs>;
}

/**
 * The stacks of the project in `workDir` on the lab's backend (`envVars`, also in this process's
 * environment): each one's outputs with the Pulumi CLI directly (one run, every student at once);
 * the Automation API is loaded only to list the classroom's stacks when no class is given.
 */
export function cliStacks(workDir: string, envVars: Record<string, string>, className: string): ClassStacks {
    return {
        list: async () => {
            const { AutomationStacks } = await import("./automation");
            const stacks = new AutomationStacks({ workDir, envVars, refresh: false, verbose: false, className });
            // Another class's stacks are not this dashboard's.
            return (await stacks.list()).filter((s) => !s.outside);
        },
        outputs: async (student) => {
            const { readStackOutputs } = await import("../verify/cli");
            return readStackOutputs(stackOf(className, student), workDir);
        },
    };
}

/** `classroom dashboard`: writes the page once, or serves it until Ctrl-C. Exit 0 once shown. */
export async function classDashboard(
    options: CliOptions,
    roster: string[] | undefined,
    stacks: ClassStacks,
    backend: string,
    cwd: string,
    io: DashboardIo = defaultIo,
    look: (target: LabTarget) => Promise<LabLook> = lookAtLab,
): Promise<number> {
    let students: readonly string[];
    let existing: ReadonlySet<string>;
    if (roster) {
        // A roster's stacks are read directly: a missing one says so then (no listing of every stack first).
        students = roster;
        existing = new Set(roster);
    } else {
        const list = await stacks.list();
        students = list.filter((s) => s.managed).map((s) => s.name);
        existing = new Set(list.map((s) => s.name));
    }
    if (students.length === 0) {
        io.out("No student stacks on this backend: no dashboard to show (give --roster, or run classroom up).\n");
        return 0;
    }
    const read = classReader(students, existing, {
        outputs: (student) => stacks.outputs(student),
        look,
        parallel: options.parallel,
    });
    const out = options.out === undefined ? undefined : path.resolve(cwd, options.out);
    let lastRows: DashboardRow[] = [];
    const page = async () => {
        const looks = await read();
        const now = Date.now();
        lastRows = looks.map((l) => dashboardRow(l, now));
        const html = renderDashboard(lastRows, now, { backend, refreshSeconds: options.refreshSeconds });
        if (out) fs.writeFileSync(out, html);
        return html;
    };
    const summary = () => {
        const passed = lastRows.filter((r) => r.status === "passed").length;
        return `${passed} of ${lastRows.length} student${lastRows.length === 1 ? "" : "s"} passed every check`;
    };

    if (options.serve === undefined) {
        const file = out ?? path.resolve(cwd, DEFAULT_DASHBOARD_FILE);
        fs.writeFileSync(file, await page());
        io.out(`classroom dashboard: ${summary()}.\nWrote ${file}\n`);
        return 0;
    }
    let stopped = false;
    const stop = io.interrupted().then(() => (stopped = true)); // during the first read too, once it is done
    const clock = () => new Date().toISOString().slice(11, 19);
    const served = await serveDashboard({
        host: options.host ?? "127.0.0.1",
        port: options.serve,
        refreshSeconds: options.refreshSeconds!,
        page: async () => {
            const html = await page();
            // A read that was under way at Ctrl-C ends quietly.
            if (!stopped) io.out(`${clock()} ${summary()}\n`);
            return html;
        },
        onError: (err) => io.out(`${clock()} could not read the class: ${err instanceof Error ? err.message : err}\n`),
    });
    io.out(
        `Serving the class dashboard on ${served.url} (read again every ${options.refreshSeconds} s` +
            `${out ? `, also written to ${out}` : ""}). Ctrl-C stops.\n`,
    );
    await stop;
    await served.close();
    io.out("Stopped.\n");
    return 0;
}
