import type { Severity } from "../scanner/index.js";
import type { PolicyFinding } from "../policy/index.js";
import { describeKind, shortFingerprint } from "./describe.js";
import { inBinaryFile, type ScanReport } from "./report.js";

/*
 * SARIF 2.1.0 as GitHub code scanning ingests it: rules in tool.driver.rules
 * with a security-severity, one result per finding with a region, and our
 * keyed fingerprint as the partial fingerprint so an alert follows its key
 * across moves and rebases instead of GitHub's line-hash heuristic.
 */

export const SARIF_FINGERPRINT_KEY = "stripeLeakGuard/v1";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "warning",
  info: "note",
};

/** GitHub maps these to critical (>= 9.0), high (>= 7.0), medium (>= 4.0) and low. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.0",
  low: "2.0",
  info: "0.0",
};

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: "error" | "warning" | "note" };
  properties: { tags: string[]; precision: string; "security-severity": string; "problem.severity": string };
}

function ruleName(id: string): string {
  return id.replace(/(^|[-_])(\w)/g, (_m, _sep: string, ch: string) => ch.toUpperCase());
}

function helpText(entry: PolicyFinding): string {
  const { finding } = entry;
  if (finding.kind === "publishable") {
    return "Publishable keys are meant to be public. This is informational: make sure the matching secret key is not in the repository.";
  }
  if (finding.mode === "test") {
    return "Test-mode keys cannot move money, but they expose test data and should not be committed. Roll the key in the Stripe Dashboard and load it from the environment.";
  }
  return (
    "Treat the key as compromised: roll it in the Stripe Dashboard (Developers → API keys, or Webhooks for signing secrets), " +
    "deploy the replacement from a secret store, review the request logs for use you do not recognise, and purge it from git history."
  );
}

function ruleFor(entry: PolicyFinding): SarifRule {
  const { finding } = entry;
  const title = `Stripe ${describeKind(finding.kind, finding.mode)}`;
  const help = helpText(entry);
  return {
    id: finding.ruleId,
    name: ruleName(finding.ruleId),
    shortDescription: { text: `${title} in source` },
    fullDescription: { text: `A ${title} was committed. ${finding.kind === "publishable" ? "Informational." : "Secrets in repositories leak."}` },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: LEVEL[finding.severity] },
    properties: {
      tags: ["security", "secret", "stripe"],
      precision: "very-high",
      "security-severity": SECURITY_SEVERITY[finding.severity],
      "problem.severity": finding.severity === "info" ? "recommendation" : finding.severity === "low" ? "warning" : "error",
    },
  };
}

/** A relative URI reference: each segment percent-encoded, forward slashes kept. */
export function pathToUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function message(entry: PolicyFinding, binary: boolean): string {
  const { finding } = entry;
  const parts = [`Stripe ${describeKind(finding.kind, finding.mode)} ${finding.redacted} (fingerprint ${shortFingerprint(finding.fingerprint)})`];
  if (binary) parts.push("found in a binary file (line counts newline bytes, column counts bytes)");
  if (finding.encoding) parts.push(`found behind ${finding.encoding} encoding`);
  if (finding.commit) parts.push(`added in commit ${finding.commit.sha.slice(0, 12)} by ${finding.commit.author} on ${finding.commit.date}`);
  if (finding.note) parts.push(finding.note);
  return parts.join("; ") + ".";
}

export function formatSarif(report: ScanReport, version: string): string {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  for (const entry of report.findings) {
    if (!ruleIndex.has(entry.finding.ruleId)) {
      ruleIndex.set(entry.finding.ruleId, rules.length);
      rules.push(ruleFor(entry));
    }
  }
  const results = report.findings.map((entry) => {
    const { finding } = entry;
    const binary = inBinaryFile(report, finding);
    const properties: Record<string, unknown> = { kind: finding.kind, mode: finding.mode, severity: finding.severity, redacted: finding.redacted };
    if (finding.commit) properties["commit"] = { ...finding.commit };
    if (binary) properties["binary"] = true;
    const result: Record<string, unknown> = {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId),
      level: LEVEL[finding.severity],
      message: { text: message(entry, binary) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: pathToUri(finding.path), uriBaseId: "%SRCROOT%" },
            region: { startLine: finding.line, startColumn: finding.column, endColumn: finding.endColumn },
          },
        },
      ],
      partialFingerprints: { [SARIF_FINGERPRINT_KEY]: finding.fingerprint },
      properties,
    };
    if (entry.allowed) result["suppressions"] = [{ kind: "external", justification: entry.allowed.reason }];
    return result;
  });
  const notifications = report.skipped.map((item) => ({
    level: "warning",
    message: { text: `Not scanned: ${item.path} (${item.reason})` },
  }));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "stripe-leak-guard", semanticVersion: version, version, rules } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
