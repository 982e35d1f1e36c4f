import { KubectlTarget, kubectlCommand } from "../../components/kubectlCommands";
import { LessonCommands } from "../shared/lesson";
import { APP, COMPONENT, READINESS_POD, SIDECAR, STARTUP_POD } from "./spec";

/**
 * The API server's timestamps of both Pods, one line each: when the sidecar started, when the
 * Pod was Initialized (a sidecar counts once its startupProbe passed) and Ready (once its
 * readinessProbe passed), and when the app started.
 */
export const START_TIMES_COLUMNS =
    "POD:.metadata.name," +
    "SIDECAR_STARTED:.status.initContainerStatuses[0].state.running.startedAt," +
    'INITIALIZED:.status.conditions[?(@.type=="Initialized")].lastTransitionTime,' +
    "APP_STARTED:.status.containerStatuses[0].state.running.startedAt," +
    'READY:.status.conditions[?(@.type=="Ready")].lastTransitionTime';

export function startupProbeCommands(target: KubectlTarget): LessonCommands {
    const logs = (pod: string) => ({
        [SIDECAR]: kubectlCommand(target, "logs", pod, "-c", SIDECAR),
        [APP]: kubectlCommand(target, "logs", pod, "-c", APP),
    });
    const selector = `app.kubernetes.io/component=${COMPONENT}`;
    return {
        watch: kubectlCommand(target, "get", "pods", "-l", selector, "-w"),
        startTimes: kubectlCommand(
            target,
            "get",
            "pods",
            "-l",
            selector,
            "-o",
            `custom-columns=${START_TIMES_COLUMNS}`,
        ),
        describeStartup: kubectlCommand(target, "describe", "pod", STARTUP_POD),
        describeReadiness: kubectlCommand(target, "describe", "pod", READINESS_POD),
        logsStartup: logs(STARTUP_POD),
        logsReadiness: logs(READINESS_POD),
    };
}
