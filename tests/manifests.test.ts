import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { buildInitDemoPodSpec, resolveInitDemoPodSettings } from "../components/initDemoPod";
import { PodSpec } from "../components/podDefaults";
import { buildSidecarDemoPodSpec, resolveSidecarDemoPodSettings } from "../components/sidecarDemoPod";

/** The guide's manifests are kept for `kubectl apply -f` users; the components must render the same Pods. */
interface Manifest {
    metadata: { name: string };
    spec: PodSpec;
}

function readManifest(file: string): Manifest {
    return parse(fs.readFileSync(path.join(__dirname, "..", "manifests", file), "utf8"));
}

/** The parts of a Pod that make its behaviour: which containers run what, in which order, sharing what. */
function behaviour(spec: PodSpec) {
    const strip = (containers: PodSpec["containers"] | undefined) =>
        (containers ?? []).map((c) => ({
            name: c.name,
            image: c.image,
            command: c.command,
            volumeMounts: c.volumeMounts ?? [],
        }));
    return {
        initContainers: strip(spec.initContainers),
        containers: strip(spec.containers),
        volumes: spec.volumes ?? [],
    };
}

describe("manifests/ (the guide's YAML) and the components' defaults", () => {
    const cases = [
        {
            file: "init-container.yml",
            render: (image?: string) => buildInitDemoPodSpec(resolveInitDemoPodSettings("init-test", { image })),
        },
        {
            file: "sidecar-container.yml",
            render: (image?: string) =>
                buildSidecarDemoPodSpec(resolveSidecarDemoPodSettings("sidecar-test", { image })),
        },
    ];
    for (const { file, render } of cases) {
        it(`${file}: with image busybox:latest the component renders the guide's Pod exactly`, () => {
            const manifest = readManifest(file);
            assert.deepStrictEqual(behaviour(render("busybox:latest")), behaviour(manifest.spec));
        });

        it(`${file}: the default differs only by its pinned image`, () => {
            const manifest = readManifest(file);
            const rendered = behaviour(render());
            const unpinned = JSON.parse(JSON.stringify(rendered).replace(/busybox:1\.37\.0/g, "busybox:latest"));
            assert.notDeepStrictEqual(rendered, behaviour(manifest.spec));
            assert.deepStrictEqual(unpinned, behaviour(manifest.spec));
        });
    }

    it("the Pods keep the guide's names", () => {
        assert.strictEqual(
            readManifest("init-container.yml").metadata.name,
            resolveInitDemoPodSettings("init-test", {}).podName,
        );
        assert.strictEqual(
            readManifest("sidecar-container.yml").metadata.name,
            resolveSidecarDemoPodSettings("sidecar-test", {}).podName,
        );
    });
});
