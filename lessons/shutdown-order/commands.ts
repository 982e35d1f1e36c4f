import { KubectlTarget, kubectlCommand, shellQuote } from "../../components/kubectlCommands";
import { LessonCommands } from "../shared/lesson";
import { APP, CLASSIC, NATIVE, SELECTOR, STOP_PATCH } from "./spec";

/** Each Pod's phase, then when SIGTERM reached each container, in the order the kubelet sends it. */
export function sigtermColumns(): string {
    const message = (list: string, name: string) =>
        `${name.toUpperCase().replace("-", "_")}:.status.${list}[?(@.name=="${name}")].state.terminated.message`;
    return [
        "POD:.metadata.name",
        "PHASE:.status.phase",
        message("containerStatuses", APP),
        message("containerStatuses", CLASSIC),
        ...[...NATIVE].reverse().map((name) => message("initContainerStatuses", name)),
    ].join(",");
}

/**
 * `stop` ends the running Pod the way a delete would, keeping its records (spec.ts says why);
 * `sigterms` shows them. Both find the ReplicaSet's Pods by label, since it names them.
 */
export function shutdownOrderCommands(target: KubectlTarget): LessonCommands {
    const running = kubectlCommand(
        target,
        "get",
        "pods",
        "-l",
        SELECTOR,
        "--field-selector=status.phase=Running",
        "-o",
        "name",
    );
    return {
        watch: kubectlCommand(target, "get", "pods", "-l", SELECTOR, "-w"),
        stop: `${kubectlCommand(target, "patch")} $(${running}) ${["--type=merge", "-p", STOP_PATCH].map(shellQuote).join(" ")}`,
        sigterms: kubectlCommand(target, "get", "pods", "-l", SELECTOR, "-o", `custom-columns=${sigtermColumns()}`),
        describe: kubectlCommand(target, "describe", "pods", "-l", SELECTOR),
    };
}
