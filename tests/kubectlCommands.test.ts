import * as assert from "assert";
import { kubectlCommand, podCommands, shellQuote, studentCommands } from "../components/kubectlCommands";

describe("kubectlCommands", () => {
    it("names the context and namespace so a command works from any shell", () => {
        assert.strictEqual(
            kubectlCommand({ context: "kind-lab-dev", namespace: "lab-dev" }, "get", "pods"),
            "kubectl --context kind-lab-dev -n lab-dev get pods",
        );
    });

    it("adds --kubeconfig when one is set, and leaves out what is not", () => {
        assert.strictEqual(
            kubectlCommand({ kubeconfigPath: "/home/me/.kube/lab.yaml", namespace: "ns" }, "get", "pods"),
            "kubectl --kubeconfig /home/me/.kube/lab.yaml -n ns get pods",
        );
    });

    it("quotes only the words a shell would split or expand", () => {
        assert.strictEqual(
            shellQuote("arn:aws:eks:eu-west-1:123:cluster/lab"),
            "arn:aws:eks:eu-west-1:123:cluster/lab",
        );
        assert.strictEqual(shellQuote("My Cluster"), "'My Cluster'");
        assert.strictEqual(shellQuote("it's"), `'it'"'"'s'`);
        assert.strictEqual(shellQuote("$HOME"), "'$HOME'");
    });

    it("builds logs for every container, following only the streaming ones, plus watch and describe", () => {
        const commands = podCommands({ context: "c", namespace: "n" }, "p", ["a", "b"], ["b"]);
        assert.deepStrictEqual(commands, {
            logs: {
                a: "kubectl --context c -n n logs p -c a",
                b: "kubectl --context c -n n logs p -c b -f",
            },
            watch: "kubectl --context c -n n get pod p -w",
            describe: "kubectl --context c -n n describe pod p",
        });
    });

    it("gives a student the line that saves their kubeconfig and commands that use it in their namespace", () => {
        const k = "kubectl --kubeconfig ana.kubeconfig -n lab-ana";
        assert.deepStrictEqual(studentCommands("ana", "lab-ana", "ana"), {
            saveKubeconfig: "pulumi stack output studentKubeconfig --show-secrets --stack ana > ana.kubeconfig",
            getPods: `${k} get pods`,
            watchPods: `${k} get pods -w`,
            canI: `${k} auth can-i --list`,
        });
    });

    it("quotes a stack name a shell would split", () => {
        const { saveKubeconfig } = studentCommands("ana", "lab-ana", "org/class 1");
        assert.strictEqual(
            saveKubeconfig,
            "pulumi stack output studentKubeconfig --show-secrets --stack 'org/class 1' > ana.kubeconfig",
        );
    });
});
