import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { INSTRUCTOR_ROLE_NAME, grantedBy, instructorRules, renderInstructorRole } from "../../classroom/instructor";

describe("classroom: the instructor's ClusterRole", () => {
    it("grants the managed verbs per API group, events to read, and the student's own grants, nothing wider", () => {
        const role = parse(renderInstructorRole());
        assert.strictEqual(role.kind, "ClusterRole");
        assert.strictEqual(role.metadata.name, INSTRUCTOR_ROLE_NAME);
        const rules = instructorRules();
        assert.deepStrictEqual(role.rules, rules);
        const words = rules.flatMap((r) => [...(r.apiGroups ?? []), ...(r.resources ?? []), ...(r.verbs ?? [])]);
        assert.ok(!words.some((w) => w.includes("*")), "no wildcard");
        for (const word of ["escalate", "bind", "impersonate", "pods/exec", "nodes", "clusterroles"]) {
            assert.ok(!words.includes(word), word);
        }
        assert.ok(grantedBy(rules, { apiGroups: [""], resources: ["namespaces"], verbs: ["create", "delete"] }));
        assert.ok(grantedBy(rules, { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] }));
        assert.ok(!grantedBy(rules, { apiGroups: [""], resources: ["nodes"], verbs: ["get"] }));
        assert.ok(
            !grantedBy(rules, {
                apiGroups: ["rbac.authorization.k8s.io"],
                resources: ["clusterroles"],
                verbs: ["create"],
            }),
        );
    });

    it("grantedBy needs every group, resource and verb of the rule", () => {
        const rules = [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }];
        assert.ok(grantedBy(rules, { apiGroups: [""], resources: ["pods"], verbs: ["get"] }));
        assert.ok(!grantedBy(rules, { apiGroups: [""], resources: ["pods"], verbs: ["get", "delete"] }));
        assert.ok(!grantedBy(rules, { apiGroups: ["apps"], resources: ["pods"], verbs: ["get"] }));
    });

    it("classroom/instructor-role.yaml, for kubectl apply -f, is the generated manifest", () => {
        const file = fs.readFileSync(path.join(__dirname, "..", "..", "classroom", "instructor-role.yaml"), "utf8");
        assert.strictEqual(file, renderInstructorRole());
    });

    it("docs/classroom-scale.md shows exactly the generated manifest", () => {
        const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "classroom-scale.md"), "utf8");
        const block =
            /<!-- instructor-role:begin -->\n<!-- prettier-ignore-start -->\n```yaml\n([\s\S]*?)```\n<!-- prettier-ignore-end -->\n<!-- instructor-role:end -->/.exec(
                doc,
            );
        assert.ok(block, "the marked yaml block");
        assert.strictEqual(block[1], renderInstructorRole());
    });
});
