import { findMatches } from "./find.js";
import { fingerprintKey } from "./fingerprint.js";
import { ignorable, markedLine } from "./ignore.js";
import type { RawMatch } from "./match.js";
import { placeholderReason } from "./plausibility.js";
import { redactKey } from "./redact.js";
import { sampleKeyNote } from "./sample-keys.js";
import { attachSecret } from "./secret.js";
import type { CommitInfo, Finding } from "./types.js";

export interface ScanContext {
  path: string;
  /** Key for the fingerprint HMAC; the operator's STRIPE_LEAK_GUARD_PEPPER or the documented default. */
  pepper: string;
  commit?: CommitInfo;
}

export interface AddedLine {
  /** 1-based line number in the new file. */
  line: number;
  text: string;
}

function toFinding(m: RawMatch, line: number, lineStart: number, ctx: ScanContext): Finding {
  const notes = [m.rule.note, sampleKeyNote(m.key)].filter((n): n is string => n !== undefined);
  const finding: Finding = {
    ruleId: m.rule.id,
    path: ctx.path,
    line,
    column: m.start - lineStart + 1,
    endColumn: m.end - lineStart + 1,
    kind: m.rule.kind,
    mode: m.rule.mode,
    severity: m.rule.severity,
    redacted: redactKey(m.key),
    fingerprint: fingerprintKey(m.key, ctx.pepper),
  };
  if (m.encoding) finding.encoding = m.encoding;
  if (notes.length > 0) finding.note = notes.join(" ");
  if (ctx.commit) finding.commit = ctx.commit;
  return attachSecret(finding, m.key);
}

/*
 * Placeholders and inline-ignored findings are dropped here. `lineOf` maps a
 * text offset to [line number, offset of that line's start].
 */
function build(text: string, matches: RawMatch[], ctx: ScanContext, lineOf: (offset: number) => [number, number]): Finding[] {
  const findings: Finding[] = [];
  for (const m of matches) {
    if (placeholderReason(m.key.slice(m.rule.prefix.length)) !== undefined) continue;
    const [line, lineStart] = lineOf(m.start);
    if (ignorable(m.rule) && markedLine(text, lineStart, m.start)) continue;
    findings.push(toFinding(m, line, lineStart, ctx));
  }
  return findings;
}

/** Every Stripe key in a whole file's text, with lines and columns computed. */
export function scanText(text: string, ctx: ScanContext): Finding[] {
  const matches = findMatches(text);
  if (matches.length === 0) return [];
  // Matches are sorted, so lines are counted once, forwards, up to the last match.
  let line = 1;
  let lineStart = 0;
  return build(text, matches, ctx, (offset) => {
    for (let nl = text.indexOf("\n", lineStart); nl !== -1 && nl < offset; nl = text.indexOf("\n", lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    return [line, lineStart];
  });
}

/** Every Stripe key in the given lines (a diff's added lines), keeping their line numbers. */
export function scanLines(lines: readonly AddedLine[], ctx: ScanContext): Finding[] {
  if (lines.length === 0) return [];
  const starts = new Array<number>(lines.length);
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    starts[i] = offset;
    offset += (lines[i]?.text.length ?? 0) + 1;
  }
  const text = lines.map((l) => l.text).join("\n");
  const matches = findMatches(text);
  if (matches.length === 0) return [];
  return build(text, matches, ctx, (at) => {
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return [lines[lo]?.line ?? 0, starts[lo] ?? 0];
  });
}
