import * as pulumi from "@pulumi/pulumi";
import { DemoPodArgs, DemoPodSettings, podRenderer, resolvePodSettings } from "../../components/demoPod";
import {
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    restrictedPodSecurityContext,
} from "../../components/podDefaults";
import { ArgsOf, SettingsOf, setting } from "../../components/settings";
import { distinctNames, dnsSubdomain, integerInRange } from "../../components/validation";

/**
 * Lesson "failing-init": the guide says each init step must complete. This one
 * exits non-zero until a ConfigMap exists, so the learner sees `Init:Error`, then
 * `Init:CrashLoopBackOff`, and a main container that never starts; creating the
 * ConfigMap (an exported command) fixes the step live: the kubelet's next restart
 * of the step finds the key in its optional ConfigMap volume, and the Pod goes on,
 * without being replaced.
 */

export const FAILING_INIT_POD = "lesson-failing-init";
export const FAILING_INIT_STEP = "check-config";
export const FAILING_INIT_MAIN = "main-container";
/** Where the step looks for the ConfigMap's key `ready`. */
export const FIX_MOUNT = "/etc/lesson";
export const FIX_KEY = "ready";
const FIX_VOLUME = "fix";

/** The settings only this lesson takes, beside DEMO_POD_SETTINGS (demoPod.ts). */
export const FAILING_INIT_SETTINGS = {
    fixConfigMap: setting({
        type: "string",
        default: "lesson-failing-init-fix",
        example: "lesson-failing-init-fix",
        description: `ConfigMap whose key "${FIX_KEY}" the init step looks for; creating it fixes the step.`,
        check: dnsSubdomain,
    }),
    exitCode: setting({
        type: "integer",
        default: 1,
        example: "1",
        description: "Exit code of the init step while the ConfigMap is missing (1-255).",
        check: (field, value, example) => integerInRange(field, value, 1, 255, example),
    }),
};

/** The lesson's arguments: the demo Pods' and its table's (defaults and rules: FAILING_INIT_SETTINGS). */
export type FailingInitLessonArgs = DemoPodArgs & ArgsOf<typeof FAILING_INIT_SETTINGS>;
export type FailingInitSettings = DemoPodSettings & SettingsOf<typeof FAILING_INIT_SETTINGS>;

export function resolveFailingInitSettings(
    componentName: string,
    args: pulumi.Unwrap<FailingInitLessonArgs>,
): FailingInitSettings {
    const settings = {
        ...resolvePodSettings(FAILING_INIT_SETTINGS, componentName, args),
        // The Pod never gets Ready until the learner fixes it: `pulumi up` must not wait for it.
        waitForReady: false,
    };
    distinctNames({ podName: settings.podName, fixConfigMap: settings.fixConfigMap });
    return settings;
}

/** The init step: succeed when the ConfigMap's key is mounted, else say how to fix it and fail. */
export function checkConfigScript(configMap: string, exitCode: number): string {
    return (
        `echo "Looking for key ${FIX_KEY} of ConfigMap ${configMap} in ${FIX_MOUNT} ...";\n` +
        `if [ -f ${FIX_MOUNT}/${FIX_KEY} ]; then\n` +
        `  echo "Found it: this step completes, the main container starts next.";\n` +
        `  exit 0;\n` +
        `fi;\n` +
        `echo "Not found: this step fails with exit code ${exitCode}. Create ConfigMap ${configMap} with key ${FIX_KEY} to fix it.";\n` +
        `exit ${exitCode}\n`
    );
}

export const FAILING_INIT_MAIN_SCRIPT = `echo "Main container started: the init step completed.";\nsleep 3600\n`;

export function buildFailingInitPodSpec(settings: FailingInitSettings): PodSpec {
    return {
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        // optional: the Pod starts without the ConfigMap; the kubelet fills the volume in once it exists.
        volumes: [{ name: FIX_VOLUME, configMap: { name: settings.fixConfigMap, optional: true } }],
        initContainers: [
            {
                ...demoContainer(
                    FAILING_INIT_STEP,
                    settings.image,
                    checkConfigScript(settings.fixConfigMap, settings.exitCode),
                ),
                volumeMounts: [{ name: FIX_VOLUME, mountPath: FIX_MOUNT, readOnly: true }],
                // The API server then shows the step's last log lines in its status: verify reads them there.
                terminationMessagePolicy: "FallbackToLogsOnError",
            },
        ],
        containers: [demoContainer(FAILING_INIT_MAIN, settings.image, FAILING_INIT_MAIN_SCRIPT)],
    };
}

export const renderFailingInit = podRenderer(resolveFailingInitSettings, {
    spec: buildFailingInitPodSpec,
    containers: [FAILING_INIT_STEP, FAILING_INIT_MAIN],
    followed: [],
});
