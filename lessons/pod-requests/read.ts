import type { V1Pod, V1ResourceQuota } from "@kubernetes/client-node";
import { LessonSpec } from "../shared/reader";
import { judgePodRequests } from "./judge";
import { CLASSIC_POD, NATIVE_POD, QUOTA } from "./spec";

/** What the judge reads: both Pods (their specs as the API server stores them) and the quota's count. */
export interface PodRequestsInputs {
    classic: V1Pod | undefined;
    native: V1Pod | undefined;
    quota: V1ResourceQuota | undefined;
}

/** The lesson as a verify check. */
export function podRequestsCheck(): LessonSpec<PodRequestsInputs> {
    return {
        expected: ["accounted"],
        timeoutSeconds: 120,
        pods: [CLASSIC_POD, NATIVE_POD],
        read: async (live) => ({
            classic: await live.pod(CLASSIC_POD),
            native: await live.pod(NATIVE_POD),
            quota: await live.resourceQuota(QUOTA),
        }),
        judge: (input) => judgePodRequests(input.classic, input.native, input.quota),
    };
}
