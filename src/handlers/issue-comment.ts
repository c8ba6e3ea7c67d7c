/*
 * issue_comment.created: commands on incident issues. Everything that is not
 * a command from a person on an App-opened incident issue is ignored
 * without a single API call: bots (the App itself included), pull-request
 * conversations, issues without the incident marker, comments without the
 * command word.
 */
import type { Context } from "probot";
import { parseCommand, runIncidentCommand } from "../commands/index.js";
import { isScanHistoryCommand, runScanHistoryCommand } from "../commands/scan-history.js";
import type { LabelCache } from "../github/labels.js";
import { parseIncidentMarker } from "../render/markers.js";
import type { Dispatcher } from "../jobs/types.js";

export interface IssueCommentHandlerOptions {
  dispatcher: Dispatcher;
  verifyKeys: boolean;
  labelCache?: LabelCache;
}

export function createIssueCommentHandler(options: IssueCommentHandlerOptions) {
  return async (context: Context<"issue_comment.created">): Promise<void> => {
    const { comment, issue, repository, installation } = context.payload;
    if (comment.user?.type === "Bot" || context.payload.sender.type === "Bot") return;
    if (issue.pull_request) return;
    if (isScanHistoryCommand(comment.body ?? "") && installation) {
      // Any issue of the repository, not only incidents.
      const result = await runScanHistoryCommand({
        octokit: context.octokit,
        dispatcher: options.dispatcher,
        repo: { installationId: installation.id, owner: repository.owner.login, repo: repository.name, repoId: repository.id, htmlUrl: repository.html_url },
        issueNumber: issue.number,
        comment: { id: comment.id, login: comment.user?.login ?? context.payload.sender.login },
      });
      context.log.info({ issue: issue.number, command: "scan-history", result }, "history scan command handled");
      return;
    }
    const command = parseCommand(comment.body ?? "");
    if (!command) return;
    const fingerprint = parseIncidentMarker(issue.body);
    if (!fingerprint || issue.user?.type !== "Bot") {
      context.log.debug({ issue: issue.number }, "stripe-leak-guard command on an issue that is not an incident; ignored");
      return;
    }
    if (!installation) {
      context.log.warn({ issue: issue.number }, "command without an installation; ignored");
      return;
    }
    const result = await runIncidentCommand({
      octokit: context.octokit,
      dispatcher: options.dispatcher,
      repo: {
        installationId: installation.id,
        owner: repository.owner.login,
        repo: repository.name,
        repoId: repository.id,
        htmlUrl: repository.html_url,
      },
      issue: {
        number: issue.number,
        body: issue.body ?? "",
        state: issue.state === "closed" ? "closed" : "open",
        labels: issue.labels?.map((label) => label.name) ?? [],
      },
      fingerprint,
      comment: { id: comment.id, login: comment.user?.login ?? context.payload.sender.login },
      command,
      verifyKeys: options.verifyKeys,
      ...(options.labelCache ? { labelCache: options.labelCache } : {}),
    });
    context.log.info({ issue: issue.number, command: command.name, result }, "incident command handled");
  };
}
