import * as pulumi from "@pulumi/pulumi";
import { DemoPodArgs, DemoPodSettings, podRenderer, resolvePodSettings } from "../../components/demoPod";
import {
    PodSpec,
    TERMINATION_GRACE_SECONDS,
    demoContainer,
    restrictedPodSecurityContext,
} from "../../components/podDefaults";
import { ArgsOf, SettingsOf, setting } from "../../components/settings";
import { dnsLabel, dnsSubdomain, integerInRange } from "../../components/validation";

/**
 * Lesson "wait-for-service": the guide's "wait until a dependency is reachable", as the
 * Kubernetes docs' init example does it. The init step looks the Service's DNS name up
 * until it resolves; the Service does not exist until the learner creates it with an
 * exported command, so the Pod stays `Init:0/1`, then starts. Needs cluster DNS.
 */

export const WAIT_POD = "lesson-wait-for-service";
export const WAIT_STEP = "wait-for-service";
export const WAIT_MAIN = "main-container";

/** The settings only this lesson takes, beside DEMO_POD_SETTINGS (demoPod.ts). */
export const WAIT_FOR_SERVICE_SETTINGS = {
    serviceName: setting({
        type: "string",
        default: "lesson-backend",
        example: "lesson-backend",
        description: "The Service the init step waits for; the learner creates it with the exported command.",
        check: dnsLabel,
    }),
    clusterDomain: setting({
        type: "string",
        default: "cluster.local",
        example: "cluster.local",
        description: "The cluster's DNS domain (kind's is cluster.local).",
        check: dnsSubdomain,
    }),
    pollSeconds: setting({
        type: "integer",
        default: 2,
        example: "2",
        description: "Seconds between two lookups (1-60).",
        check: (field, value, example) => integerInRange(field, value, 1, 60, example),
    }),
};

/** The lesson's arguments: the demo Pods' and its table's (defaults and rules: WAIT_FOR_SERVICE_SETTINGS). */
export type WaitForServiceLessonArgs = DemoPodArgs & ArgsOf<typeof WAIT_FOR_SERVICE_SETTINGS>;
export type WaitForServiceSettings = DemoPodSettings & SettingsOf<typeof WAIT_FOR_SERVICE_SETTINGS>;

export function resolveWaitForServiceSettings(
    componentName: string,
    args: pulumi.Unwrap<WaitForServiceLessonArgs>,
): WaitForServiceSettings {
    return {
        ...resolvePodSettings(WAIT_FOR_SERVICE_SETTINGS, componentName, args),
        // The Pod waits for the learner: `pulumi up` must not.
        waitForReady: false,
    };
}

/**
 * Loops until the Service's fully qualified name resolves. The namespace comes from the
 * downward API, so the spec does not depend on it; the FQDN avoids busybox nslookup's
 * ignoring of the resolv.conf search list.
 */
export function waitScript(settings: WaitForServiceSettings): string {
    const host = `${settings.serviceName}.$POD_NAMESPACE.svc.${settings.clusterDomain}`;
    return (
        `until nslookup ${host} > /dev/null 2>&1; do\n` +
        `  echo "Waiting for Service ${settings.serviceName}: ${host} does not resolve yet.";\n` +
        `  sleep ${settings.pollSeconds};\n` +
        `done;\n` +
        `nslookup ${host};\n` +
        `echo "Service ${settings.serviceName} resolves: this step completes."\n`
    );
}

export function waitMainScript(serviceName: string): string {
    return `echo "Main container started: Service ${serviceName} exists.";\nsleep 3600\n`;
}

export function buildWaitForServicePodSpec(settings: WaitForServiceSettings): PodSpec {
    return {
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        initContainers: [
            {
                ...demoContainer(WAIT_STEP, settings.image, waitScript(settings)),
                env: [{ name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } }],
            },
        ],
        containers: [demoContainer(WAIT_MAIN, settings.image, waitMainScript(settings.serviceName))],
    };
}

export const renderWaitForService = podRenderer(resolveWaitForServiceSettings, {
    spec: buildWaitForServicePodSpec,
    containers: [WAIT_STEP, WAIT_MAIN],
    // The step's log grows until the Service exists.
    followed: [WAIT_STEP],
});
