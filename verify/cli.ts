import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import * as k8s from "@kubernetes/client-node";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { PROJECT } from "../config";
import { expandHome } from "../host/kubeconfig";
import { BackendError, useLabBackend } from "../lab/backend";
import { SIDECAR_CONTAINER } from "../components/sidecarDemoPod";
import { CheckResult, LivePod, checkInitPod, checkSidecarPod, checkStreaming, renderReport } from "./checks";
import { verifyLessons } from "./lessonsLive";

/**
 * `npm run verify`: after `npm run up`, reads the live Pods and says in plain
 * words whether the lab behaves as the guide says. Exit 0 when every check
 * passes, 1 when one fails, 2 when the lab cannot be found.
 */

const USAGE = `usage: npm run verify [-- options]

Reads the stack's outputs (default stack: dev, or $LAB_STACK) to find the Pods, then checks them live.
  --stack NAME          the stack to check, on npm run up's backend (file://<repo>/.lab-state, or LAB_BACKEND=login,
                        or $PULUMI_BACKEND_URL)
  --namespace NS        skip the stack: check the Pods in this namespace directly
  --context CTX         kube context (with --namespace; default: the current context)
  --kubeconfig FILE     kubeconfig file (with --namespace; default: $KUBECONFIG or ~/.kube/config)
  --stream-seconds N    how long to wait for the sidecar's next line (default 15)
Example: npm run verify -- --stack dev`;

const REPO = path.join(__dirname, "..");

/** A problem the user can fix; `showUsage` when it is about the command line itself. */
class UsageError extends Error {
    constructor(
        message: string,
        readonly showUsage = false,
    ) {
        super(message);
    }
}

function onPath(command: string): boolean {
    return (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, command)));
}

/** Where the lab's Pods are, and how to reach the cluster. */
interface LabTarget {
    kubeConfig: k8s.KubeConfig;
    namespace: string;
    initPod: string;
    sidecarPod: string;
    /** The lessons the stack deployed (the keys of its `lessons` output). */
    lessons?: string[];
    description: string;
}

function loadKubeConfig(options: { kubeconfigText?: string; kubeconfigPath?: string; context?: string }) {
    const kc = new k8s.KubeConfig();
    if (options.kubeconfigText) kc.loadFromString(options.kubeconfigText);
    else if (options.kubeconfigPath) kc.loadFromFile(expandHome(options.kubeconfigPath, process.env.HOME ?? ""));
    else kc.loadFromDefault();
    if (options.context) {
        if (!kc.getContextObject(options.context)) {
            throw new UsageError(`the kube context "${options.context}" is not in the kubeconfig.`);
        }
        kc.setCurrentContext(options.context);
    }
    return kc;
}

/** Reads the stack's outputs (and, in existing-cluster mode, its kubeconfig setting). */
async function targetFromStack(stackName: string): Promise<LabTarget> {
    let backend: string;
    try {
        // The same backend and passphrase as npm run up, applied to this process's environment.
        backend = useLabBackend(REPO).backend;
    } catch (err) {
        if (err instanceof BackendError) throw new UsageError(err.message);
        throw err;
    }
    const workDir = process.env.LAB_PROJECT_DIR ?? REPO;
    if (!onPath("pulumi")) {
        throw new UsageError(
            "the Pulumi CLI is not on PATH, so the stack's outputs cannot be read. " +
                "Install it, or name the Pods' namespace: npm run verify -- --namespace lab-dev --context kind-lab-dev",
        );
    }
    let outputs: Record<string, { value: unknown }>;
    let kubeconfigSetting: string | undefined;
    try {
        const stack = await LocalWorkspace.selectStack({ stackName, workDir });
        outputs = await stack.outputs();
        kubeconfigSetting = (await stack.getAllConfig())[`${PROJECT}:kubeconfigPath`]?.value || undefined;
    } catch (err) {
        throw new UsageError(
            `could not read stack "${stackName}" (${backend}): ${firstLine(err)}\n` +
                "Run `npm run up` first, or name the Pods' namespace: npm run verify -- --namespace lab-dev",
        );
    }
    const value = (key: string) => outputs[key]?.value as string | undefined;
    const namespace = value("namespace");
    if (!namespace) throw new UsageError(`stack "${stackName}" has no outputs yet: run \`npm run up\` first.`);
    const context = value("kubeContext");
    return {
        kubeConfig: loadKubeConfig({
            kubeconfigText: value("kubeconfig"),
            kubeconfigPath: kubeconfigSetting,
            context,
        }),
        namespace,
        initPod: value("initPodName") ?? "init-test",
        sidecarPod: value("sidecarPodName") ?? "sidecar-test",
        lessons: Object.keys((outputs.lessons?.value as Record<string, unknown> | undefined) ?? {}),
        description: `stack ${stackName}, namespace ${namespace}${context ? `, context ${context}` : ""}`,
    };
}

/** The Pulumi CLI's own `error:` line when there is one (the Automation API wraps it in noise). */
function firstLine(err: unknown): string {
    const lines = String(err instanceof Error ? err.message : err)
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "");
    return (
        lines
            .find((l) => l.startsWith("error:"))
            ?.slice("error:".length)
            .trim() ??
        lines[0] ??
        "unknown error"
    );
}

async function readPod(api: k8s.CoreV1Api, namespace: string, name: string): Promise<LivePod | undefined> {
    try {
        return (await api.readNamespacedPod({ name, namespace })) as LivePod;
    } catch (err) {
        if (err instanceof k8s.ApiException && err.code === 404) return undefined;
        throw err;
    }
}

async function check(target: LabTarget, streamSeconds: number): Promise<CheckResult[]> {
    const api = target.kubeConfig.makeApiClient(k8s.CoreV1Api);
    const missing = (name: string): CheckResult => ({
        ok: false,
        message: `Pod ${name} is not in namespace ${target.namespace}: has \`npm run up\` finished?`,
    });
    const results: CheckResult[] = [];
    const initPod = await readPod(api, target.namespace, target.initPod);
    results.push(...(initPod ? checkInitPod(initPod) : [missing(target.initPod)]));
    const sidecarPod = await readPod(api, target.namespace, target.sidecarPod);
    if (!sidecarPod) return [...results, missing(target.sidecarPod)];
    const sidecar = checkSidecarPod(sidecarPod);
    results.push(...sidecar);
    if (sidecar.every((r) => r.ok)) {
        const log = () =>
            api.readNamespacedPodLog({
                name: target.sidecarPod,
                namespace: target.namespace,
                container: SIDECAR_CONTAINER,
            });
        const before = await log();
        const started = Date.now();
        const elapsed = () => Math.round((Date.now() - started) / 1000);
        let streaming = checkStreaming(target.sidecarPod, before, before, 0);
        // Poll rather than sleep the whole time: the next line usually comes within the interval.
        while (!streaming.ok && Date.now() - started < streamSeconds * 1000) {
            await new Promise((r) => setTimeout(r, 1000));
            streaming = checkStreaming(target.sidecarPod, before, await log(), elapsed());
        }
        results.push(streaming);
    }
    return results;
}

async function main(argv: string[]): Promise<number> {
    const { values } = parseArgs({
        args: argv,
        options: {
            stack: { type: "string" },
            namespace: { type: "string" },
            context: { type: "string" },
            kubeconfig: { type: "string" },
            "stream-seconds": { type: "string", default: "15" },
            help: { type: "boolean", short: "h" },
        },
        strict: true,
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    const streamSeconds = Number(values["stream-seconds"]);
    if (!Number.isInteger(streamSeconds) || streamSeconds < 1 || streamSeconds > 600) {
        throw new UsageError(
            `--stream-seconds must be a whole number from 1 to 600; got "${values["stream-seconds"]}". Example: --stream-seconds 15`,
            true,
        );
    }
    const target = values.namespace
        ? {
              kubeConfig: loadKubeConfig({ kubeconfigPath: values.kubeconfig, context: values.context }),
              namespace: values.namespace,
              initPod: "init-test",
              sidecarPod: "sidecar-test",
              description: `namespace ${values.namespace}${values.context ? `, context ${values.context}` : ""}`,
          }
        : await targetFromStack(values.stack ?? process.env.LAB_STACK ?? "dev");
    console.log(`Checking the lab (${target.description}) ...`);
    const results = await check(target, streamSeconds);
    results.push(...(await verifyLessons(target.kubeConfig, target.namespace, target.lessons ?? [])));
    console.log(renderReport(results));
    return results.every((r) => r.ok) ? 0 : 1;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
        // parseArgs reports unknown or malformed flags as a TypeError with a code.
        const usage = (err instanceof UsageError && err.showUsage) || (err instanceof TypeError && "code" in err);
        console.error(`verify: ${err instanceof Error ? err.message : String(err)}`);
        if (usage) console.error(USAGE);
        process.exit(2);
    },
);
