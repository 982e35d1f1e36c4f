import type { V1Pod } from "@kubernetes/client-node";
import { clock, describeState } from "../../verify/model";
import { LessonVerdict, fail, missing, pass, podStatusText, statusOf } from "../shared/judge";
import { Fetched } from "../shared/reader";
import { STAGE_STEP, STAGE_WEB, StageFilesSettings, pageHeading, stagedBySentence } from "./spec";

/**
 * stage-files: "served" when the init step completed before the web server started,
 * and the page the server returns is the one the init step wrote in this Pod, under the deployed `title`.
 */
export function judgeStageFiles(
    pod: V1Pod | undefined,
    podName: string,
    page: Fetched | undefined,
    deployed: Pick<StageFilesSettings, "title">,
): LessonVerdict {
    if (!pod) return missing("Pod", podName);
    const step = statusOf(pod, STAGE_STEP);
    const web = statusOf(pod, STAGE_WEB);
    const done = step?.state?.terminated;
    const webStarted = web?.state?.running?.startedAt;
    if (done?.exitCode !== 0 || !webStarted || !web?.ready || !page) {
        return fail(
            "starting",
            `Pod ${podName} (${podStatusText(pod)}): the init step "${STAGE_STEP}" is ${describeState(step?.state)} ` +
                `and the web server is ${describeState(web?.state)}${web?.ready ? "" : ", not Ready"}.`,
        );
    }
    if (!page.ok) return fail("unreachable", `Pod ${podName}: the page could not be read: ${page.error}`);
    const sentence = stagedBySentence(podName);
    if (!page.body.includes(sentence)) {
        return fail(
            "wrong-page",
            `Pod ${podName}: the page does not say "${sentence}"; got "${page.body.trim().slice(0, 120)}".`,
        );
    }
    if (!page.body.includes(pageHeading(deployed.title))) {
        return fail(
            "wrong-page",
            `Pod ${podName}: the page's heading is not the deployed title "${deployed.title}"; ` +
                `got "${page.body.trim().slice(0, 120)}".`,
        );
    }
    const when = /at (\d{4}-\d\d-\d\dT[\d:]+Z)/.exec(page.body)?.[1];
    return pass(
        "served",
        `Pod ${podName}: the web server, started at ${clock(webStarted)}, serves the page the init step ` +
            `"${STAGE_STEP}" wrote into the shared emptyDir${when ? ` at ${when.slice(11, 19)}` : ""} and finished at ` +
            `${clock(done.finishedAt)}: "${deployed.title}", "${sentence}".`,
    );
}
