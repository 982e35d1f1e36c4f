import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { LESSONS, LESSON_NAMES } from "..";
import { PROJECT, STACK, promiseOf, recorded, registeredUrns, settle, useStack } from "../../tests/mocks";
import { PodLesson } from "./podLesson";

/**
 * Every lesson of the registry is one component that owns its Pods and Jobs directly (no layer
 * between), and a Pod lesson's Pod names where it lived before the layers were flattened, so a
 * stack deployed then keeps its Pod (e2e/upgrade.e2e.ts proves that on the real engine). The
 * lessons of several objects never had that layer: their objects name no former parent.
 */
describe("lessons: one component each, owning its objects", () => {
    const SHAPE_STACK = "lesson-shape";
    const prefix = `urn:pulumi:${SHAPE_STACK}::${PROJECT}::`;
    before(() => useStack(SHAPE_STACK));
    after(() => useStack(STACK));

    for (const name of LESSON_NAMES) {
        it(`${name}: one initsidecarlab:lessons component, every object its direct child; a Pod lesson's Pod's alias is its former parent`, async () => {
            const from = recorded.length;
            const provider = new k8s.Provider(`shape-${name}`, { kubeconfig: "fake" });
            const lesson = LESSONS[name].create({ namespace: "lab-dev" }, {}, { provider });
            const urn = await promiseOf(lesson.urn);
            await promiseOf(lesson.commands);
            await settle();
            const mine = recorded.slice(from).filter((r) => r.type !== "pulumi:providers:kubernetes");
            const components = mine.filter((r) => !r.custom);
            assert.strictEqual(components.length, 1, components.map((c) => c.type).join(", "));
            const [component] = components;
            assert.match(component.type, /^initsidecarlab:lessons:[A-Z]\w+$/);
            assert.strictEqual(urn, `${prefix}${component.type}::${component.name}`);

            const objects = mine.filter((r) => r.custom);
            assert.ok(objects.length >= 1, `${name} creates a Pod or Jobs`);
            for (const object of objects) {
                // The mocked engine names the immediate parent's type in a URN: the lesson's.
                const objectUrn = `${prefix}${component.type}$${object.type}::${object.name}`;
                assert.ok(registeredUrns().includes(objectUrn), `${objectUrn} registered`);
                // Only a Pod lesson's Pod ever lived under another parent (the SDK's own aliases of a
                // kind's former API groups keep the parent).
                const formerParents = object.aliases.map((a) => a.parentUrn).filter((p) => p !== urn);
                const expected =
                    object.type === "kubernetes:core/v1:Pod" && lesson instanceof PodLesson
                        ? [`${prefix}${component.type}$initsidecarlab:lessons:LessonPod::${object.name}`]
                        : [];
                assert.deepStrictEqual(formerParents, expected, object.name);
            }
        });
    }
});
