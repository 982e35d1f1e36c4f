import { KubectlTarget, kubectlCommand } from "../../components/kubectlCommands";
import { LessonCommands } from "../shared/lesson";
import { COMPONENT, NATIVE_APP_CONTAINER, NATIVE_SIDECAR_CONTAINER, NativeSidecarSettings } from "./spec";

export function nativeSidecarCommands(target: KubectlTarget, settings: NativeSidecarSettings): LessonCommands {
    const selector = `app.kubernetes.io/component=${COMPONENT}`;
    const startedAt = (job: string) =>
        kubectlCommand(
            target,
            "get",
            "pods",
            "-l",
            `job-name=${job}`,
            "-o",
            "custom-columns=POD:.metadata.name,PHASE:.status.phase," +
                "INIT_CONTAINERS_STARTED:.status.initContainerStatuses[*].state.*.startedAt," +
                "CONTAINERS_STARTED:.status.containerStatuses[*].state.*.startedAt",
        );
    const job = (name: string) => ({
        describe: kubectlCommand(target, "describe", "job", name),
        logs: {
            [NATIVE_APP_CONTAINER]: kubectlCommand(target, "logs", `job/${name}`, "-c", NATIVE_APP_CONTAINER),
            [NATIVE_SIDECAR_CONTAINER]: kubectlCommand(target, "logs", `job/${name}`, "-c", NATIVE_SIDECAR_CONTAINER),
        },
        startedAt: startedAt(name),
    });
    const classic = job(settings.classicJobName);
    const native = job(settings.nativeJobName);
    return {
        watch: kubectlCommand(target, "get", "pods", "-l", selector, "-w"),
        jobs: kubectlCommand(target, "get", "jobs", "-l", selector),
        describeClassic: classic.describe,
        describeNative: native.describe,
        logsClassic: classic.logs,
        logsNative: native.logs,
        startedAtClassic: classic.startedAt,
        startedAtNative: native.startedAt,
    };
}
