import * as assert from "assert";
import { XMLParser } from "fast-xml-parser";
import { podTimeline } from "../../timeline/model";
import { podSvg, renderPage } from "../../timeline/page";
import { failingInit, failingInitEvents, initTest, nativeJobDone, seconds } from "./pods";

interface Rect {
    "@_class": string;
    "@_x": string;
    "@_width": string;
    title: string;
}
interface Row {
    "@_data-container": string;
    "@_data-role": string;
    rect?: Rect | Rect[];
}

describe("timeline/page: the self-contained page", () => {
    const now = seconds(30);
    /** The SVG as a person's browser reads it: each container's runs with their x and hover text. */
    const rows = (svg: string) => {
        const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "g" }).parse(svg);
        return (parsed.svg.g as Row[]).map((g) => ({
            container: g["@_data-container"],
            role: g["@_data-role"],
            runs: [g.rect ?? []].flat().map((r) => ({
                x: Number(r["@_x"]),
                end: Number(r["@_x"]) + Number(r["@_width"]),
                failed: r["@_class"].includes("failed"),
                title: r.title,
            })),
        }));
    };

    it("draws the init run ending left of where the app's begins, with the exact times on hover", () => {
        const [init, app] = rows(podSvg(podTimeline(initTest(12), [], now), now));
        assert.deepStrictEqual([init.container, app.container], ["init-container", "main-container"]);
        assert.ok(init.runs[0].end < app.runs[0].x, `init ends at ${init.runs[0].end}, app begins at ${app.runs[0].x}`);
        assert.strictEqual(
            init.runs[0].title,
            "init-container (init), run 1: 2026-11-25T10:00:01.000Z to 2026-11-25T10:00:11.000Z, exit 0 (Completed)",
        );
        assert.match(app.runs[0].title, /to now \(still running\)$/);
    });

    it("draws a native sidecar's run beginning before the app's and ending after it", () => {
        const [sidecar, app] = rows(podSvg(podTimeline(nativeJobDone(), [], now), now));
        assert.strictEqual(sidecar.role, "native-sidecar");
        assert.ok(sidecar.runs[0].x < app.runs[0].x && sidecar.runs[0].end > app.runs[0].end);
    });

    it("draws each failed run of an init step as its own bar, marked failed", () => {
        const [step] = rows(podSvg(podTimeline(failingInit(), failingInitEvents(), now), now));
        assert.deepStrictEqual(
            step.runs.map((r) => r.failed),
            [true, true],
        );
        assert.ok(step.runs[0].end < step.runs[1].x);
    });

    it("is one self-contained page: no script, nothing from the network, a legend, the lesson beside each Pod", () => {
        const page = renderPage([podTimeline(initTest(12), [], now)], now, {
            title: "stack dev",
            lessonSentence: (lesson) =>
                lesson === "init-demo" ? "An init container runs first & must finish." : undefined,
        });
        assert.ok(!/<script|<link|@import|url\(/i.test(page), "no script, stylesheet or font from elsewhere");
        const urls = page.match(/https?:\/\/[^"'\s)]+/g) ?? [];
        assert.deepStrictEqual(urls, ["http://www.w3.org/2000/svg"], "only the SVG namespace, which is never fetched");
        assert.match(page, /<p class="lesson">An init container runs first &amp; must finish\.<\/p>/);
        assert.match(page, /class="legend"><span><i class="init"><\/i>init container<\/span>/);
        assert.match(page, /<p class="notice">main-container started 1 s after init-container finished\.<\/p>/);
        assert.ok(page.includes("init-test   1/1     Running   0          30s"), "the kubectl line");
    });
});
