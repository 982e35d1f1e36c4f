import type { V1Pod } from "@kubernetes/client-node";
import { LessonSpec, logOrNothing } from "../shared/reader";
import { judgeWaitForService } from "./judge";
import { WAIT_FOR_SERVICE_SETTINGS, WAIT_POD, WAIT_STEP } from "./spec";
import { SettingsOf } from "../../components/settings";

/** What the judge reads: the Pod, whether the Service exists, and the step's last line while it runs. */
export interface WaitForServiceInputs {
    pod: V1Pod | undefined;
    serviceExists: boolean;
    stepLog?: string;
}

/** The lesson as a verify check. */
export function waitForServiceCheck(
    _now: () => number,
    settings: SettingsOf<typeof WAIT_FOR_SERVICE_SETTINGS>,
): LessonSpec<WaitForServiceInputs> {
    const service = settings.serviceName;
    return {
        expected: ["waiting", "started"],
        timeoutSeconds: 120,
        pods: [WAIT_POD],
        read: async (live) => {
            const pod = await live.pod(WAIT_POD);
            const serviceExists = (await live.service(service)) !== undefined;
            // Only while the step runs: its log says what it is waiting for.
            const stepLog = pod?.status?.initContainerStatuses?.[0]?.state?.running
                ? await logOrNothing(live.log(WAIT_POD, WAIT_STEP, 1))
                : undefined;
            return { pod, serviceExists, stepLog };
        },
        judge: (input) =>
            judgeWaitForService(input.pod, WAIT_POD, { name: service, exists: input.serviceExists }, input.stepLog),
    };
}
