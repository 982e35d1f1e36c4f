import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { Page } from "puppeteer-core";
import { REPO } from "./harness";

/**
 * A page the project writes, opened in a real headless Chromium (Debian's, installed by the
 * toolchain) through puppeteer-core: what the browser laid out is read from the DOM, and every
 * request the page makes beyond its own file is recorded (a self-contained page makes none).
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where screenshots go: $E2E_OUTPUT_DIR/<suite>, else .e2e-output/<suite> in the checkout. */
export function outputDir(suite: string): string {
    const dir = path.join(process.env.E2E_OUTPUT_DIR ?? path.join(REPO, ".e2e-output"), suite);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
}

export function checkChromium(): void {
    assert.ok(
        fs.existsSync(CHROMIUM),
        `no Chromium at ${CHROMIUM}: run npm run e2e:toolchain (it installs Debian's chromium)`,
    );
}

/** Opens `file` at 900 px wide; `use` reads the page. Returns what it returned and the network requests made. */
export async function inChromium<T>(
    file: string,
    use: (page: Page) => Promise<T>,
): Promise<{ result: T; requests: string[] }> {
    const puppeteer = await import("puppeteer-core");
    const browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
    });
    try {
        const page = await browser.newPage();
        const requests: string[] = [];
        page.on("request", (r) => {
            if (!r.url().startsWith("file:")) requests.push(r.url());
        });
        await page.setViewport({ width: 900, height: 800 });
        await page.goto(`file://${file}`, { waitUntil: "load" });
        return { result: await use(page), requests };
    } finally {
        await browser.close();
    }
}
