/** "sk_live_…a1B2": the prefix up to the last underscore before the body, plus the last four characters. */
export function redactKey(_key: string): string {
  throw new Error("not implemented yet");
}
