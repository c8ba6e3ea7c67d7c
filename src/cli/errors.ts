/** An error the user can act on: printed as one clear message, exit code 2. Never carries key material. */
export class CliError extends Error {
  override name = "CliError";
  readonly exitCode = 2;
}

/** A mistake in the command line itself; the usage hint follows the message. */
export class UsageError extends CliError {
  override name = "UsageError";
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
