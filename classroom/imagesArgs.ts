import { parseArgs } from "util";
import { UsageError } from "./args";

/**
 * `npm run classroom -- images <list|pull|save FILE|load FILE>` as data: parsed and checked before
 * Docker is asked anything (bad usage: a UsageError, exit 2, with an example). Pure; images.ts runs it.
 */

export const IMAGES_USAGE = `Usage: npm run classroom -- images <command> [--stack NAME]

The images a class needs, every lesson's (and kind's node image when
LAB_KIND_NODE_IMAGE or the stack's nodeImage names it), in this host's Docker:
npm run up and classroom up load them into each kind cluster, so none pulls.

Commands:
  list        each image, what uses it, whether this host's Docker has it
  pull        docker pull those Docker lacks (needs a registry, a network)
  save FILE   one archive of every image (docker save), for a machine offline
  load FILE   an archive's images into this host's Docker (docker load)

Options:
  --stack NAME   that stack's images (Pulumi.NAME.yaml), not the class's
  -h, --help     this text

Exit status: 0 done; 1 an image is missing or a docker command failed (the
image and Docker's words are named); 2 bad usage.

Examples:
  npm run classroom -- images pull
  npm run classroom -- images save class-images.tar   # where there is a network
  npm run classroom -- images load class-images.tar   # on the machine without
`;

export type ImagesCommand =
    | { verb: "help" }
    | { verb: "list" | "pull"; stack?: string }
    | { verb: "save" | "load"; file: string; stack?: string };

const VERBS = ["list", "pull", "save", "load"] as const;

/** Parses the arguments after `images`. */
export function parseImagesArgs(argv: readonly string[]): ImagesCommand {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            options: { stack: { type: "string" }, help: { type: "boolean", short: "h" } },
            allowPositionals: true,
            strict: true,
        });
    } catch (err) {
        throw new UsageError(
            `${(err as Error).message.replace(/\.$/, "")}. Example: npm run classroom -- images list --stack dev`,
        );
    }
    const { values, positionals } = parsed;
    if (values.help || positionals[0] === "help") return { verb: "help" };
    const [verb, ...rest] = positionals;
    if (verb === undefined || !(VERBS as readonly string[]).includes(verb)) {
        const got = verb === undefined ? "none" : JSON.stringify(verb);
        throw new UsageError(
            `images needs a command: ${VERBS.join(", ")}; got ${got}. Example: npm run classroom -- images list`,
        );
    }
    if (values.stack === "") throw new UsageError("--stack needs a name. Example: --stack dev");
    const stack = values.stack;
    if (verb === "save" || verb === "load") {
        const [file, ...extra] = rest;
        if (file === undefined || file === "") {
            throw new UsageError(
                `images ${verb} needs the archive's file name. Example: npm run classroom -- images ${verb} class-images.tar`,
            );
        }
        if (extra.length > 0) throw unexpected(extra, `images ${verb} ${file}`);
        return { verb, file, stack };
    }
    if (rest.length > 0) throw unexpected(rest, `images ${verb}`);
    return { verb: verb as "list" | "pull", stack };
}

function unexpected(extra: readonly string[], example: string): UsageError {
    return new UsageError(
        `Unexpected argument${extra.length > 1 ? "s" : ""} ${extra.map((e) => JSON.stringify(e)).join(" ")}. ` +
            `Example: npm run classroom -- ${example}`,
    );
}
