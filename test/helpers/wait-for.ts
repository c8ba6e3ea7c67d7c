/**
 * Polls until `condition` holds, for tests that wait on another process,
 * a queue or Redis. Past the budget it fails naming what it waited for, so a
 * stuck test says where it stuck instead of hitting vitest's bare timeout.
 */
export async function waitFor(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000, pollMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
