import type { OutputStream } from "./io.js";

/*
 * One status line on a terminal's stderr, redrawn in place with \r and
 * erased at the end, so it never mixes with results on stdout. Off when
 * stderr is not a TTY: piped and CI output stay quiet.
 */

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export interface Progress {
  /** `total` may be unknown (a counter is shown instead of a bar). */
  update(done: number, total: number | undefined, unit: string, detail?: string): void;
  done(): void;
}

const silent: Progress = { update() {}, done() {} };

export function createProgress(stream: OutputStream, enabled: boolean, now: () => number = Date.now): Progress {
  if (!enabled || stream.isTTY !== true) return silent;
  let lastDraw = 0;
  let drawn = false;
  const width = (): number => Math.max(40, (stream.columns ?? 80) - 1);
  return {
    update(done, total, unit, detail) {
      const time = now();
      if (time - lastDraw < REDRAW_MS && !(total !== undefined && done >= total)) return;
      lastDraw = time;
      stream.write(`\r${renderLine(done, total, unit, detail, width())}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\r\x1b[K");
      drawn = false;
    },
  };
}

export function renderLine(done: number, total: number | undefined, unit: string, detail: string | undefined, width: number): string {
  let line: string;
  if (total !== undefined && total > 0) {
    const ratio = Math.min(1, done / total);
    const filled = Math.round(ratio * BAR_WIDTH);
    const bar = "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled);
    line = `scanning ${bar} ${String(Math.floor(ratio * 100)).padStart(3)}% ${done}/${total} ${unit}`;
  } else {
    line = `scanning… ${done} ${unit}`;
  }
  if (detail) line += `  ${detail}`;
  return line.length > width ? line.slice(0, width - 1) + "…" : line;
}
