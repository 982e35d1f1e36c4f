import * as k8s from "@kubernetes/client-node";
import { expandHome } from "../host/kubeconfig";
import { labChecks } from "./checks";
import { lessonChecks } from "./lessonsLive";
import { Check, ObservedState, podsStartedAt } from "./model";
import { ClusterObserver } from "./observe";
import { VerifyReport, buildReport } from "./report";
import { RunOptions, runChecks } from "./run";
import { LabTarget, TargetError } from "./target";

/** Checks one lab on its cluster: the wiring of target, observer, checks and report. */

export function loadKubeConfig(target: LabTarget, home = process.env.HOME ?? ""): k8s.KubeConfig {
    const kc = new k8s.KubeConfig();
    if (target.kubeconfigText) kc.loadFromString(target.kubeconfigText);
    else if (target.kubeconfigPath) kc.loadFromFile(expandHome(target.kubeconfigPath, home));
    else kc.loadFromDefault();
    if (target.context) {
        if (!kc.getContextObject(target.context)) {
            throw new TargetError(
                `the kube context "${target.context}" is not in the kubeconfig` +
                    (target.kubeconfigPath ? ` ${target.kubeconfigPath}` : "") +
                    ". List them with: kubectl config get-contexts",
            );
        }
        kc.setCurrentContext(target.context);
    }
    return kc;
}

export interface VerifyLabOptions extends RunOptions {
    /**
     * Judge from one look, waiting for nothing (the class dashboard): each check passes or fails on
     * what is there now, a log's recent lines judged from its timestamps (LogRef.lookBackSeconds).
     */
    oneLook?: boolean;
}

/** The lab's checks, each deployed lesson's (target.lessons), and any a caller adds. */
export async function verifyLab(
    target: LabTarget,
    options: VerifyLabOptions = {},
    extraChecks: readonly Check[] = [],
): Promise<VerifyReport> {
    const oneLook = options.oneLook ?? false;
    const observer = new ClusterObserver(loadKubeConfig(target), target.namespace, Date.now, oneLook);
    const started = Date.now();
    let last: ObservedState | undefined;
    const checks = [
        ...labChecks(target),
        ...lessonChecks(target.lessons ?? [], { deployed: target.deployed?.lessons }),
        ...extraChecks,
    ];
    const records = await runChecks(checks, observer, {
        ...options,
        // A deadline already passed: each check is judged on the first look (and explained if it fails).
        ...(oneLook ? { timeoutSeconds: 0 } : {}),
        onObserve: (state) => {
            last = state;
            options.onObserve?.(state);
        },
    });
    return buildReport(
        {
            description: target.description,
            namespace: target.namespace,
            stack: target.stack ?? null,
            context: target.context ?? null,
        },
        records,
        started,
        Date.now(),
        podsStartedAt(last),
    );
}
