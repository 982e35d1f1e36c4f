import type { V1Pod } from "@kubernetes/client-node";
import { LessonSpec, logOrNothing } from "../shared/reader";
import { judgeLogAdapter } from "./judge";
import { ADAPTER_POD, ADAPTER_SIDECAR, LOG_ADAPTER_SETTINGS } from "./spec";
import { SettingsOf } from "../../components/settings";

/** What the judge reads: the Pod, and the adapter's last lines once both containers run. */
export interface LogAdapterInputs {
    pod: V1Pod | undefined;
    sidecarLog?: string;
}

/** The lesson as a verify check. */
export function logAdapterCheck(
    _now: () => number,
    settings: SettingsOf<typeof LOG_ADAPTER_SETTINGS>,
): LessonSpec<LogAdapterInputs> {
    return {
        expected: ["adapting"],
        // Three adapted lines, one per interval, after the image pull.
        timeoutSeconds: 144 + 3 * settings.intervalSeconds,
        pods: [ADAPTER_POD],
        read: async (live) => {
            const pod = await live.pod(ADAPTER_POD);
            const running = pod?.status?.containerStatuses?.every((c) => c.state?.running);
            const sidecarLog = running ? await logOrNothing(live.log(ADAPTER_POD, ADAPTER_SIDECAR, 6)) : undefined;
            return { pod, sidecarLog };
        },
        judge: (input) => judgeLogAdapter(input.pod, ADAPTER_POD, input.sidecarLog, settings),
    };
}
