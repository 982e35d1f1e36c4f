import { DEMO_POD_SETTINGS } from "../components/demoPod";
import { INIT_DEMO_POD_SETTINGS } from "../components/initDemoPod";
import { KIND_CLUSTER_SETTINGS } from "../components/kindCluster";
import { SettingsTable } from "../components/settings";
import { SIDECAR_DEMO_POD_SETTINGS } from "../components/sidecarDemoPod";
import { LabConfig, LabConfigError, RawConfig, parseLabConfig } from "../config";
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

/** The one command that fetches missing images (where a registry answers), and the one that loads them offline. */
export const FETCH_IMAGES = {
    pull: "npm run classroom -- images pull",
    load: "npm run classroom -- images load FILE",
} as const;

/** The images `kind load` puts into a cluster: those the Pods run. */
export function podImages(images: readonly LabImage[]): string[] {
    return images.filter((i) => i.runs === "pod").map((i) => i.image);
}

/**
 * A stack's images from its config (as the program reads it, the environment filling in an unset
 * node image), or why they cannot be known: the config has a problem `pulumi up` will name.
 */
export function stackImages(
    raw: RawConfig,
    stack: string,
    env: Readonly<Record<string, string | undefined>>,
): { images: LabImage[]; cluster: LabConfig["cluster"] } | { problem: string } {
    try {
        const config = parseLabConfig(raw, stack, { env });
        return { images: labImages(config), cluster: config.cluster };
    } catch (err) {
        if (err instanceof LabConfigError) return { problem: err.message };
        throw err;
    }
}

/** What a class needs: every image of a lab stack with every lesson, kind's node image as the environment names it. */
export function classImages(env: Readonly<Record<string, string | undefined>>): LabImage[] {
    return labImages(parseLabConfig({ lessons: "all" }, "classroom", { env }));
}

/** The kind cluster a kube context talks to, when it is one of kind's (`kind-<name>`) and kind lists it. */
export function kindClusterOfContext(context: string, kindClusters: readonly string[]): string | undefined {
    const name = context.startsWith("kind-") ? context.slice("kind-".length) : undefined;
    return name !== undefined && kindClusters.includes(name) ? name : undefined;
}
