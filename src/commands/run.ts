/*
 * Carries out an incident command from a person with write access or more.
 * Verify and rotate become jobs (ids only; the key is read again from GitHub
 * by the worker); resolve closes the issue here, with its reason as a label.
 */
import { closeIncident, commentOnIncident, setFacetLabel } from "../github/incident-comments.js";
import { parseRecordedLocations } from "../github/incident-links.js";
import type { RepoCoords } from "../github/issues.js";
import type { LabelCache } from "../github/labels.js";
import { hasWriteAccess } from "../github/permissions.js";
import { processMetrics } from "../metrics/index.js";
import type { Dispatcher, InstallationOctokit, RepoRef } from "../jobs/types.js";
import type { IncidentCommand } from "./parse.js";
import { USAGE } from "./parse.js";
import { RESOLUTION_INFO, renderResolution } from "./resolution.js";

export interface CommandInput {
  octokit: InstallationOctokit;
  dispatcher: Dispatcher;
  repo: RepoRef & { htmlUrl: string };
  issue: { number: number; body: string; state: "open" | "closed"; labels: string[] };
  fingerprint: string;
  comment: { id: number; login: string };
  command: IncidentCommand;
  /** STRIPE_VERIFY_KEYS: verification is the operator's choice, not a commenter's. */
  verifyKeys: boolean;
  labelCache?: LabelCache;
}

export type CommandResult = "refused" | "dispatched" | "resolved" | "answered";

export async function runIncidentCommand(input: CommandInput): Promise<CommandResult> {
  const { octokit, repo, issue, comment, command } = input;
  const coords: RepoCoords = { owner: repo.owner, repo: repo.repo };
  const reply = (body: string) => commentOnIncident(octokit, coords, issue.number, body);

  if (!(await hasWriteAccess(octokit, coords, comment.login))) {
    await reply(
      `Sorry @${comment.login}, only people with write access to this repository can use \`/stripe-leak-guard\` commands on an incident. ` +
        "A maintainer can run it for you.",
    );
    return "refused";
  }

  switch (command.name) {
    case "invalid":
      await reply(`@${comment.login}, ${command.problem}. The commands are:\n\n- ${USAGE}`);
      return "answered";
    case "verify":
    case "rotate": {
      if (command.name === "verify" && !input.verifyKeys) {
        await reply(`@${comment.login}, key verification is turned off for this App (the operator sets STRIPE_VERIFY_KEYS to turn it on).`);
        return "answered";
      }
      const location = parseRecordedLocations([issue.body], repo.htmlUrl)[0];
      if (!location) {
        await reply(`@${comment.login}, this incident does not record where its key was found, so the App cannot read the key again.`);
        return "answered";
      }
      const job = {
        installationId: repo.installationId,
        owner: repo.owner,
        repo: repo.repo,
        repoId: repo.repoId,
        issueNumber: issue.number,
        fingerprint: input.fingerprint,
        location,
        requestId: `comment-${comment.id}`,
        requestedBy: comment.login,
      };
      if (command.name === "verify") await input.dispatcher.dispatch("verify-key", job);
      else await input.dispatcher.dispatch("rotate-key", { ...job, trigger: "command" });
      await acknowledge(octokit, coords, comment.id);
      return "dispatched";
    }
    case "resolve": {
      const info = RESOLUTION_INFO[command.resolution];
      await reply(renderResolution({ resolution: command.resolution, login: comment.login, fingerprint: input.fingerprint, issueNumber: issue.number }));
      await setFacetLabel(octokit, coords, issue, info.label, input.labelCache);
      if (issue.state === "open") {
        await closeIncident(octokit, coords, issue.number, info.closeReason);
        processMetrics().incidentResolved();
      }
      return "resolved";
    }
  }
}

/** An 👀 reaction says "seen, working on it" until the job's comment arrives. */
async function acknowledge(octokit: InstallationOctokit, repo: RepoCoords, commentId: number): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ owner: repo.owner, repo: repo.repo, comment_id: commentId, content: "eyes" });
}
