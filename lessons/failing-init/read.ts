import type { V1Pod } from "@kubernetes/client-node";
import { SettingsOf } from "../../components/settings";
import { LessonSpec } from "../shared/reader";
import { judgeFailingInit } from "./judge";
import { FAILING_INIT_POD, FAILING_INIT_SETTINGS } from "./spec";

/** What the judge reads: the Pod, and how often the kubelet backed off its step. */
export interface FailingInitInputs {
    pod: V1Pod | undefined;
    backOffEvents: number;
}

/** The lesson as a verify check: the step must fail with the deployed exit code, until the deployed ConfigMap exists. */
export function failingInitCheck(
    _now: () => number,
    settings: SettingsOf<typeof FAILING_INIT_SETTINGS>,
): LessonSpec<FailingInitInputs> {
    return {
        expected: ["failing", "fixed"],
        timeoutSeconds: 120,
        pods: [FAILING_INIT_POD],
        read: async (live) => ({
            pod: await live.pod(FAILING_INIT_POD),
            backOffEvents: await live.eventCount(FAILING_INIT_POD, "BackOff"),
        }),
        judge: (input) => judgeFailingInit(input.pod, FAILING_INIT_POD, settings, input.backOffEvents),
    };
}
