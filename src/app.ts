/*
 * The Probot app function: each event goes to its handler, nothing else.
 * `createApp(deps)` lets tests (and the queue mode) pass their own
 * dispatcher; the default export runs every job in this process.
 */
import type { ApplicationFunction } from "probot";
import { pepperFrom, readEnv } from "./config/env.js";
import { createInstallationHandlers } from "./handlers/installation.js";
import { createIssueCommentHandler } from "./handlers/issue-comment.js";
import { handlePullRequest, SCANNED_PULL_REQUEST_ACTIONS } from "./handlers/pull-request.js";
import { handlePush } from "./handlers/push.js";
import { createInProcessDispatcher } from "./jobs/dispatch-in-process.js";
import type { Dispatcher } from "./jobs/types.js";
import type { KeyedLock } from "./lock/keyed-lock.js";

export interface AppDeps {
  dispatcher?: Dispatcher;
  /** Defaults to STRIPE_LEAK_GUARD_PEPPER (or the documented default). */
  pepper?: string;
  lock?: KeyedLock;
}

export function createApp(deps: AppDeps = {}): ApplicationFunction {
  return (app) => {
    const env = readEnv(process.env);
    const dispatcher =
      deps.dispatcher ??
      createInProcessDispatcher({
        auth: (installationId) => app.auth(installationId),
        log: app.log,
        pepper: deps.pepper ?? pepperFrom(env),
        ...(deps.lock ? { lock: deps.lock } : {}),
      });

    app.on("push", (context) => handlePush(context, dispatcher));
    app.on([...SCANNED_PULL_REQUEST_ACTIONS], (context) => handlePullRequest(context, dispatcher));
    app.on("issue_comment.created", createIssueCommentHandler({ dispatcher, verifyKeys: env.STRIPE_VERIFY_KEYS }));
    app.on(["installation", "installation_repositories"], async (context) => {
      context.log.info({ action: context.payload.action, installation: context.payload.installation.id }, "installation changed");
    });
    const installation = createInstallationHandlers(dispatcher);
    app.on("installation.created", installation.created);
    app.on("installation_repositories.added", installation.repositoriesAdded);
  };
}

export default createApp();
