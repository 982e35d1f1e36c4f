import type { V1Pod } from "@kubernetes/client-node";
import { SettingsOf } from "../../components/settings";
import { LessonSpec } from "../shared/reader";
import { judgeShutdownOrder } from "./judge";
import { SELECTOR, SHUTDOWN_ORDER_SETTINGS, gracePeriodSeconds } from "./spec";

/** The lesson as a verify check: it reads the ReplicaSet's Pods, stopped ones included. */
export function shutdownOrderCheck(
    _now: () => number,
    settings: SettingsOf<typeof SHUTDOWN_ORDER_SETTINGS>,
): LessonSpec<V1Pod[]> {
    return {
        expected: ["ready", "shown"],
        // The image pulled, or a stop played out.
        timeoutSeconds: 120 + gracePeriodSeconds(settings.stopSeconds),
        // The ReplicaSet names its Pods: the hint says how to find them.
        pods: [],
        read: (live) => live.podsByLabel(SELECTOR),
        judge: (pods) => judgeShutdownOrder(pods, settings.stopSeconds),
        hint: (namespace) =>
            `Look at the lesson's Pods, stopped ones included: kubectl describe pods -l ${SELECTOR} -n ${namespace}`,
    };
}
