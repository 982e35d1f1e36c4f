import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TOOLCHAIN_DIR } from "./harness";
import { sleepMs } from "./realKind";

/**
 * Stops and starts the Docker engine for the "Docker stopped" fault, but only the engine the
 * toolchain started itself (its pid file is in the toolchain's docker/ directory): a CI runner's or
 * a developer's own Docker is not the suite's to stop. Start runs dockerd again exactly as it ran
 * (its command line, environment and log), then waits until `docker info` answers.
 */
export interface DockerControl {
    stop(): void;
    start(): void;
}

const PID_FILE = path.join(TOOLCHAIN_DIR, "docker", "dockerd.pid");
const LOG_FILE = path.join(TOOLCHAIN_DIR, "docker", "dockerd.log");

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

function dockerAnswers(): boolean {
    return spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { stdio: "ignore" }).status === 0;
}

/** The control of the toolchain's dockerd, or undefined when Docker is not the toolchain's. */
export function dockerControl(): DockerControl | undefined {
    if (!fs.existsSync(PID_FILE)) return undefined;
    const pid = Number(fs.readFileSync(PID_FILE, "utf8").trim());
    if (!Number.isInteger(pid) || !alive(pid)) return undefined;
    const argv = fs
        .readFileSync(`/proc/${pid}/cmdline`, "utf8")
        .split("\0")
        .filter((a) => a !== "");
    const env = Object.fromEntries(
        fs
            .readFileSync(`/proc/${pid}/environ`, "utf8")
            .split("\0")
            .filter((e) => e.includes("="))
            .map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]),
    );
    return {
        stop() {
            process.kill(pid, "SIGTERM");
            // dockerd stops every container first (up to its shutdown timeout), then exits.
            for (let i = 0; i < 240 && alive(pid); i++) sleepMs(500);
            if (alive(pid)) throw new Error(`dockerd (pid ${pid}) did not stop within 2 minutes`);
        },
        start() {
            const log = fs.openSync(LOG_FILE, "a");
            const child = spawn(argv[0], argv.slice(1), { env, detached: true, stdio: ["ignore", log, log] });
            child.unref();
            fs.closeSync(log);
            for (let i = 0; i < 120 && !dockerAnswers(); i++) sleepMs(500);
            if (!dockerAnswers())
                throw new Error(`dockerd did not answer within a minute after its restart; see ${LOG_FILE}`);
        },
    };
}
