import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectWithFakeKind } from "./harness";

/**
 * The policy pack in policy/ on the real Pulumi engine: `pulumi preview --policy-pack policy`
 * starts it through the language host (RunPlugin, kind "analyzer") and checks every resource
 * the lab would create. No cluster is needed: a preview never reaches one, nor runs kind.
 */
const POLICY_PACK = path.join(__dirname, "..", "policy");
/** PolicyPack reads its version from the pack directory's package.json: proof the pack runs in its own directory. */
const PACK_VERSION = JSON.parse(fs.readFileSync(path.join(POLICY_PACK, "package.json"), "utf8")).version;

describe("the policy pack on the real Pulumi engine (no cluster)", () => {
    const { fake, project } = projectWithFakeKind();

    it("lets a fresh stack with the default config through", async () => {
        const stack = await project().stack("policyok");
        const preview = await stack.preview({ policyPacks: [POLICY_PACK] });
        assert.deepStrictEqual(preview.changeSummary, { create: 10 });
        assert.ok(
            preview.stdout.includes(`✅ init-sidecar-lab@v${PACK_VERSION} (local: ${POLICY_PACK})`),
            `the pack ran and passed; the preview printed:\n${preview.stdout}`,
        );
        assert.doesNotMatch(preview.stdout, /\[(mandatory|advisory)\]/, "no violation, not even an advisory one");
        assert.deepStrictEqual(fake.calls(), [], "a preview never runs kind");
    });

    it("stops a preview with image busybox:latest, naming each Pod and container and the fix", async () => {
        const stack = await project().stack("policylatest", { image: "busybox:latest" });
        await assert.rejects(stack.preview({ policyPacks: [POLICY_PACK] }), (err: Error) => {
            assert.ok(
                err.message.includes(`❌ init-sidecar-lab@v${PACK_VERSION}`),
                `the pack failed the preview; the error was:\n${err.message}`,
            );
            assert.match(
                err.message,
                /\[mandatory\]\s+pinned-container-images\s+\(kubernetes:core\/v1:Pod: init-test\)/,
            );
            for (const [pod, container] of [
                ["init-test", 'init container "init-container"'],
                ["init-test", 'container "main-container"'],
                ["sidecar-test", 'container "main-container"'],
                ["sidecar-test", 'container "sidecar-container"'],
            ]) {
                assert.ok(
                    err.message.includes(
                        `Pod "lab-policylatest/${pod}": ${container} uses image "busybox:latest", a moving tag.`,
                    ),
                    `${pod} ${container} is reported`,
                );
            }
            assert.match(err.message, /pulumi config set init-sidecar-lab:image busybox:1\.37\.0/);
            // Only the image is wrong: the other policies pass.
            assert.doesNotMatch(err.message, /container-resource-bounds|pod-security-restricted|bare-pods-only/);
            return true;
        });
        assert.deepStrictEqual(fake.calls(), []);
    });
});
