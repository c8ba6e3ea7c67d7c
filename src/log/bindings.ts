import type { Logger } from "pino";

/*
 * Child loggers for one delivery or job, so that every line of its work says
 * which delivery, installation and repository it belongs to.
 */

export interface WorkIdentity {
  deliveryId?: string | undefined;
  installationId?: number | undefined;
  owner?: string | undefined;
  repo?: string | undefined;
  /** Webhook event name or job name. */
  event?: string | undefined;
  jobId?: string | undefined;
}

export function workBindings(identity: WorkIdentity): Record<string, string | number> {
  const bindings: Record<string, string | number> = {};
  if (identity.deliveryId) bindings.deliveryId = identity.deliveryId;
  if (identity.installationId !== undefined) bindings.installation = identity.installationId;
  if (identity.owner && identity.repo) bindings.repo = `${identity.owner}/${identity.repo}`;
  if (identity.event) bindings.event = identity.event;
  if (identity.jobId) bindings.jobId = identity.jobId;
  return bindings;
}

/** A child of `log` bound to one piece of work; pass job data or what a handler read from the payload. */
export function logForWork(log: Logger, identity: WorkIdentity): Logger {
  return log.child(workBindings(identity));
}

interface PayloadLike {
  installation?: { id?: number } | null;
  repository?: { name?: string; owner?: { login?: string } | null } | null;
}

/** The identity of a webhook event, read from Probot's context fields. */
export function identityOfEvent(event: { id: string; name: string; payload: unknown }): WorkIdentity {
  const payload = (event.payload ?? {}) as PayloadLike;
  return {
    deliveryId: event.id,
    event: event.name,
    installationId: payload.installation?.id,
    owner: payload.repository?.owner?.login,
    repo: payload.repository?.name,
  };
}
