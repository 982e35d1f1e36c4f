import * as pulumi from "@pulumi/pulumi";
import { demoPodMetadata } from "../../components/demoPod";
import {
    Container,
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    restrictedPodSecurityContext,
} from "../../components/podDefaults";
import { setting } from "../../components/settings";
import { integerInRange } from "../../components/validation";
import {
    BuiltPod,
    OwnedObjectsArgs,
    OwnedObjectsSettings,
    resolveOwnedObjectsSettings,
    runUntilStopped,
} from "../shared/ownedObjects";

/**
 * Lesson "startup-probe": only a native sidecar's startupProbe holds the app back. Two Pods run
 * the same sidecar, which warms up for a few seconds and then writes a file:
 * - in `lesson-startup-probe` it has a startupProbe that passes once the file is there: the
 *   kubelet starts the app only then;
 * - in `lesson-readiness-probe` it has a readinessProbe only: the app starts at once, beside a
 *   sidecar that is not ready yet.
 */

export const STARTUP_POD = "lesson-startup-probe";
export const READINESS_POD = "lesson-readiness-probe";
export const SIDECAR = "sidecar";
export const APP = "app";
/** The `app.kubernetes.io/component` label of both Pods. */
export const COMPONENT = "lesson-startup-probe";
const WARM_VOLUME = "warm";
const WARM_DIR = "/warm";
export const WARM_FILE = `${WARM_DIR}/ready`;

/** Which probe the sidecar has. */
export type ProbeStyle = "startup" | "readiness";

export const STARTUP_PROBE_SETTINGS = {
    warmUpSeconds: setting({
        type: "integer",
        default: 8,
        example: "8",
        // At least 4: the app of the Pod without a startupProbe starts a second or two after its
        // sidecar, and the timestamps (whole seconds) must show that as before the warm-up ended.
        description: "Seconds the sidecar warms up before its probe passes (4-60).",
        check: (field, value, example) => integerInRange(field, value, 4, 60, example),
    }),
};

/** The demo Pods' arguments but `podName` (two Pods, named above), and the table's. */
export type StartupProbeLessonArgs = OwnedObjectsArgs<typeof STARTUP_PROBE_SETTINGS>;
export type StartupProbeSettings = OwnedObjectsSettings<typeof STARTUP_PROBE_SETTINGS>;

export function resolveStartupProbeSettings(args: pulumi.Unwrap<StartupProbeLessonArgs>): StartupProbeSettings {
    return resolveOwnedObjectsSettings(STARTUP_PROBE_SETTINGS, args);
}

/** The sidecar: warms up, then writes the file its probe looks for, then runs until stopped. */
export function sidecarScript(warmUpSeconds: number): string {
    return runUntilStopped(
        `echo "Warming up for ${warmUpSeconds} s ...";\nsleep ${warmUpSeconds};\ntouch ${WARM_FILE};\n` +
            `echo "Warm: ${WARM_FILE} exists, the probe passes from now on.";\n`,
    );
}

export const APP_SCRIPT = runUntilStopped(`echo "App started.";\n`);

/**
 * The probe: passes once the file exists. Every second, so the timestamps show the warm-up and
 * not the probe's period; a startupProbe that fails `failureThreshold` times gets its container
 * restarted, so it allows the warm-up a minute more.
 */
export function warmProbe(style: ProbeStyle, warmUpSeconds: number) {
    const check = { exec: { command: ["cat", WARM_FILE] }, periodSeconds: 1 };
    return style === "startup"
        ? { startupProbe: { ...check, failureThreshold: warmUpSeconds + 60 } }
        : { readinessProbe: check };
}

export function buildStartupProbePodSpec(settings: StartupProbeSettings, style: ProbeStyle): PodSpec {
    const sidecar: Container = {
        ...demoContainer(SIDECAR, settings.image, sidecarScript(settings.warmUpSeconds)),
        volumeMounts: [{ name: WARM_VOLUME, mountPath: WARM_DIR }],
        ...warmProbe(style, settings.warmUpSeconds),
        restartPolicy: "Always",
    };
    return {
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        volumes: [{ name: WARM_VOLUME, emptyDir: {} }],
        initContainers: [sidecar],
        containers: [demoContainer(APP, settings.image, APP_SCRIPT)],
    };
}

export function buildStartupProbePod(settings: StartupProbeSettings, style: ProbeStyle, namespace: string): BuiltPod {
    const podName = style === "startup" ? STARTUP_POD : READINESS_POD;
    return {
        metadata: demoPodMetadata({ ...settings, podName }, namespace, COMPONENT),
        spec: buildStartupProbePodSpec(settings, style),
    };
}
