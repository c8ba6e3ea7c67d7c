/** Redis is unreachable: the webhook answers 503 so that GitHub records a failed delivery. */
export class QueueUnavailableError extends Error {
  override name = "QueueUnavailableError";
  /** Read by @octokit/webhooks' middleware and by our own webhook server. */
  readonly status = 503;
}

/** Thrown from a job to come back later without it counting as a bug; the wait is honoured by the backoff strategy. */
export class RetryLaterError extends Error {
  override name = "RetryLaterError";
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}
