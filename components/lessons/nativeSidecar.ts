import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DEMO_POD_SETTINGS, DemoPodArgs, checkDemoPodArgs, componentLabel } from "../demoPod";
import { KubectlTarget, kubectlCommand } from "../kubectlCommands";
import { SidecarMode } from "../sidecarDemoPod";
import {
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    demoPodLabels,
    placeSidecar,
    restrictedPodSecurityContext,
} from "../podDefaults";
import { resolveSetting, setting } from "../settings";
import { distinctNames, dnsLabel, integerInRange } from "../validation";
import { LESSON_INTERVAL_SECONDS, LOG_DIR, LOG_FILE, LOG_VOLUME, LessonCommands } from "./lessonPod";

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
const COMPONENT = "lesson-native-sidecar";

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
 * The demo Pods' arguments but `podName` (two Jobs, named below). Here `waitForReady` and
 * `readyTimeoutSeconds` are about the native Job completing; up never waits for the classic one.
 */
export interface NativeSidecarLessonArgs extends Omit<DemoPodArgs, "podName"> {
    // Default, check and description of each: NATIVE_SIDECAR_SETTINGS above.
    /** The classic Job's name. */
    classicJobName?: pulumi.Input<string>;
    /** The native Job's name. */
    nativeJobName?: pulumi.Input<string>;
    /** Lines the app writes before it exits. */
    lines?: pulumi.Input<number>;
    /** Seconds between two lines. */
    intervalSeconds?: pulumi.Input<number>;
}

export interface NativeSidecarSettings {
    classicJobName: string;
    nativeJobName: string;
    lines: number;
    intervalSeconds: number;
    image: string;
    waitForReady: boolean;
}

export function resolveNativeSidecarSettings(args: pulumi.Unwrap<NativeSidecarLessonArgs>): NativeSidecarSettings {
    const s = NATIVE_SIDECAR_SETTINGS;
    const settings = {
        classicJobName: resolveSetting(s.classicJobName, "classicJobName", args.classicJobName),
        nativeJobName: resolveSetting(s.nativeJobName, "nativeJobName", args.nativeJobName),
        lines: resolveSetting(s.lines, "lines", args.lines),
        intervalSeconds: resolveSetting(s.intervalSeconds, "intervalSeconds", args.intervalSeconds),
        image: resolveSetting(DEMO_POD_SETTINGS.image, "image", args.image),
        waitForReady: resolveSetting(DEMO_POD_SETTINGS.waitForReady, "waitForReady", args.waitForReady),
    };
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

/**
 * The lesson's two Jobs. `pulumi up` waits for the native one to complete (unless
 * `waitForReady` is false) and never for the classic one. Pass the provider in `opts`.
 */
export class NativeSidecarLesson extends pulumi.ComponentResource {
    public readonly classicJob: k8s.batch.v1.Job;
    public readonly nativeJob: k8s.batch.v1.Job;
    /** watch, jobs, describe/logs/startedAt for each Job. */
    public readonly commands: pulumi.Output<LessonCommands>;

    constructor(name: string = NATIVE_JOB, args: NativeSidecarLessonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const type = "initsidecarlab:lessons:NativeSidecar";
        // Every argument is checked before the lesson registers, as a demo Pod's: a bad one leaves nothing behind.
        const checked = checkDemoPodArgs(componentLabel(type, name), args, resolveNativeSidecarSettings);
        super(type, name, {}, opts);
        const timeout = `${checked.readyTimeoutSeconds}s`;
        const settings = checked.pod.output(this);
        const ns = checked.namespace.output(this);
        const job = (style: SidecarMode) => {
            const rendered = pulumi.all([settings, ns]).apply(([s, n]) => buildSidecarJob(s, style, n));
            return new k8s.batch.v1.Job(
                `${name}-${style}`,
                { metadata: rendered.metadata, spec: rendered.spec },
                {
                    parent: this,
                    customTimeouts: { create: timeout, update: timeout },
                    // A Job's Pod template is immutable and its name fixed: the old Job must go first.
                    deleteBeforeReplace: true,
                },
            );
        };
        this.classicJob = job("classic");
        this.nativeJob = job("native");
        const target = pulumi
            .all([checked.target.output(this), this.nativeJob.metadata.namespace])
            .apply(([t, liveNamespace]): KubectlTarget => ({ ...t, namespace: liveNamespace }));
        this.commands = pulumi
            .all([target, settings, this.classicJob.metadata.name, this.nativeJob.metadata.name])
            .apply(([t, s]) => nativeSidecarCommands(t, s));
        this.registerOutputs({ commands: this.commands });
    }
}
