import * as os from "os";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import {
    DEFAULT_INIT_STEP_NAME,
    INIT_DEMO_POD_NAME,
    INIT_MAIN_CONTAINER,
    InitDemoPod,
    KindCluster,
    LAB_SERVER_SIDE_APPLY,
    LabNamespace,
    SIDECAR_CONTAINER,
    SIDECAR_DEMO_POD_NAME,
    SIDECAR_MAIN_CONTAINER,
    SidecarDemoPod,
    StudentNamespace,
    kubectlCommand,
    deployedLab,
    studentCommands,
} from "./components";
import { createLessons } from "./lessons";
import { labImages, podImages } from "./lab/images";
import { LabConfig, LabConfigError, parseLabConfig, projectConfig } from "./config";
import {
    adminKubeconfigPath,
    expandHome,
    kubeconfigContexts,
    kubeconfigFileProblem,
    kubeconfigFiles,
    loadClusterEndpoint,
} from "./host/kubeconfig";

// The stack program: read and check every config value before registering
// anything, then wire the cluster, the namespace and the two demo Pods.

function readConfig(): LabConfig {
    // Every key of the project's namespace, not only the known ones: a misspelled key must stop the run.
    const raw = projectConfig(pulumi.runtime.allConfig());
    const home = os.homedir();
    try {
        return parseLabConfig(raw, pulumi.getStack(), {
            env: process.env,
            kubeconfigFileProblem: (file) => kubeconfigFileProblem(expandHome(file, home)),
            kubeContexts: (file) => kubeconfigContexts(kubeconfigFiles(file, process.env.KUBECONFIG, home)),
        });
    } catch (err) {
        // A RunError is printed without a stack trace: the message says everything.
        if (err instanceof LabConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}

const lab = readConfig();

/**
 * isolation "student": where the student's kubeconfig points. The API server and CA are the
 * cluster's as the admin kubeconfig this stack deploys with has them (the provider reads the same
 * file and context). Read before anything is registered, so a problem stops the run cleanly.
 */
function readStudentCluster(): ReturnType<typeof loadClusterEndpoint> | undefined {
    if (lab.isolation.mode !== "student" || lab.cluster.mode !== "existing") return undefined;
    const file = adminKubeconfigPath(lab.cluster.kubeconfigPath, process.env.KUBECONFIG, os.homedir());
    try {
        return loadClusterEndpoint(file, lab.cluster.kubeContext);
    } catch (err) {
        throw new pulumi.RunError(
            `isolation "student" takes the cluster's server and CA for the student's kubeconfig from the kubeconfig ` +
                `this stack deploys with, and could not: ${(err as Error).message}`,
        );
    }
}

const studentCluster = readStudentCluster();

const kind =
    lab.cluster.mode === "kind"
        ? new KindCluster("lab", {
              clusterName: lab.cluster.clusterName,
              nodeImage: lab.cluster.nodeImage,
              workerNodes: lab.cluster.workerNodes,
              kindPath: lab.cluster.kindPath,
              // Loaded from the host's Docker when the cluster is created, so its nodes need not pull them.
              loadImages: podImages(labImages(lab)),
          })
        : undefined;

const existing = lab.cluster.mode === "existing" ? lab.cluster : undefined;
const provider =
    kind?.provider ??
    // No deleteUnreachable here: a shared cluster that is briefly unreachable must not lose its Pods from the state.
    new k8s.Provider("existing-cluster", {
        context: existing?.kubeContext,
        kubeconfig: existing?.kubeconfigPath && expandHome(existing.kubeconfigPath, os.homedir()),
        enableServerSideApply: LAB_SERVER_SIDE_APPLY,
    });

// Everything else lives in the cluster. When this stack made the cluster, deleting it deletes all of
// that, so `pulumi destroy` skips deleting the Pods and the namespace one by one first (about 8 s).
const inCluster: pulumi.ComponentResourceOptions = kind ? { provider, deletedWith: kind } : { provider };

const kubeContext: pulumi.Input<string> | undefined = kind ? kind.kubeContext : existing?.kubeContext;
const kubeconfigPath = existing?.kubeconfigPath;

const student =
    lab.isolation.mode === "student" && studentCluster
        ? new StudentNamespace(
              "lab",
              {
                  student: lab.isolation.student,
                  namespaceName: lab.namespace,
                  cluster: {
                      name: studentCluster.cluster,
                      server: studentCluster.server,
                      caData: studentCluster.caData,
                  },
              },
              inCluster,
          )
        : undefined;

const namespaceName: pulumi.Input<string> = student
    ? student.namespaceName
    : lab.createNamespace
      ? new LabNamespace("lab", { namespaceName: lab.namespace }, inCluster).namespaceName
      : lab.namespace;

const common = {
    namespace: namespaceName,
    image: lab.image,
    waitForReady: lab.waitForReady,
    readyTimeoutSeconds: lab.readyTimeoutSeconds,
    kubeContext,
    kubeconfigPath,
};

const initPod = new InitDemoPod(INIT_DEMO_POD_NAME, { ...common, ...lab.initPod }, inCluster);
const sidecarPod = new SidecarDemoPod(SIDECAR_DEMO_POD_NAME, { ...common, ...lab.sidecarPod }, inCluster);

const namespace = pulumi.output(namespaceName);

// Opt-in lessons: same namespace, image, await settings and provider as the demo Pods.
const lessons = createLessons(lab.lessons, common, lab.lessonSettings, inCluster);
const lessonCommands = Object.fromEntries(Object.entries(lessons).map(([name, lesson]) => [name, lesson.commands]));

// What was deployed, for the readers that check it (verify, classroom verify); the timeline draws what it sees.
const deployed = pulumi
    .all([
        initPod.settings,
        sidecarPod.settings,
        pulumi.all(Object.fromEntries(Object.entries(lessons).map(([name, lesson]) => [name, lesson.settings]))),
    ])
    .apply(([init, sidecar, lessonSettings]) => deployedLab(init, sidecar, lessonSettings));

const logCommands = pulumi.all([initPod.logCommands, sidecarPod.logCommands]).apply(([init, sidecar]) => ({
    init: init[DEFAULT_INIT_STEP_NAME],
    main: init[INIT_MAIN_CONTAINER],
    sidecar: sidecar[SIDECAR_CONTAINER],
    sidecarMain: sidecar[SIDECAR_MAIN_CONTAINER],
}));

const watchCommands = {
    all: pulumi
        .all([kubeContext, namespace])
        .apply(([context, ns]) => kubectlCommand({ context, kubeconfigPath, namespace: ns }, "get", "pods", "-w")),
    init: initPod.watchCommand,
    sidecar: sidecarPod.watchCommand,
};

// The stack outputs. Keys that do not apply (no kind cluster, no explicit context) are left
// out rather than exported as undefined, which Pulumi would warn about on every run.
export = {
    ...(kind ? { clusterName: kind.clusterName, kubeconfig: kind.kubeconfig } : {}),
    ...(kubeContext ? { kubeContext } : {}),
    namespace,
    initPodName: initPod.podName,
    sidecarPodName: sidecarPod.podName,
    logCommands,
    watchCommands,
    describeCommands: { init: initPod.describeCommand, sidecar: sidecarPod.describeCommand },
    deployed,
    // One entry per deployed lesson (`npm run verify` checks those), left out when there are none.
    ...(lab.lessons.length > 0 ? { lessons: pulumi.output(lessonCommands) } : {}),
    ...(student && lab.isolation.mode === "student"
        ? {
              studentKubeconfig: student.kubeconfig,
              studentCommands: studentCommands(lab.isolation.student, lab.namespace, pulumi.getStack()),
          }
        : {}),
};
