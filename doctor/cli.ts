import * as path from "path";
import { parseArgs } from "util";
import { diagnose, doctorExitCode, renderFindings, targetFromStackConfig } from "./checks";
import { stackImages } from "../lab/images";
import { probeHost } from "./probe";
import { BackendError, COMMITTED_STACK, decideBackend, readCurrentLogin } from "../lab/backend";
import { rawStackConfig, stackConfig } from "../lab/stackFile";

/**
 * `npm run doctor`: checks the host before `npm run up` (which runs it too,
 * before it creates anything). Exit 0 when ready (warnings allowed), 1 when a
 * required tool is missing or too old, 2 on bad usage.
 */

export const USAGE = `usage: npm run doctor [-- options]

Checks this host for the lab: Node.js, the Pulumi CLI, Docker (answering), kind, kubectl (versions
against the README's prerequisites), free memory, the inotify limits kind advises, and a kind
cluster or kube context already using the stack's cluster name, and which of the stack's
images this host's Docker has (up loads those into the cluster; the rest are pulled).
  --stack NAME     the stack npm run up will create (default: $LAB_STACK, else dev)
  --clusters N     kind clusters the host must hold, for the memory check (default 1; a class: one per student)
Exit status: 0 ready (warnings do not fail), 1 something to fix first, 2 bad usage.`;

const REPO = path.join(__dirname, "..");

export interface DoctorOptions {
    help: boolean;
    stack: string;
    clusters: number;
}

export function parseDoctorArgs(argv: readonly string[], env: NodeJS.ProcessEnv): DoctorOptions {
    const { values } = parseArgs({
        args: [...argv],
        options: { stack: { type: "string" }, clusters: { type: "string" }, help: { type: "boolean", short: "h" } },
        strict: true,
    });
    const clusters = values.clusters === undefined ? 1 : /^\d+$/.test(values.clusters) ? Number(values.clusters) : NaN;
    if (!(clusters >= 1 && clusters <= 200)) {
        throw new Error(
            `--clusters must be a whole number from 1 to 200; got ${JSON.stringify(values.clusters)}. Example: --clusters 12`,
        );
    }
    const stack = values.stack ?? (env.LAB_STACK || COMMITTED_STACK);
    if (stack === "") throw new Error("--stack needs a name. Example: --stack dev");
    return { help: values.help ?? false, stack, clusters };
}

export function main(argv: readonly string[]): number {
    let options: DoctorOptions;
    try {
        options = parseDoctorArgs(argv, process.env);
    } catch (err) {
        process.stderr.write(`doctor: ${(err as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (options.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    const fileConfig = stackConfig(options.stack);
    const target = targetFromStackConfig(options.stack, fileConfig, options.clusters);
    let backend: string;
    try {
        backend = decideBackend({ env: process.env, repo: REPO, currentLogin: readCurrentLogin(process.env) }).backend;
    } catch (err) {
        if (!(err instanceof BackendError)) throw err;
        process.stderr.write(`doctor: ${err.message}\n`);
        return 2;
    }
    const where =
        target.mode === "kind" ? `kind cluster ${target.clusterName}` : "an existing cluster (kubeconfig/kubeContext)";
    process.stdout.write(`Checking this host for stack ${options.stack} (${where}) ...\n`);
    const found = stackImages(rawStackConfig(fileConfig), options.stack, process.env);
    const findings = diagnose(probeHost(target, backend, "images" in found ? found.images : undefined), target);
    process.stdout.write(renderFindings(findings));
    return doctorExitCode(findings);
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
