/** "sk_live_…a1B2": the prefix up to the last underscore before the body, plus the last four characters. */
export function redactKey(key: string): string {
  const cut = key.lastIndexOf("_") + 1;
  const body = key.slice(cut);
  // A body of eight or fewer characters would be half revealed by its last four.
  const tail = body.length > 8 ? body.slice(-4) : "";
  return `${key.slice(0, cut)}…${tail}`;
}
