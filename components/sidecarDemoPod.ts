import * as pulumi from "@pulumi/pulumi";
import {
    DemoPodArgs,
    DemoPodComponent,
    DemoPodSettings,
    RenderedDemoPod,
    checkDemoPodArgs,
    componentLabel,
    podRenderer,
    resolvePodSettings,
} from "./demoPod";
import {
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    placeSidecar,
    restrictedPodSecurityContext,
} from "./podDefaults";
import { ArgsOf, SettingsOf, setting } from "./settings";
import { integerInRange, logFilePath, oneOf, shellSafeText } from "./validation";

/**
 * - `classic`: the guide's form, two regular containers side by side.
 * - `native`: a Kubernetes native sidecar, an init container with `restartPolicy: Always`
 *   that starts before the app and lives as long as the Pod (Kubernetes 1.29+).
 */
export type SidecarMode = "classic" | "native";
export const SIDECAR_MODES: readonly SidecarMode[] = ["classic", "native"];

/** The guide's name for this Pod: the stack program's component and the Pod are named so by default. */
export const SIDECAR_DEMO_POD_NAME = "sidecar-test";
export const SIDECAR_MAIN_CONTAINER = "main-container";
export const SIDECAR_CONTAINER = "sidecar-container";
export const SHARED_LOGS_VOLUME = "shared-logs";

/** The settings only this Pod takes, beside {@link DEMO_POD_SETTINGS}. */
export const SIDECAR_DEMO_POD_SETTINGS = {
    message: setting({
        type: "string",
        default: "Hello Container",
        example: "Hello Container",
        description: "Line the app appends to the shared log.",
        check: shellSafeText,
    }),
    intervalSeconds: setting({
        type: "integer",
        default: 5,
        example: "5",
        description: "Seconds between two log lines (1-3600).",
        check: (field, value, example) => integerInRange(field, value, 1, 3600, example),
    }),
    logPath: setting({
        type: "string",
        default: "/var/log/app.log",
        example: "/var/log/app.log",
        description:
            "Shared log file; its directory is the shared `emptyDir` (not `/bin`, `/etc`, `/proc`, `/usr`...).",
        check: logFilePath,
    }),
    sidecarMode: setting({
        type: "string",
        default: "classic" as SidecarMode,
        example: "native",
        description:
            "`classic`: two containers, as the guide; `native`: a Kubernetes native sidecar, an init container with `restartPolicy: Always` (Kubernetes 1.29+).",
        check: (field, value, example) => oneOf(field, value, SIDECAR_MODES, example),
    }),
};

/** The Pod's arguments: the demo Pods' and this table's (defaults and rules: the table). */
export type SidecarDemoPodArgs = DemoPodArgs & ArgsOf<typeof SIDECAR_DEMO_POD_SETTINGS>;
export type SidecarDemoPodSettings = DemoPodSettings & SettingsOf<typeof SIDECAR_DEMO_POD_SETTINGS>;

export function resolveSidecarDemoPodSettings(
    componentName: string,
    args: pulumi.Unwrap<SidecarDemoPodArgs>,
): SidecarDemoPodSettings {
    return resolvePodSettings(SIDECAR_DEMO_POD_SETTINGS, componentName, args);
}

/** The directory of the log file, with the trailing slash the guide's mountPath has. */
export function logDirectory(logPath: string): string {
    return logPath.slice(0, logPath.lastIndexOf("/") + 1);
}

/** The guide's writer: append one line, wait, forever. */
export function writerScript(message: string, logPath: string, intervalSeconds: number): string {
    return `while true; do\n  echo "${message}" >> ${logPath};\n  sleep ${intervalSeconds};\ndone\n`;
}

/** The guide's sidecar: make sure the file exists, then stream it to stdout. */
export function tailerScript(logPath: string): string {
    return `touch ${logPath};\ntail -f ${logPath}\n`;
}

/** The Pod the guide's `sidecar-container.yml` describes, hardened for Pod Security "restricted". */
export function buildSidecarDemoPodSpec(settings: SidecarDemoPodSettings): PodSpec {
    const volumeMounts = [{ name: SHARED_LOGS_VOLUME, mountPath: logDirectory(settings.logPath) }];
    const main = {
        ...demoContainer(
            SIDECAR_MAIN_CONTAINER,
            settings.image,
            writerScript(settings.message, settings.logPath, settings.intervalSeconds),
        ),
        volumeMounts,
    };
    const sidecar = {
        ...demoContainer(SIDECAR_CONTAINER, settings.image, tailerScript(settings.logPath)),
        volumeMounts,
    };
    const common = {
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        volumes: [{ name: SHARED_LOGS_VOLUME, emptyDir: {} }],
    };
    return { ...common, ...placeSidecar(settings.sidecarMode, main, sidecar) };
}

export const renderSidecarDemoPod = podRenderer(resolveSidecarDemoPodSettings, {
    spec: buildSidecarDemoPodSpec,
    containers: (settings) =>
        settings.sidecarMode === "native"
            ? [SIDECAR_CONTAINER, SIDECAR_MAIN_CONTAINER]
            : [SIDECAR_MAIN_CONTAINER, SIDECAR_CONTAINER],
    followed: [SIDECAR_CONTAINER],
});

/**
 * The guide's `sidecar-test` Pod: `main-container` appends a line to a log file on
 * a shared emptyDir every few seconds, and `sidecar-container` streams that file
 * to its stdout for the Pod's whole life.
 *
 * `new SidecarDemoPod("sidecar-test")` renders exactly the guide's Pod (with a pinned
 * image and the restricted security fields). Pass the Kubernetes provider in `opts.provider`.
 */
export class SidecarDemoPod extends DemoPodComponent<RenderedDemoPod<SidecarDemoPodSettings>> {
    constructor(name: string, args: SidecarDemoPodArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const type = "initsidecarlab:pods:SidecarDemoPod";
        // Every argument is checked before the component registers: a bad one leaves nothing behind.
        const checked = checkDemoPodArgs(componentLabel(type, name), args, (plain) =>
            renderSidecarDemoPod(name, plain),
        );
        super(type, name, "sidecar-demo", checked, opts);
        this.registerOutputs(this.demoPodOutputs());
    }
}
