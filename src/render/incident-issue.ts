import type { Finding } from "../scanner/index.js";
import { describeKey } from "./guidance.js";
import { incidentLabels } from "./labels.js";
import { pullUrl } from "./links.js";
import { renderLocation, renderLocationList } from "./location.js";
import { incidentMarker } from "./markers.js";
import { cell, code, mention, text } from "./markdown.js";
import { renderRunbook } from "./runbook.js";
import type { FoundBy, IncidentInput, Location, RenderedIssue, RepoView, VerificationVerdict } from "./types.js";

const KIND_ROW: Record<Finding["kind"], string> = {
  secret: "Secret key (`sk_`)",
  restricted: "Restricted key (`rk_`)",
  "org-secret": "Organization secret key (`sk_org_`)",
  "webhook-secret": "Webhook signing secret (`whsec_`)",
  publishable: "Publishable key (`pk_`)",
};

const MODE_ROW: Record<Finding["mode"], string> = {
  live: "Live: real money",
  test: "Test: test data only",
  unknown: "Not stated by the key (webhook secrets exist in both modes)",
};

const VERDICT: Record<VerificationVerdict, string> = {
  active: "**Active**: Stripe accepted this key when it was checked.",
  "active-restricted": "**Active (restricted)**: Stripe accepted this key, though it lacks permission for the check.",
  inactive: "**Inactive**: Stripe rejected this key, so it looks rolled or deleted already. Still check the logs for use before that.",
  unknown: "**Unknown**: the check gave no verdict. Treat the key as active.",
};

/** Title without location or date, so it stays the same for every sighting of the key. */
function title(finding: Finding): string {
  const what = `Stripe ${describeKey(finding)} ${finding.redacted}`;
  return finding.kind === "publishable" ? `${what} committed to the repository` : `Leaked ${what}`;
}

function alert(finding: Finding): string {
  const what = `A Stripe **${describeKey(finding)}** was committed to this repository.`;
  if (finding.kind === "publishable") {
    return `> [!NOTE]\n> ${what} Publishable keys are public by design; this issue is for information.`;
  }
  if (finding.kind === "webhook-secret") {
    return (
      `> [!CAUTION]\n> ${what} Anyone holding it can forge webhook events that your endpoint will trust until the endpoint's ` +
      "secret is rolled. **Roll it now** (step 1 below); removing it from the code does not make it safe."
    );
  }
  if (finding.mode === "test") {
    return `> [!WARNING]\n> ${what} It cannot move real money, but it exposes test data and settings: roll it (step 1 below).`;
  }
  const reach = finding.kind === "org-secret" ? " It reaches every account in your Stripe organization." : "";
  return (
    `> [!CAUTION]\n> ${what}${reach} Anyone who can read the repository, a fork or a clone can use it until it is rolled. ` +
    "**Roll it now** (step 1 below); removing it from the code does not make it safe."
  );
}

function foundBy(how: FoundBy, repo: RepoView, location: Location, finding: Finding): string {
  const pr = location.prNumber;
  const scans: Record<FoundBy, string> = {
    push: "a scan of a push",
    "pull-request": pr !== undefined ? `a scan of pull request [#${pr}](${pullUrl(repo, pr)})` : "a scan of a pull request",
    backfill: "a scan of the repository's existing files",
    history: "a scan of the repository's git history",
  };
  const extras: string[] = [];
  if (finding.encoding) extras.push(`the key was ${finding.encoding}-encoded`);
  if (finding.note) extras.push(text(finding.note));
  return extras.length > 0 ? `${scans[how]} (${extras.join("; ")})` : scans[how];
}

function facts(input: IncidentInput): string {
  const { finding, location, repo } = input;
  const rows: Array<[string, string]> = [
    ["Key", code(finding.redacted)],
    ["Kind", KIND_ROW[finding.kind]],
    ["Mode", MODE_ROW[finding.mode]],
    ["Severity", `**${finding.severity}**`],
  ];
  if (input.verification) rows.push(["Verification", VERDICT[input.verification]]);
  rows.push(["First seen", renderLocation(repo, { ...location, pushedBy: undefined })]);
  if (finding.commit) rows.push(["Committed", `by ${text(finding.commit.author)} on ${text(finding.commit.date)}`]);
  if (location.pushedBy) rows.push(["Pushed by", mention(location.pushedBy)]);
  rows.push(["Found by", foundBy(input.foundBy, repo, location, finding)]);
  rows.push(["Fingerprint", code(finding.fingerprint)]);
  return ["| | |", "|---|---|", ...rows.map(([name, value]) => `| **${name}** | ${cell(value)} |`)].join("\n");
}

function about(finding: Finding): string {
  return [
    "<details>",
    "<summary>About this incident</summary>",
    "",
    "- stripe-leak-guard opens one issue per key per repository. Later sightings of the same key are added here as comments, " +
      "and this issue reopens if the key shows up again after it was closed.",
    "- The key itself is never stored or shown. The fingerprint is a keyed hash of it, the same wherever the key appears.",
    "- Close this issue once the key is rolled and the old one deleted.",
    `- If this key may stay (a documented sample, say), add \`- fingerprint: ${finding.fingerprint}\` with a \`reason:\` under ` +
      "`allow:` in `.github/stripe-leak-guard.yml`.",
    "",
    "</details>",
  ].join("\n");
}

/** Title, body (with the hidden incident marker and the Stripe runbook) and labels for a new incident. */
export function renderIncidentIssue(input: IncidentInput): RenderedIssue {
  const { finding } = input;
  const mentions = [...new Set(input.mentions.map(mention))];
  const sections = [
    incidentMarker(finding.fingerprint),
    alert(finding),
    facts(input),
    ...(mentions.length > 0 ? [`cc ${mentions.join(" ")}`] : []),
    finding.kind === "publishable" ? "## What to check" : "## Runbook",
    renderRunbook(finding),
    about(finding),
  ];
  return {
    title: title(finding),
    body: `${sections.join("\n\n")}\n`,
    labels: incidentLabels(finding, input.extraLabels),
  };
}

/** A comment listing new locations of an already-open incident's key. */
export function renderSightingComment(input: { repo: RepoView; locations: readonly Location[] }): string {
  const count = input.locations.length;
  return [
    `**Seen again:** this incident's key was found in ${count === 1 ? "one more place" : `${count} more places`}.`,
    "",
    renderLocationList(input.repo, input.locations),
    "",
    "Each of these is another copy in the git history. Removing them does not make the key safe; rolling it does (step 1 of the runbook above).",
    "",
  ].join("\n");
}

/** The comment that goes with reopening a closed incident whose key showed up again. */
export function renderReopenComment(input: { repo: RepoView; locations: readonly Location[] }): string {
  return [
    "> [!CAUTION]",
    "> **Reopened: this key showed up again** after the incident was closed.",
    "",
    renderLocationList(input.repo, input.locations),
    "",
    "The same key (same fingerprint) is back in the repository, so it is exposed again. **The key must be rolled even if the file " +
      "has been fixed**: anyone who saw the commit has it. If it was rolled and deleted before, confirm in the Dashboard that it no " +
      "longer works, then purge it from the history again and close this issue. Otherwise work through the runbook in the description.",
    "",
  ].join("\n");
}
