/*
 * A content-creating write (new issue, new comment) that got a 5xx or lost
 * its connection may have happened anyway. Retrying it blindly, as
 * plugin-retry would, makes a duplicate. So: one attempt per try, and before
 * each new try look at GitHub again; if the write landed, use what is there.
 */
import { isRetryableWriteError } from "../github/issues.js";

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 4000];

export async function writeOnce<T>(options: {
  write: () => Promise<T>;
  /** Looks for the result of an earlier attempt; undefined when it did not land. */
  landed: () => Promise<T | undefined>;
  /** One entry per extra try. */
  delaysMs: readonly number[];
}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await options.write();
    } catch (error) {
      if (!isRetryableWriteError(error)) throw error;
      const earlier = await options.landed();
      if (earlier !== undefined) return earlier;
      const delay = options.delaysMs[attempt];
      if (delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
