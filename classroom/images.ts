import * as path from "path";
import { FETCH_IMAGES, LabImage, classImages, podImages, stackImages } from "../lab/images";
import { DockerPresence, Runner, dockerPresence, loadIntoContext, runTool } from "../lab/imageHost";
import { rawStackConfig, stackConfig } from "../lab/stackFile";
import { IMAGES_USAGE, ImagesCommand, parseImagesArgs } from "./imagesArgs";
import { UsageError } from "./args";
import { Topology } from "./topology";

/**
 * `npm run classroom -- images ...`: the class's images in this host's Docker (list, pull), and
 * carried to a machine without network in one archive (save, load). Docker does the work; this
 * says which images, and names each one that is missing or failed with Docker's own words.
 */

export interface ImagesDeps {
    run: Runner;
    env: Readonly<Record<string, string | undefined>>;
    /** Where relative FILE names are (where the user typed the command). */
    cwd: string;
    out: (text: string) => void;
    err: (text: string) => void;
    /** A stack's settings file (`config:`), for --stack. */
    stackFile: (stack: string) => Record<string, unknown>;
}

const defaultDeps = (): ImagesDeps => ({
    run: runTool,
    env: process.env,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    stackFile: stackConfig,
});

/** What uses an image, short enough for one line: Pod names, and the lessons counted past two. */
export function usedByText(usedBy: readonly string[]): string {
    const lessons = usedBy.filter((u) => u.startsWith("lesson "));
    const others = usedBy.filter((u) => !u.startsWith("lesson "));
    const lessonText = lessons.length > 2 ? [`${lessons.length} lessons`] : lessons;
    return [...others, ...lessonText].join(", ");
}

/** The list: one line an image (fits 80 columns for the lab's images), then what to do about missing ones. */
export function renderImageList(
    images: readonly LabImage[],
    presence: DockerPresence,
    nodeImageKnown: boolean,
): string {
    const width = Math.max(5, ...images.map((i) => i.image.length));
    const lines = [`${"IMAGE".padEnd(width)}  RUNS  DOCKER   USED BY`];
    for (const i of images) {
        const state = presence.problem ? "unknown" : presence.present.includes(i.image) ? "present" : "missing";
        lines.push(`${i.image.padEnd(width)}  ${i.runs.padEnd(4)}  ${state.padEnd(7)}  ${usedByText(i.usedBy)}`);
    }
    if (!nodeImageKnown) {
        lines.push(
            "kind's node image: kind's own default, named only by kind. To carry it, name it:",
            "  export LAB_KIND_NODE_IMAGE=kindest/node:v1.33.1 (or the stack's nodeImage)",
        );
    }
    if (presence.problem) lines.push(`Docker cannot be asked: ${presence.problem}.`);
    else if (presence.missing.length > 0) lines.push(fetchAdvice(presence.missing));
    else lines.push("Docker has every image: npm run up and classroom up load them, so no cluster pulls.");
    return lines.join("\n") + "\n";
}

/** The one command that brings missing images: pull where there is a network, else load an archive. */
export function fetchAdvice(missing: readonly string[]): string {
    return [
        `Missing from Docker: ${missing.join(", ")}.`,
        `Fetch them: ${FETCH_IMAGES.pull} (needs a registry)`,
        `or, offline: ${FETCH_IMAGES.load} (made by images save).`,
    ].join("\n");
}

/** The images the command works on: the class's, or a stack's. */
function imagesFor(command: { stack?: string }, deps: ImagesDeps): LabImage[] {
    if (command.stack === undefined) return classImages(deps.env);
    const found = stackImages(rawStackConfig(deps.stackFile(command.stack)), command.stack, deps.env);
    if ("problem" in found) throw new UsageError(`--stack ${command.stack}: ${found.problem}`);
    return found.images;
}

function firstWords(output: string): string {
    const lines = output.split("\n").filter((l) => l.trim() !== "");
    return lines[lines.length - 1]?.trim() ?? "no output";
}

/** Runs `images ...`; returns the exit code. UsageError (exit 2) propagates, as for every classroom command. */
export function imagesMain(argv: readonly string[], deps: ImagesDeps = defaultDeps()): number {
    const command: ImagesCommand = parseImagesArgs(argv);
    if (command.verb === "help") {
        deps.out(IMAGES_USAGE);
        return 0;
    }
    const images = imagesFor(command, deps);
    const names = images.map((i) => i.image);
    const nodeImageKnown = images.some((i) => i.runs === "node");
    switch (command.verb) {
        case "list": {
            const presence = dockerPresence(names, deps.run);
            deps.out(renderImageList(images, presence, nodeImageKnown));
            return presence.problem ? 1 : 0;
        }
        case "pull": {
            const presence = dockerPresence(names, deps.run);
            if (presence.problem) {
                deps.err(`error: Docker cannot be asked: ${presence.problem}.\n`);
                return 1;
            }
            for (const image of presence.present) deps.out(`present  ${image}\n`);
            let failed = 0;
            for (const image of presence.missing) {
                deps.out(`pulling  ${image} ...\n`);
                const pull = deps.run("docker", ["pull", image]);
                if (pull?.ok) deps.out(`pulled   ${image}\n`);
                else {
                    failed++;
                    deps.err(`error: docker pull ${image} failed: ${pull ? firstWords(pull.output) : "no output"}\n`);
                }
            }
            if (failed > 0) {
                deps.err(
                    `${failed} image${failed === 1 ? "" : "s"} could not be pulled: is a registry reachable from here?\n` +
                        "With a network elsewhere: images pull, images save FILE; here: images load FILE.\n",
                );
                return 1;
            }
            return 0;
        }
        case "save": {
            const file = path.resolve(deps.cwd, command.file);
            const presence = dockerPresence(names, deps.run);
            if (presence.problem || presence.missing.length > 0) {
                deps.err(
                    `error: nothing saved: ${presence.problem ? `Docker cannot be asked: ${presence.problem}.` : fetchAdvice(presence.missing)}\n`,
                );
                return 1;
            }
            deps.out(`saving ${names.join(", ")} to ${file} ...\n`);
            const save = deps.run("docker", ["save", "-o", file, ...names]);
            if (!save?.ok) {
                deps.err(`error: docker save failed: ${save ? firstWords(save.output) : "no output"}\n`);
                return 1;
            }
            deps.out(
                `Saved ${names.length} image${names.length === 1 ? "" : "s"} to ${file}; on the other machine: npm run classroom -- images load ${command.file}\n`,
            );
            return 0;
        }
        case "load": {
            const file = path.resolve(deps.cwd, command.file);
            const load = deps.run("docker", ["load", "-i", file]);
            if (!load?.ok) {
                deps.err(`error: docker load -i ${file} failed: ${load ? firstWords(load.output) : "no output"}\n`);
                return 1;
            }
            const presence = dockerPresence(names, deps.run);
            deps.out(`Loaded ${file}.\n${renderImageList(images, presence, nodeImageKnown)}`);
            return presence.problem || presence.missing.length > 0 ? 1 : 0;
        }
    }
}

/** classroom up on a shared cluster: the class's images into it, once, when it is a local kind cluster. */
export function loadClassImages(topology: Extract<Topology, { kind: "shared" }>, run: Runner = runTool): string {
    return loadIntoContext(topology.kubeconfig, topology.context, podImages(classImages(process.env)), run);
}
