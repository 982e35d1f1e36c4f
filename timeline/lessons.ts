/**
 * The one-sentence lesson beside each Pod on the page: the guide's two Pods by their component
 * label (components/initDemoPod.ts, sidecarDemoPod.ts), each lesson by its registry title.
 */

export const GUIDE_LESSONS: Readonly<Record<string, string>> = {
    "init-demo": "An init container runs first and must finish before the app container starts.",
    "sidecar-demo": "A sidecar runs beside the app container for the Pod's whole life.",
};

/** Every lesson's sentence; the registry is loaded only when a page is written (it loads Pulumi). */
export async function lessonSentences(): Promise<(lesson: string) => string | undefined> {
    const { LESSONS } = await import("../lessons");
    const titles: Record<string, string> = Object.fromEntries(
        Object.entries(LESSONS).map(([name, lesson]) => [name, lesson.title]),
    );
    return (lesson) => GUIDE_LESSONS[lesson] ?? titles[lesson];
}
