import * as assert from "assert";
import type { V1Pod, V1ResourceQuota } from "@kubernetes/client-node";
import type { SidecarMode } from "../../components/sidecarDemoPod";
import { judgePodRequests } from "./judge";
import { buildPodRequestsPodSpec, resolvePodRequestsSettings } from "./spec";

const settings = resolvePodRequestsSettings({});

/** A lesson Pod as the API server stores it: the builder's spec, on a node once scheduled. */
function livePod(style: SidecarMode, nodeName: string | null = "lab-control-plane"): V1Pod {
    return {
        metadata: { name: `lesson-requests-${style}` },
        spec: {
            ...(buildPodRequestsPodSpec(settings, style) as V1Pod["spec"] & object),
            ...(nodeName ? { nodeName } : {}),
        },
    };
}

const quota = (used?: Record<string, string>): V1ResourceQuota => ({
    metadata: { name: "lesson-pod-requests" },
    status: used ? { used } : {},
});

describe("lesson pod-requests: the judge (pure)", () => {
    it("passes as accounted when the API server's count equals the two effective requests by the formula", () => {
        const verdict = judgePodRequests(
            livePod("classic"),
            livePod("native"),
            quota({ "requests.cpu": "140m", "requests.memory": "112Mi" }),
        );
        assert.deepStrictEqual([verdict.status, verdict.state], ["pass", "accounted"], verdict.message);
        assert.match(
            verdict.message,
            /classic Pod lesson-requests-classic 60m \/ 48Mi \(init phase 60m \/ 48Mi, running 40m \/ 32Mi: the init phase counts for CPU\)/,
        );
        assert.match(
            verdict.message,
            /native Pod lesson-requests-native 80m \/ 64Mi \(init phase 80m \/ 64Mi, running 40m \/ 32Mi: the init phase counts for CPU\)/,
        );
        assert.match(
            verdict.message,
            /the native Pod reserves 20m \/ 16Mi more, as long as it lives \(and neither reserves the plain sum, 100m \/ 80Mi\)/,
        );
        assert.match(
            verdict.message,
            /The API server counts 140m \/ 112Mi for the two in ResourceQuota lesson-pod-requests \(scope Terminating/,
        );
    });

    it("fails as mismatch, naming both figures, when the count is another (e.g. the plain sums)", () => {
        const verdict = judgePodRequests(
            livePod("classic"),
            livePod("native"),
            quota({ "requests.cpu": "200m", "requests.memory": "160Mi" }),
        );
        assert.deepStrictEqual([verdict.status, verdict.state], ["fail", "mismatch"]);
        assert.match(verdict.message, /Together 140m \/ 112Mi, but the API server counts 200m \/ 160Mi/);
    });

    it("fails as starting before the scheduler placed a Pod or the quota counted; missing without an object", () => {
        const unscheduled = judgePodRequests(livePod("classic", null), livePod("native"), quota({}));
        assert.deepStrictEqual([unscheduled.state], ["starting"]);
        assert.match(unscheduled.message, /Pod lesson-requests-classic is not on a node yet/);
        assert.strictEqual(judgePodRequests(livePod("classic"), livePod("native"), quota()).state, "starting");
        assert.strictEqual(judgePodRequests(livePod("classic"), livePod("native"), undefined).state, "missing");
        assert.strictEqual(judgePodRequests(undefined, livePod("native"), quota()).state, "missing");
    });
});
