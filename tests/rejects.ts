import * as assert from "assert";

/**
 * One test per bad input: `resolve` must throw a message that starts with the
 * field's name and ends with a valid example, as every validation error does.
 */
export function itRejectsEach<A>(resolve: (args: A) => unknown, cases: readonly (readonly [object, string])[]): void {
    for (const [args, field] of cases) {
        it(`rejects ${JSON.stringify(args)}, naming ${field} and a valid example`, () => {
            assert.throws(
                () => resolve(args as A),
                (err: Error) => err.message.startsWith(`${field} must be`) && /Example: \S/.test(err.message),
            );
        });
    }
}
