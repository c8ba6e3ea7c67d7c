import type { Logger } from "pino";

/**
 * Wait for SIGTERM or SIGINT, then run `close` (which drains active jobs) and
 * resolve with exit code 0. A second signal while draining gives up at once
 * with 130, for an operator who really wants out; the jobs still running then
 * stall and run again on another worker.
 */
export function untilSignal(close: () => Promise<void>, log: Logger): Promise<number> {
  return new Promise<number>((resolve) => {
    let draining = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (draining) {
        log.warn({ signal }, "second signal: exiting without waiting for active jobs");
        process.exit(130);
      }
      draining = true;
      log.info({ signal }, "shutting down: finishing active jobs");
      close().then(
        () => {
          process.off("SIGTERM", onSignal);
          process.off("SIGINT", onSignal);
          resolve(0);
        },
        (error: unknown) => {
          log.error({ err: error }, "error while shutting down");
          resolve(1);
        },
      );
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
}
