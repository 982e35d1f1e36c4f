import * as pulumi from "@pulumi/pulumi";
import { DemoPodArgs } from "../../components/demoPod";
import { SettingsOf, SettingsTable } from "../../components/settings";
import { LessonSpec } from "./reader";

/** What every lesson gets from the stack: the same namespace, image and await settings as the demo Pods. */
export type LessonContext = Omit<DemoPodArgs, "podName">;

/** The commands a lesson exports: one line each, or a group (`logs`: one per container). */
export type LessonCommands = Record<string, string | Record<string, string>>;

/** A deployed lesson, as the stack sees it: one component, and the commands it exports. */
export interface Lesson {
    readonly urn: pulumi.Output<string>;
    readonly commands: pulumi.Output<LessonCommands>;
    /** The checked settings it was built from (plain data): the stack's `deployed` output shows them. */
    readonly settings: pulumi.Output<object>;
}

/**
 * A lesson, whole: what lessons/<name>/index.ts exports and the registry (lessons/index.ts)
 * lists under the lesson's name. The stack creates it, verify checks it.
 */
export interface LessonDefinition<T extends SettingsTable = SettingsTable> {
    /** One line: what the lesson shows. */
    title: string;
    /** The settings only this lesson takes, beside the demo Pods' (DEMO_POD_SETTINGS). */
    settings: T;
    /** `settings`: the stack's `lessonSettings` for this lesson, checked against {@link settings}. */
    create(context: LessonContext, settings: Partial<SettingsOf<T>>, opts: pulumi.ComponentResourceOptions): Lesson;
    /**
     * The lesson as a verify check, made afresh for each run; `now` is the run's clock, `settings` what the
     * stack deployed the lesson with (its `deployed` output), else the table's defaults.
     */
    check(now: () => number, settings: SettingsOf<T>): LessonSpec<unknown>;
}
