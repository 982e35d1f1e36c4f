import { DEMO_POD_SETTINGS } from "../components/demoPod";
import { INIT_DEMO_POD_SETTINGS } from "../components/initDemoPod";
import { KIND_CLUSTER_SETTINGS } from "../components/kindCluster";
import { SettingsTable } from "../components/settings";
import { SIDECAR_DEMO_POD_SETTINGS } from "../components/sidecarDemoPod";
import type { LabConfig } from "../config";
import { LESSONS } from "../lessons/registry";

/**
 * Every image a lab stack uses, derived from the settings tables (a setting marked `holdsImage`)
 * with the stack's values, never listed by hand: a lesson that gains an image setting adds its
 * image here by itself. Pure; lab/imageHost.ts asks Docker and kind about them.
 */

export interface LabImage {
    image: string;
    /** `pod`: the lab's containers run it (kind loads it into the cluster); `node`: kind's node image. */
    runs: "pod" | "node";
    /** What uses it: Pod names for the demo Pods, `lesson <name>` for a lesson, `kind node`. */
    usedBy: string[];
}

/** The parts of a stack's checked config the images depend on. */
export type ImageConfig = Pick<
    LabConfig,
    "cluster" | "image" | "lessons" | "lessonSettings" | "initPod" | "sidecarPod"
>;

/** One component's values for its tables: every setting marked with the `runs` kind, its value, else its default. */
export function imagesOfTables(
    tables: readonly SettingsTable[],
    values: Readonly<Record<string, unknown>>,
    runs: LabImage["runs"],
): string[] {
    const images: string[] = [];
    for (const table of tables) {
        for (const [key, spec] of Object.entries(table)) {
            if (spec.holdsImage !== runs) continue;
            const value = values[key] ?? spec.default;
            if (typeof value === "string" && value !== "") images.push(value);
        }
    }
    return images;
}

/**
 * The stack's images, each once, in the order they are first used: the demo Pods', each deployed
 * lesson's (registry order), then kind's node image when the stack names one ("" is kind's own default,
 * which only kind knows).
 */
export function labImages(config: ImageConfig): LabImage[] {
    const found = new Map<string, LabImage>();
    const add = (image: string, runs: LabImage["runs"], user: string) => {
        const entry = found.get(image) ?? { image, runs, usedBy: [] };
        if (!entry.usedBy.includes(user)) entry.usedBy.push(user);
        found.set(image, entry);
    };
    const shared = { image: config.image };
    const pods: [string, SettingsTable, Record<string, unknown>][] = [
        [config.initPod.podName, INIT_DEMO_POD_SETTINGS, config.initPod],
        [config.sidecarPod.podName, SIDECAR_DEMO_POD_SETTINGS, config.sidecarPod],
        ...config.lessons.map((name): [string, SettingsTable, Record<string, unknown>] => [
            `lesson ${name}`,
            LESSONS[name].settings,
            config.lessonSettings[name] ?? {},
        ]),
    ];
    for (const [user, table, values] of pods) {
        for (const image of imagesOfTables([DEMO_POD_SETTINGS, table], { ...shared, ...values }, "pod")) {
            add(image, "pod", user);
        }
    }
    if (config.cluster.mode === "kind") {
        for (const image of imagesOfTables([KIND_CLUSTER_SETTINGS], config.cluster, "node"))
            add(image, "node", "kind node");
    }
    return [...found.values()];
}

/** The images `kind load` puts into a cluster: those the Pods run. */
export function podImages(images: readonly LabImage[]): string[] {
    return images.filter((i) => i.runs === "pod").map((i) => i.image);
}
