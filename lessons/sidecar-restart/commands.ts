import { KubectlTarget, kubectlCommand } from "../../components/kubectlCommands";
import { LessonCommands } from "../shared/lesson";
import { APP, CLASSIC, NATIVE } from "./spec";

/** Each container's restarts and state, one column each: the native sidecar's count grows, the others' stay 0. */
export function restartColumns(): string {
    const container = (list: string, name: string) => `${list}[?(@.name=="${name}")]`;
    return [
        "POD:.metadata.name",
        `NATIVE_RESTARTS:.status.${container("initContainerStatuses", NATIVE)}.restartCount`,
        `CLASSIC_RESTARTS:.status.${container("containerStatuses", CLASSIC)}.restartCount`,
        `CLASSIC_EXIT:.status.${container("containerStatuses", CLASSIC)}.state.terminated.exitCode`,
        `APP_RESTARTS:.status.${container("containerStatuses", APP)}.restartCount`,
        `APP_STARTED:.status.${container("containerStatuses", APP)}.state.running.startedAt`,
    ].join(",");
}

/** `restarts`: who restarted, per container (`watch` shows the Pod's total). */
export function sidecarRestartCommands(target: KubectlTarget, podName: string): Record<string, string> {
    return {
        restarts: kubectlCommand(target, "get", "pod", podName, "-o", `custom-columns=${restartColumns()}`),
    };
}

export function sidecarRestartAnnouncement(commands: LessonCommands): string {
    return (
        "Lesson sidecar-restart: both sidecars exit after a few seconds; the kubelet restarts the native one " +
        `(restartPolicy Never notwithstanding), the classic one stays down. Watch it: ${String(commands.watch)}  ` +
        `Who restarted: ${String(commands.restarts)}`
    );
}
