import type { DestinationStream } from "pino";

/** A pino destination that keeps every line, for asserting on what would have been written. */
export interface Capture extends DestinationStream {
  lines: string[];
  text(): string;
  records(): Array<Record<string, unknown>>;
}

export function captureStream(): Capture {
  const lines: string[] = [];
  return {
    lines,
    write(line: string) {
      lines.push(line);
    },
    text: () => lines.join(""),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Occurrences of `needle` in `haystack`, and of its body alone (a prefix could be masked while the body leaks). */
export function occurrences(haystack: string, needle: string): number {
  const body = needle.slice(needle.lastIndexOf("_") + 1);
  return haystack.split(needle).length - 1 + (haystack.split(body).length - 1);
}
