import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { SidecarMode } from "../../components/sidecarDemoPod";
import {
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    demoPodLabels,
    placeSidecar,
    restrictedPodSecurityContext,
} from "../../components/podDefaults";
import { setting } from "../../components/settings";
import { distinctNames, dnsLabel, integerInRange } from "../../components/validation";
import { OwnedObjectsArgs, OwnedObjectsSettings, resolveOwnedObjectsSettings } from "../shared/ownedObjects";
import { LESSON_INTERVAL_SECONDS, LOG_DIR, LOG_FILE, LOG_VOLUME } from "../shared/podLesson";

/**
 * Lesson "native-sidecar": what Kubernetes 1.29's native sidecars change in the
 * guide's comparison ("start timing", "lifetime"). Two Jobs run the same app, which
 * writes a few lines and exits, beside the same log tailer:
 * - classic: the tailer is a second container, so the Pod keeps running after the
 *   app exits and the Job never completes;
 * - native: the tailer is an init container with `restartPolicy: Always`, so it is
 *   running before the app starts, is stopped after the app exits, and the Job completes.
 */

export const CLASSIC_JOB = "lesson-classic-sidecar";
export const NATIVE_JOB = "lesson-native-sidecar";
export const NATIVE_APP_CONTAINER = "app";
export const NATIVE_SIDECAR_CONTAINER = "sidecar";
/** The `app.kubernetes.io/component` label of both Jobs and their Pods. */
export const COMPONENT = "lesson-native-sidecar";

/** The settings only this lesson takes, beside the demo Pods' image, namespace and await settings (DEMO_POD_SETTINGS). */
export const NATIVE_SIDECAR_SETTINGS = {
    classicJobName: setting({
        type: "string",
        default: CLASSIC_JOB,
        example: CLASSIC_JOB,
        description: "The Job whose tailer is a second container: it never completes.",
        check: dnsLabel,
    }),
    nativeJobName: setting({
        type: "string",
        default: NATIVE_JOB,
        example: NATIVE_JOB,
        description: "The Job whose tailer is a native sidecar: it completes once the app exits.",
        check: dnsLabel,
    }),
    lines: setting({
        type: "integer",
        default: 3,
        example: "3",
        description: "Lines the app writes before it exits (1-100).",
        check: (field, value, example) => integerInRange(field, value, 1, 100, example),
    }),
    intervalSeconds: LESSON_INTERVAL_SECONDS,
};

/**
 * The demo Pods' arguments but `podName` (two Jobs, named in the table), and the table's. Here
 * `waitForReady` and `readyTimeoutSeconds` are about the native Job completing; up never waits for the classic one.
 */
export type NativeSidecarLessonArgs = OwnedObjectsArgs<typeof NATIVE_SIDECAR_SETTINGS>;
export type NativeSidecarSettings = OwnedObjectsSettings<typeof NATIVE_SIDECAR_SETTINGS>;

export function resolveNativeSidecarSettings(args: pulumi.Unwrap<NativeSidecarLessonArgs>): NativeSidecarSettings {
    const settings = resolveOwnedObjectsSettings(NATIVE_SIDECAR_SETTINGS, args);
    distinctNames({ classicJobName: settings.classicJobName, nativeJobName: settings.nativeJobName });
    return settings;
}

/** The app: a few lines to stdout and to the shared file, then exit 0. */
export function appScript(lines: number, intervalSeconds: number): string {
    return (
        `i=1;\nwhile [ $i -le ${lines} ]; do\n  echo "app line $i of ${lines}" | tee -a ${LOG_FILE};\n` +
        `  i=$((i+1));\n  sleep ${intervalSeconds};\ndone;\necho "app done, exiting 0"\n`
    );
}

/**
 * The tailer: streams the shared file. `sh` as PID 1 ignores SIGTERM unless it traps it;
 * trapping it lets the kubelet's stop end the sidecar with exit 0 rather than a kill.
 */
export const SIDECAR_SCRIPT = `trap "exit 0" TERM;\ntouch ${LOG_FILE};\ntail -f ${LOG_FILE} &\nwait\n`;

/** The Job's Pod: the app plus the tailer, as a second container (classic) or a native sidecar. */
export function buildSidecarJobPodSpec(settings: NativeSidecarSettings, style: SidecarMode): PodSpec {
    const volumeMounts = [{ name: LOG_VOLUME, mountPath: LOG_DIR }];
    const app = {
        ...demoContainer(NATIVE_APP_CONTAINER, settings.image, appScript(settings.lines, settings.intervalSeconds)),
        volumeMounts,
    };
    const sidecar = { ...demoContainer(NATIVE_SIDECAR_CONTAINER, settings.image, SIDECAR_SCRIPT), volumeMounts };
    const common = {
        restartPolicy: "Never",
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        volumes: [{ name: LOG_VOLUME, emptyDir: {} }],
    };
    return { ...common, ...placeSidecar(style, app, sidecar) };
}

export function buildSidecarJob(
    settings: NativeSidecarSettings,
    style: SidecarMode,
    namespace: string,
): pulumi.Unwrap<k8s.types.input.batch.v1.Job> {
    const labels = { ...demoPodLabels(COMPONENT), "init-sidecar-lab/sidecar-style": style };
    // The classic Job never completes: waiting for it would hang `pulumi up`.
    const skipAwait = style === "classic" || !settings.waitForReady;
    return {
        metadata: {
            name: style === "native" ? settings.nativeJobName : settings.classicJobName,
            namespace,
            labels,
            ...(skipAwait ? { annotations: { "pulumi.com/skipAwait": "true" } } : {}),
        },
        spec: {
            // One run is the lesson: a retry would only blur the timestamps.
            backoffLimit: 0,
            template: { metadata: { labels }, spec: buildSidecarJobPodSpec(settings, style) },
        },
    };
}
