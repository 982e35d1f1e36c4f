import * as pulumi from "@pulumi/pulumi";
import {
    DemoPodArgs,
    DemoPodComponent,
    DemoPodSettings,
    RenderedDemoPod,
    checkDemoPodArgs,
    componentLabel,
} from "../../components/demoPod";
import { KubectlTarget } from "../../components/kubectlCommands";
import { SHARED_LOGS_VOLUME } from "../../components/sidecarDemoPod";
import { setting } from "../../components/settings";
import { integerInRange } from "../../components/validation";
import { LessonCommands } from "./lesson";

/**
 * The shared log the writer and reader lessons use (log-adapter, metrics-exporter, native-sidecar):
 * one place, since metrics-exporter reads what log-adapter's writer script writes.
 */
export const LOG_VOLUME = SHARED_LOGS_VOLUME;
export const LOG_DIR = "/var/log/app";
export const LOG_FILE = `${LOG_DIR}/app.log`;

/**
 * What the Pod lessons share: their Pod is wired exactly like the guide's two
 * (validated args, the await switch, log/watch/describe commands), and each
 * lesson adds the commands that make its point (fix a step, create a Service...).
 */

/** A lesson Pod's spec plus the lesson's own settings, which its extra commands need. */
export type RenderedLessonPod<S extends DemoPodSettings> = RenderedDemoPod<S>;

/** The seconds between two of a lesson app's lines: shorter than the demo Pod's, so a lesson shows its point fast. */
export const LESSON_INTERVAL_SECONDS = setting({
    type: "integer",
    default: 2,
    example: "2",
    description: "Seconds between two of the app's lines (1-60).",
    check: (field, value, example) => integerInRange(field, value, 1, 60, example),
});

/** A port a lesson's server listens on. Below 1024 needs NET_BIND_SERVICE, which Pod Security restricted drops. */
export function unprivilegedPort(port: number, serves: string) {
    return setting({
        type: "integer",
        default: port,
        example: String(port),
        description: `Port the ${serves} (1024-65535: a non-root user cannot bind below).`,
        check: (field, value, example) => integerInRange(field, value, 1024, 65535, example),
    });
}

/**
 * Until the lessons were flattened, a Pod lesson's Pod was the child of a component of this type,
 * of the lesson's name, under the lesson. Stacks deployed then hold that URN: the Pod's alias.
 */
export const FORMER_POD_PARENT_TYPE = "initsidecarlab:lessons:LessonPod";

/**
 * Ready once the server answers from inside the Pod. An exec probe rather than httpGet: it
 * needs no route from the node to the Pod's IP (the e2e node has none), and busybox has wget.
 */
export function localHttpProbe(port: number, path: string): { exec: { command: string[] }; periodSeconds: number } {
    return {
        exec: { command: ["sh", "-c", `wget -q -O /dev/null http://127.0.0.1:${port}${path}`] },
        periodSeconds: 2,
    };
}

/** How one Pod lesson renders its Pod and the commands only it has. */
export interface PodLessonDefinition<A extends DemoPodArgs, S extends DemoPodSettings> {
    /** The `app.kubernetes.io/component` label of the Pod. */
    component: string;
    render: (plain: pulumi.Unwrap<A>) => RenderedLessonPod<S>;
    /** The lesson's own commands, beside watch, describe and logs. */
    extraCommands: (target: KubectlTarget, podName: string, settings: S) => Record<string, string>;
    /** What `pulumi up` prints once the Pod exists: what to watch, what to run next. */
    announce?: (commands: LessonCommands) => string;
}

/**
 * A lesson made of one Pod: one component that owns its Pod (wired exactly like the demo Pods:
 * validated args, the await switch, watch/describe/logs) and the lesson's own commands.
 */
export abstract class PodLesson<A extends DemoPodArgs, S extends DemoPodSettings> extends DemoPodComponent<
    RenderedLessonPod<S>
> {
    /** watch, describe, logs (one per container) and the lesson's own commands. */
    public readonly commands: pulumi.Output<LessonCommands>;

    protected constructor(
        type: string,
        name: string,
        args: A,
        lesson: PodLessonDefinition<A, S>,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        // Every argument is checked before the lesson registers, and the error names the lesson:
        // a bad one leaves nothing behind. Its Pod is built from these checks, not new ones.
        const checked = checkDemoPodArgs(componentLabel(type, name), args, lesson.render);
        super(type, name, lesson.component, checked, opts, (self) => [
            { parent: pulumi.createUrn(name, FORMER_POD_PARENT_TYPE, self) },
        ]);
        this.commands = pulumi
            .all([
                this.commandTarget,
                this.podName,
                this.settings,
                this.watchCommand,
                this.describeCommand,
                this.logCommands,
            ])
            .apply(([t, podName, settings, watch, describe, logs]): LessonCommands => ({
                watch,
                describe,
                logs,
                // Settings are plain data, so unwrapping them changes nothing.
                ...lesson.extraCommands(t, podName, settings as S),
            }));
        if (lesson.announce) {
            const announce = lesson.announce;
            this.commands.apply((c) => pulumi.log.info(announce(c), this));
        }
        this.registerOutputs({ ...this.demoPodOutputs(), commands: this.commands });
    }
}
