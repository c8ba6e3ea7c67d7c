/*
 * The "Stripe key scan" check run. One is created per scanned head sha and
 * never updated from another sha's job, so an out-of-order synchronize can
 * only ever write to its own (older) commit. GitHub takes at most 50
 * annotations per request: the first 50 ride on the create, the rest follow
 * in updates, which append.
 */
import type { InstallationOctokit } from "../jobs/types.js";
import type { RenderedCheckRun } from "../render/index.js";
import type { RepoCoords } from "./compare.js";

export const CHECK_RUN_NAME = "Stripe key scan";
export const ANNOTATIONS_PER_REQUEST = 50;

/** GitHub's limits on the output fields; longer text is rejected with 422. */
const MAX_SUMMARY = 65_535;

export async function publishCheckRun(
  octokit: InstallationOctokit,
  repo: RepoCoords,
  headSha: string,
  rendered: RenderedCheckRun,
): Promise<number> {
  const batches: RenderedCheckRun["annotations"][] = [];
  for (let i = 0; i < rendered.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(rendered.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  const output = {
    title: rendered.title,
    summary: clip(rendered.summary),
    ...(rendered.text !== undefined ? { text: clip(rendered.text) } : {}),
  };
  const { data } = await octokit.rest.checks.create({
    owner: repo.owner,
    repo: repo.repo,
    name: CHECK_RUN_NAME,
    head_sha: headSha,
    status: "completed",
    conclusion: rendered.conclusion,
    completed_at: new Date().toISOString(),
    output: { ...output, annotations: batches[0] ?? [] },
  });
  for (const batch of batches.slice(1)) {
    await octokit.rest.checks.update({
      owner: repo.owner,
      repo: repo.repo,
      check_run_id: data.id,
      output: { ...output, annotations: batch },
    });
  }
  return data.id;
}

function clip(text: string): string {
  return text.length <= MAX_SUMMARY ? text : `${text.slice(0, MAX_SUMMARY - 40)}\n\n… (cut to fit GitHub's limit)`;
}
