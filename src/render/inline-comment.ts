import { describeKey, shortGuidance } from "./guidance.js";
import { inlineMarker } from "./markers.js";
import { code, text } from "./markdown.js";
import type { SightedFinding } from "./types.js";

/** An inline review comment for one finding, with guidance for its kind and the hidden inline marker. */
export function renderInlineComment(input: SightedFinding): string {
  const { finding, location, allowedReason } = input;
  const icon = finding.kind === "publishable" ? ":information_source:" : ":rotating_light:";
  const lines = [
    inlineMarker(finding.fingerprint, location.path, location.line),
    `${icon} **This line adds a Stripe ${describeKey(finding)}** ${code(finding.redacted)} (severity: ${finding.severity}).`,
    "",
    allowedReason !== undefined ? `Allowed by the repository config: ${text(allowedReason)}` : shortGuidance(finding),
  ];
  if (finding.encoding) lines.push("", `The key is ${finding.encoding}-encoded on this line; encoding does not hide it.`);
  return `${lines.join("\n")}\n`;
}
