import type { V1Pod } from "@kubernetes/client-node";
import { Fetched, LessonSpec, isReady } from "../shared/reader";
import { judgeStageFiles } from "./judge";
import { STAGE_FILES_SETTINGS, STAGE_POD, STAGE_WEB } from "./spec";
import { SettingsOf } from "../../components/settings";

/** What the judge reads: the Pod, and its page once it is Ready. */
export interface StageFilesInputs {
    pod: V1Pod | undefined;
    page?: Fetched;
}

/** The lesson as a verify check. */
export function stageFilesCheck(
    _now: () => number,
    settings: SettingsOf<typeof STAGE_FILES_SETTINGS>,
): LessonSpec<StageFilesInputs> {
    return {
        expected: ["served"],
        timeoutSeconds: 120,
        pods: [STAGE_POD],
        read: async (live) => {
            const pod = await live.pod(STAGE_POD);
            const page = isReady(pod) ? await live.fetch(STAGE_POD, STAGE_WEB, settings.port, "index.html") : undefined;
            return { pod, page };
        },
        judge: (input) => judgeStageFiles(input.pod, STAGE_POD, input.page, settings),
    };
}
