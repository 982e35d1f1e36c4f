import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TOOLCHAIN_DIR } from "./harness";

/**
 * Stops and starts the Docker engine for the "Docker stopped" fault, the way the toolchain does
 * (e2e/toolchain/docker-engine.sh stop|start), and only the engine the toolchain started itself
 * (its pid file is <toolchain>/docker/started.pid): a CI runner's or a developer's own Docker is
 * not the suite's to stop.
 */
export interface DockerControl {
    stop(): void;
    start(): void;
}

const ENGINE_SCRIPT = path.join(__dirname, "toolchain", "docker-engine.sh");
const STARTED_PID = path.join(TOOLCHAIN_DIR, "docker", "started.pid");

function engine(verb: "stop" | "start"): void {
    execFileSync("bash", [ENGINE_SCRIPT, verb], {
        env: { ...process.env, LAB_TOOLCHAIN_DIR: TOOLCHAIN_DIR },
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 180_000,
    });
}

/** The control of the toolchain's dockerd, or undefined when the running Docker is not the toolchain's. */
export function dockerControl(): DockerControl | undefined {
    if (!fs.existsSync(STARTED_PID) || !fs.existsSync(ENGINE_SCRIPT)) return undefined;
    const pid = Number(fs.readFileSync(STARTED_PID, "utf8").trim());
    try {
        process.kill(pid, 0);
    } catch {
        return undefined;
    }
    return { stop: () => engine("stop"), start: () => engine("start") };
}
