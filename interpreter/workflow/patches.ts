/**
 * Every change to how the interpreter behaves (which commands it issues, in which order) must be
 * guarded so running flows replay unchanged:
 *
 *   if (patched(PATCHES.someChange)) { new behaviour } else { old behaviour }
 *
 * Add the id here with the date and what changed; once no run older than the change can still be
 * replayed, switch to deprecatePatch() and later drop the old branch. Recorded histories in
 * test/histories must keep replaying (test/replay), and test/replay/fixtures shows that an
 * unguarded change is caught.
 */
export const PATCHES = {} as const satisfies Record<string, string>;
