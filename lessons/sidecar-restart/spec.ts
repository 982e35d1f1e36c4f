import * as pulumi from "@pulumi/pulumi";
import { DemoPodArgs, DemoPodSettings, podRenderer, resolvePodSettings } from "../../components/demoPod";
import {
    Container,
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    restrictedPodSecurityContext,
} from "../../components/podDefaults";
import { ArgsOf, SettingsOf, setting } from "../../components/settings";
import { integerInRange } from "../../components/validation";
import { runUntilStopped } from "../shared/ownedObjects";

/**
 * Lesson "sidecar-restart": a native sidecar is restarted whenever it exits, even in a Pod whose
 * `restartPolicy` is `Never`; a classic sidecar in the same Pod, running the same script, exits
 * once and stays down. The app runs on beside both and never restarts.
 */

export const SIDECAR_RESTART_POD = "lesson-sidecar-restart";
export const NATIVE = "native-sidecar";
export const CLASSIC = "classic-sidecar";
export const APP = "app";

export const SIDECAR_RESTART_SETTINGS = {
    exitAfterSeconds: setting({
        type: "integer",
        default: 5,
        example: "5",
        description: "Seconds each sidecar runs before it exits (2-60).",
        check: (field, value, example) => integerInRange(field, value, 2, 60, example),
    }),
    exitCode: setting({
        type: "integer",
        default: 1,
        example: "1",
        description: "Exit code of the sidecars (0-255): the kubelet restarts a native one whatever it is.",
        check: (field, value, example) => integerInRange(field, value, 0, 255, example),
    }),
};

/** The lesson's arguments: the demo Pods' and its table's. */
export type SidecarRestartLessonArgs = DemoPodArgs & ArgsOf<typeof SIDECAR_RESTART_SETTINGS>;
export type SidecarRestartSettings = DemoPodSettings & SettingsOf<typeof SIDECAR_RESTART_SETTINGS>;

export function resolveSidecarRestartSettings(
    componentName: string,
    args: pulumi.Unwrap<SidecarRestartLessonArgs>,
): SidecarRestartSettings {
    return {
        ...resolvePodSettings(SIDECAR_RESTART_SETTINGS, componentName, args),
        // Once the classic sidecar exited, the Pod is never Ready again: `pulumi up` must not wait for it.
        waitForReady: false,
    };
}

/** Both sidecars run this: a few seconds of work, then an exit. */
export function sidecarScript(exitAfterSeconds: number, exitCode: number): string {
    return (
        "trap 'exit 0' TERM;\n" +
        `echo "Sidecar started: it exits with code ${exitCode} in ${exitAfterSeconds} s.";\n` +
        `sleep ${exitAfterSeconds} &\nwait;\necho "Exiting with code ${exitCode}.";\nexit ${exitCode}\n`
    );
}

export const APP_SCRIPT = runUntilStopped(`echo "App started: it runs on while its sidecars exit.";\n`);

export function buildSidecarRestartPodSpec(settings: SidecarRestartSettings): PodSpec {
    const sidecar = (name: string): Container => ({
        ...demoContainer(name, settings.image, sidecarScript(settings.exitAfterSeconds, settings.exitCode)),
        // The last line of each run shows in the container's status, where verify reads it.
        terminationMessagePolicy: "FallbackToLogsOnError",
    });
    return {
        // The point of the lesson: nothing in this Pod is restarted, but its native sidecar.
        restartPolicy: "Never",
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        initContainers: [{ ...sidecar(NATIVE), restartPolicy: "Always" }],
        containers: [demoContainer(APP, settings.image, APP_SCRIPT), sidecar(CLASSIC)],
    };
}

export const renderSidecarRestart = podRenderer(resolveSidecarRestartSettings, {
    spec: buildSidecarRestartPodSpec,
    containers: [NATIVE, APP, CLASSIC],
    followed: [],
});
