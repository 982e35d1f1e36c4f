import * as assert from "assert";
import { podRenderer, resolvePodSettings } from "../components/demoPod";
import { DEFAULT_IMAGE } from "../components/podDefaults";
import { setting } from "../components/settings";
import { integerInRange } from "../components/validation";

/** The resolver and renderer every demo Pod and Pod lesson is made with (components/demoPod.ts). */
describe("demoPod: resolvePodSettings and podRenderer", () => {
    const TABLE = {
        port: setting({
            type: "integer",
            default: 8080,
            example: "8080",
            description: "A port.",
            check: (field, value, example) => integerInRange(field, value, 1024, 65535, example),
        }),
    };

    it("resolves the settings every demo Pod takes, then the table's, with their defaults", () => {
        assert.deepStrictEqual(resolvePodSettings(TABLE, "web", {}), {
            podName: "web",
            image: DEFAULT_IMAGE,
            waitForReady: true,
            port: 8080,
        });
        assert.strictEqual(resolvePodSettings(TABLE, "web", { podName: "other", port: 9000 }).podName, "other");
    });

    it("throws the first bad setting, the shared ones first, naming it", () => {
        assert.throws(() => resolvePodSettings(TABLE, "web", { image: "", port: 1 }), /image/);
        assert.throws(() => resolvePodSettings(TABLE, "web", { port: 80 }), /port.*80.*8080/s);
    });

    it("renders the spec and the containers from the resolved settings, a list or a function of them", () => {
        const resolve = (name: string, args: { port?: number }) => resolvePodSettings(TABLE, name, args);
        const spec = (s: { port: number }) => ({ containers: [{ name: "web", ports: [{ containerPort: s.port }] }] });
        const fixed = podRenderer(resolve, { spec, containers: ["web"], followed: ["web"] })("web", { port: 9000 });
        assert.deepStrictEqual(fixed, {
            settings: { podName: "web", image: DEFAULT_IMAGE, waitForReady: true, port: 9000 },
            spec: { containers: [{ name: "web", ports: [{ containerPort: 9000 }] }] },
            containers: ["web"],
            followed: ["web"],
        });
        const byPort = podRenderer(resolve, { spec, containers: (s) => [`web-${s.port}`], followed: [] });
        assert.deepStrictEqual(byPort("web", {}).containers, ["web-8080"]);
    });
});
