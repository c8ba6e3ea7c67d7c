/*
 * Hidden HTML comments that let the App find its own issues and comments
 * again (one incident per fingerprint, one summary per PR, one inline comment
 * per fingerprint/path/line) without storing any state of its own.
 */

const INCIDENT = /<!-- stripe-leak-guard:incident ([0-9a-f]{64}) -->/;
const INLINE = /<!-- stripe-leak-guard:inline ([0-9a-f]{64}) (\d+) (.+?) -->/;

export const SUMMARY_MARKER = "<!-- stripe-leak-guard:summary -->";

export function incidentMarker(fingerprint: string): string {
  return `<!-- stripe-leak-guard:incident ${fingerprint} -->`;
}

export function parseIncidentMarker(body: string | null | undefined): string | undefined {
  return body ? INCIDENT.exec(body)?.[1] : undefined;
}

/** Path last, because it may contain spaces; "--" cannot appear in it unescaped inside a comment. */
export function inlineMarker(fingerprint: string, path: string, line: number): string {
  return `<!-- stripe-leak-guard:inline ${fingerprint} ${line} ${path.replaceAll("--", "-\u2010")} -->`;
}

export function parseInlineMarker(body: string | null | undefined): { fingerprint: string; line: number; path: string } | undefined {
  const match = body ? INLINE.exec(body) : null;
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { fingerprint: match[1], line: Number(match[2]), path: match[3].replaceAll("-\u2010", "--") };
}
