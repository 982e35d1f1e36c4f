import * as assert from "assert";
import { kubectlCommand, podCommands, shellQuote } from "../components/kubectlCommands";

describe("kubectlCommands", () => {
    it("names the context and namespace so a command works from any shell", () => {
        assert.strictEqual(
            kubectlCommand({ context: "kind-lab-dev", namespace: "lab-dev" }, "get", "pods"),
            "kubectl --context kind-lab-dev -n lab-dev get pods",
        );
    });

    it("adds --kubeconfig when one is set, and leaves out what is not", () => {
        assert.strictEqual(
            kubectlCommand({ kubeconfig: "/home/me/.kube/lab.yaml", namespace: "ns" }, "get", "pods"),
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
});
