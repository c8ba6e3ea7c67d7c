/** 1-based line and UTF-16 column of an offset, computed the slow obvious way, to check the engine against. */
export function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

export const PEPPER = "test-pepper";
