import * as pulumi from "@pulumi/pulumi";
import { DemoPodArgs, DemoPodComponent, DemoPodSettings, RenderedDemoPod, resolveCommandTarget } from "../demoPod";
import { resolveArgs } from "../inputs";
import { KubectlTarget } from "../kubectlCommands";

/**
 * What the Pod lessons share: their Pod is wired exactly like the guide's two
 * (validated args, the await switch, log/watch/describe commands), and each
 * lesson adds the commands that make its point (fix a step, create a Service...).
 */

/** The commands a lesson exports: one line each, or a group (`logs`: one per container). */
export type LessonCommands = Record<string, string | Record<string, string>>;

/** A lesson Pod's spec plus the lesson's own settings, which its extra commands need. */
export interface RenderedLessonPod<S extends DemoPodSettings> extends RenderedDemoPod {
    settings: S;
}

/** The demo Pods' component, made public for lessons: one Pod, its commands, under the lesson. */
export class LessonPod<A extends DemoPodArgs> extends DemoPodComponent<A> {
    constructor(
        name: string,
        component: string,
        args: A,
        render: (plain: pulumi.Unwrap<A>) => RenderedDemoPod,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("initsidecarlab:lessons:LessonPod", name, component, args, render, opts);
    }
}

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

/** Where a lesson's kubectl commands point: the live namespace, and the context/kubeconfig the args name. */
export function commandTarget(
    parent: pulumi.Resource,
    label: string,
    args: { kubeContext?: pulumi.Input<string>; kubeconfigPath?: pulumi.Input<string> },
    namespace: pulumi.Input<string>,
): pulumi.Output<KubectlTarget> {
    const target = resolveArgs(
        parent,
        label,
        { kubeContext: args.kubeContext, kubeconfigPath: args.kubeconfigPath },
        resolveCommandTarget,
    );
    return pulumi.all([target, namespace]).apply(([t, ns]) => ({ ...t, namespace: ns }));
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

/** A lesson made of one Pod: the Pod (a {@link LessonPod} child) and its commands. */
export abstract class PodLesson<A extends DemoPodArgs, S extends DemoPodSettings> extends pulumi.ComponentResource {
    /** The lesson's Pod component. */
    public readonly pod: LessonPod<A>;
    public readonly podName: pulumi.Output<string>;
    /** watch, describe, logs (one per container) and the lesson's own commands. */
    public readonly commands: pulumi.Output<LessonCommands>;

    protected constructor(
        type: string,
        name: string,
        args: A,
        lesson: PodLessonDefinition<A, S>,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(type, name, {}, opts);
        const label = `${type.split(":")[2]} "${name}"`;
        // Without the namespace and kubectl target, which are known only once the cluster exists.
        const podArgs: Partial<A> = { ...args };
        delete podArgs.namespace;
        delete podArgs.kubeContext;
        delete podArgs.kubeconfigPath;
        // Checked here first, so a bad value names the lesson before anything is registered.
        const rendered = resolveArgs(this, label, podArgs, (plain) => lesson.render(plain as pulumi.Unwrap<A>));
        this.pod = new LessonPod<A>(name, lesson.component, args, lesson.render, { parent: this });
        this.podName = this.pod.podName;
        const target = commandTarget(this, label, args, this.pod.namespace);
        this.commands = pulumi
            .all([
                target,
                this.podName,
                rendered,
                this.pod.watchCommand,
                this.pod.describeCommand,
                this.pod.logCommands,
            ])
            .apply(([t, podName, r, watch, describe, logs]): LessonCommands => ({
                watch,
                describe,
                logs,
                // Settings are plain data, so unwrapping them changes nothing.
                ...lesson.extraCommands(t, podName, r.settings as S),
            }));
        if (lesson.announce) {
            const announce = lesson.announce;
            this.commands.apply((c) => pulumi.log.info(announce(c), this));
        }
        this.registerOutputs({ podName: this.podName, commands: this.commands });
    }
}
