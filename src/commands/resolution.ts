/*
 * What resolving an incident says and does: the comment, the "resolved: …"
 * label, and GitHub's close reason. A false positive also gets the exact
 * config lines that make the App accept that key from now on.
 */
import type { LabelSpec } from "../github/labels.js";
import { REPO_CONFIG_PATH } from "../config/repo-config.js";
import type { Resolution } from "./parse.js";

interface ResolutionInfo {
  label: LabelSpec;
  closeReason: "completed" | "not_planned";
  says: string;
  configReason: string;
}

export const RESOLUTION_INFO: Record<Resolution, ResolutionInfo> = {
  revoked: {
    label: { name: "resolved: revoked", color: "0e8a16", description: "The leaked key was rolled or deleted in Stripe" },
    closeReason: "completed",
    says: "the key has been rolled or deleted in Stripe",
    configReason: "revoked",
  },
  "false-positive": {
    label: { name: "resolved: false-positive", color: "c5def5", description: "Not a real Stripe key" },
    closeReason: "not_planned",
    says: "this is not a real Stripe key",
    configReason: "false positive",
  },
  "used-in-tests": {
    label: { name: "resolved: used-in-tests", color: "bfdadc", description: "A key used on purpose in tests" },
    closeReason: "not_planned",
    says: "the key is used on purpose in tests",
    configReason: "used in tests",
  },
  "wont-fix": {
    label: { name: "resolved: wont-fix", color: "ededed", description: "Accepted risk: the key will not be rolled" },
    closeReason: "not_planned",
    says: "the risk is accepted and the key will not be rolled",
    configReason: "accepted risk",
  },
};

export function renderResolution(input: { resolution: Resolution; login: string; fingerprint: string; issueNumber: number }): string {
  const info = RESOLUTION_INFO[input.resolution];
  const lines = [`Closed by @${input.login} with \`/stripe-leak-guard resolve ${input.resolution}\`: ${info.says}.`];
  if (input.resolution === "false-positive" || input.resolution === "used-in-tests") {
    lines.push(
      "",
      `To stop the App reporting this key again, add these lines to \`${REPO_CONFIG_PATH}\` on the default branch (merge them into an existing \`allow:\` list):`,
      "",
      "```yaml",
      "allow:",
      `  - fingerprint: ${input.fingerprint}`,
      `    reason: "${info.configReason} (#${input.issueNumber}, @${input.login})"`,
      "```",
    );
  }
  if (input.resolution === "wont-fix") {
    lines.push("", "The key still works and still sits in the repository's history. Anyone with read access can use it.");
  }
  return lines.join("\n");
}
