import { SHELL_SAFE_WORD } from "./validation";

/**
 * Builders for the paste-ready kubectl command lines the lab exports.
 * Pure functions: they only format strings.
 */

/** Where kubectl should point: the kube context and/or kubeconfig file, and the namespace. */
export interface KubectlTarget {
    /** `--context`; omitted means kubectl's current context. */
    context?: string;
    /** `--kubeconfig`, a file's path; omitted means `$KUBECONFIG` or `~/.kube/config`. */
    kubeconfigPath?: string;
    namespace: string;
}

/**
 * Quotes a word for POSIX shells only when it needs it, so common commands stay readable. A
 * leading `~/` stays bare, so the reader's shell finds their home as they meant; a `~` after `:`
 * or `=` is quoted, since bash would expand it in `export NAME=value`.
 */
export function shellQuote(word: string): string {
    if (SHELL_SAFE_WORD.test(word) && !/[:=]~/.test(word)) return word;
    return `'${word.replace(/'/g, `'"'"'`)}'`;
}

export function kubectlCommand(target: KubectlTarget, ...args: string[]): string {
    const words = ["kubectl"];
    if (target.kubeconfigPath) words.push("--kubeconfig", target.kubeconfigPath);
    if (target.context) words.push("--context", target.context);
    words.push("-n", target.namespace, ...args);
    return words.map(shellQuote).join(" ");
}

export interface PodCommands {
    /** One `logs` command per container, keyed by container name. */
    logs: Record<string, string>;
    /** `get pod <pod> -w`: watch the phases (`Init:0/1`, `PodInitializing`, `Running`). */
    watch: string;
    /** `describe pod <pod>`: events and per-container state. */
    describe: string;
}

/**
 * @param followed containers whose logs keep growing (the streaming sidecar):
 *   their command gets `-f` so it follows the stream.
 */
export function podCommands(
    target: KubectlTarget,
    podName: string,
    containers: readonly string[],
    followed: readonly string[] = [],
): PodCommands {
    const logs: Record<string, string> = {};
    for (const container of containers) {
        const follow = followed.includes(container) ? ["-f"] : [];
        logs[container] = kubectlCommand(target, "logs", podName, "-c", container, ...follow);
    }
    return {
        logs,
        watch: kubectlCommand(target, "get", "pod", podName, "-w"),
        describe: kubectlCommand(target, "describe", "pod", podName),
    };
}

export interface StudentCommands {
    /** Saves the stack's `studentKubeconfig` output to `<student>.kubeconfig`. */
    saveKubeconfig: string;
    getPods: string;
    watchPods: string;
    /** What the student may do in their namespace. */
    canI: string;
}

/** How a student saves their kubeconfig and uses it; its context's default namespace is theirs. */
export function studentCommands(student: string, namespace: string, stack: string): StudentCommands {
    const file = `${student}.kubeconfig`;
    const target = { kubeconfigPath: file, namespace };
    return {
        saveKubeconfig: `pulumi stack output studentKubeconfig --show-secrets --stack ${shellQuote(stack)} > ${shellQuote(file)}`,
        getPods: kubectlCommand(target, "get", "pods"),
        watchPods: kubectlCommand(target, "get", "pods", "-w"),
        canI: kubectlCommand(target, "auth", "can-i", "--list"),
    };
}
