import type { RotateKeyJob, RecordedLocation } from "../jobs/types.js";
import { blobUrl, issueUrl } from "../render/links.js";
import type { RepoView, VerificationVerdict } from "../render/types.js";
import type { KeyKind, Mode } from "../scanner/index.js";
import { rotationIdempotencyId } from "./idempotency.js";
import { ROTATION_REQUEST_VERSION, type RotationRequest } from "./types.js";

export interface RequestInput {
  job: RotateKeyJob;
  repo: RepoView;
  key: { kind: KeyKind; mode: Mode; redacted: string };
  locations: readonly RecordedLocation[];
  verification: VerificationVerdict | "not-checked";
  /** Only when the operator set ROTATION_SEND_SECRET. */
  secret?: string;
}

export function buildRotationRequest(input: RequestInput): RotationRequest {
  const { job, repo } = input;
  return {
    version: ROTATION_REQUEST_VERSION,
    idempotencyId: rotationIdempotencyId(job.repoId, job.fingerprint),
    trigger: job.trigger,
    ...(job.requestedBy ? { requestedBy: job.requestedBy } : {}),
    incident: {
      repository: `${repo.owner}/${repo.repo}`,
      repositoryId: job.repoId,
      issueNumber: job.issueNumber,
      url: issueUrl(repo, job.issueNumber),
    },
    key: {
      kind: input.key.kind,
      mode: input.key.mode,
      redacted: input.key.redacted,
      fingerprint: job.fingerprint,
      ...(input.secret !== undefined ? { secret: input.secret } : {}),
    },
    locations: input.locations.map((location) => ({
      path: location.path,
      line: location.line,
      commitSha: location.commitSha,
      url: blobUrl(repo, location.commitSha, location.path, location.line),
    })),
    verification: input.verification,
  };
}

/** What ROTATION_DRY_RUN shows: the request as it would be sent, with the secret (if any) replaced by a note. */
export function describeForDryRun(request: RotationRequest): string {
  const shown = { ...request, key: { ...request.key, ...(request.key.secret !== undefined ? { secret: "(the raw key, read from GitHub at call time)" } : {}) } };
  return JSON.stringify(shown, null, 2);
}
