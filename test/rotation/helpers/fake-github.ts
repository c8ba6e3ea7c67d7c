/**
 * A small stateful GitHub for the verify, rotate and command tests, on nock.
 * A test turns on only the routes it expects (each persisted), so
 * `nock.pendingMocks()` being empty at the end proves each was used, and any
 * other request fails. Every request body is kept for the canary checks.
 */
import nock from "nock";
import { TEST_API } from "../../helpers/octokit.js";

export interface FakeComment {
  id: number;
  body: string;
  bot: boolean;
}

export interface FakeIncident {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  stateReason?: string;
  labels: string[];
  comments: FakeComment[];
}

type Json = Record<string, unknown>;

function json(body: nock.Body): Json {
  if (typeof body === "string") return body ? (JSON.parse(body) as Json) : {};
  return body as Json;
}

export class FakeGitHub {
  readonly bodies: string[] = [];
  readonly calls: string[] = [];
  readonly reactions: { commentId: number; content: string }[] = [];
  issue: FakeIncident;
  private nextId = 1000;
  private readonly scope: nock.Scope;
  private readonly root: string;

  constructor(
    readonly owner = "octo",
    readonly repo = "shop",
  ) {
    this.root = `/repos/${owner}/${repo}`;
    this.scope = nock(TEST_API).persist();
    this.scope.on("request", (req: { method?: string; path?: string }, _interceptor: unknown, body: string) => {
      this.bodies.push(body ?? "");
      this.calls.push(`${req.method ?? "?"} ${(req.path ?? "").split("?")[0]}`);
    });
    this.issue = { number: 7, title: "incident", body: "", state: "open", labels: [], comments: [] };
  }

  get htmlUrl(): string {
    return `https://github.com/${this.owner}/${this.repo}`;
  }

  appComments(): string[] {
    return this.issue.comments.filter((comment) => comment.bot).map((comment) => comment.body);
  }

  commentPosts(): number {
    return this.calls.filter((call) => call === `POST ${this.root}/issues/${this.issue.number}/comments`).length;
  }

  serveIssue(): this {
    this.scope.get(`${this.root}/issues/${this.issue.number}`).reply(200, () => ({
      number: this.issue.number,
      title: this.issue.title,
      body: this.issue.body,
      state: this.issue.state,
      labels: this.issue.labels.map((name) => ({ name })),
      user: { login: "stripe-leak-guard[bot]", type: "Bot" },
    }));
    return this;
  }

  /** Listing and posting comments. */
  serveComments(): this {
    this.scope
      .get(`${this.root}/issues/${this.issue.number}/comments`)
      .query(true)
      .reply(200, () =>
        this.issue.comments.map((comment) => ({
          id: comment.id,
          body: comment.body,
          user: comment.bot ? { login: "stripe-leak-guard[bot]", type: "Bot" } : { login: "someone", type: "User" },
        })),
      );
    return this.serveCommentPosts();
  }

  serveCommentPosts(): this {
    const path = `${this.root}/issues/${this.issue.number}/comments`;
    this.scope.post(path).reply(201, (_uri, body) => {
      const comment = { id: this.nextId++, body: String(json(body).body ?? ""), bot: true };
      this.issue.comments.push(comment);
      return { id: comment.id, body: comment.body };
    });
    return this;
  }

  serveAddLabels(): this {
    const path = `${this.root}/issues/${this.issue.number}/labels`;
    this.scope.post(path).reply(200, (_uri, body) => {
      const labels = (json(body).labels as string[] | undefined) ?? [];
      for (const name of labels) if (!this.issue.labels.includes(name)) this.issue.labels.push(name);
      return this.issue.labels.map((name) => ({ name }));
    });
    return this;
  }

  serveRemoveLabels(): this {
    const path = `${this.root}/issues/${this.issue.number}/labels`;
    this.scope.delete(new RegExp(`^${path}/[^/]+$`)).reply(200, (uri) => {
      const name = decodeURIComponent(uri.split("/").pop() ?? "");
      this.issue.labels = this.issue.labels.filter((label) => label !== name);
      return this.issue.labels.map((label) => ({ name: label }));
    });
    return this;
  }

  serveUpdates(): this {
    this.scope.patch(`${this.root}/issues/${this.issue.number}`).reply(200, (_uri, body) => {
      const update = json(body);
      if (update.state === "closed" || update.state === "open") this.issue.state = update.state;
      if (typeof update.state_reason === "string") this.issue.stateReason = update.state_reason;
      return { number: this.issue.number, state: this.issue.state };
    });
    return this;
  }

  /** The file at `sha`; other refs 404. */
  serveFile(path: string, sha: string, text: string): this {
    this.scope
      .get((uri) => this.isContents(uri, path))
      .query({ ref: sha })
      .reply(200, { type: "file", path, sha: "b".repeat(40), encoding: "base64", size: text.length, content: Buffer.from(text).toString("base64") });
    return this;
  }

  /** A file over 1 MB: the contents API gives no content, the blob API does. */
  serveLargeFile(path: string, sha: string, text: string): this {
    const blobSha = "f".repeat(40);
    this.scope
      .get((uri) => this.isContents(uri, path))
      .query({ ref: sha })
      .reply(200, { type: "file", path, sha: blobSha, encoding: "none", size: 2_000_000, content: "" });
    this.scope.get(`${this.root}/git/blobs/${blobSha}`).reply(200, { sha: blobSha, encoding: "base64", size: text.length, content: Buffer.from(text).toString("base64") });
    return this;
  }

  serveMissingFile(path: string, sha: string): this {
    this.scope
      .get((uri) => this.isContents(uri, path))
      .query({ ref: sha })
      .reply(404, { message: "Not Found" });
    return this;
  }

  /** Octokit percent-encodes the whole path parameter, slashes included. */
  private isContents(uri: string, path: string): boolean {
    return decodeURIComponent(new URL(uri, TEST_API).pathname) === `${this.root}/contents/${path}`;
  }

  /** The repository config on the default branch; `undefined` serves 404 (and the org fallback 404s too). */
  serveConfig(yaml: string | undefined): this {
    const path = "/contents/.github/stripe-leak-guard.yml";
    const at = (root: string) => (uri: string) => decodeURIComponent(new URL(uri, TEST_API).pathname) === `${root}${path}`;
    if (yaml === undefined) {
      this.scope.get(at(this.root)).reply(404, { message: "Not Found" });
      this.scope.get(at(`/repos/${this.owner}/.github`)).reply(404, { message: "Not Found" });
    } else {
      this.scope.get(at(this.root)).reply(200, { type: "file", encoding: "base64", size: yaml.length, content: Buffer.from(yaml).toString("base64") });
    }
    return this;
  }

  servePermission(login: string, permission: "admin" | "maintain" | "write" | "triage" | "read" | "none"): this {
    const folded = permission === "maintain" ? "write" : permission === "triage" ? "read" : permission;
    this.scope
      .get(`${this.root}/collaborators/${login}/permission`)
      .reply(200, { permission: folded, role_name: permission, user: { login } });
    return this;
  }

  serveNotCollaborator(login: string): this {
    this.scope.get(`${this.root}/collaborators/${login}/permission`).reply(404, { message: "Not Found" });
    return this;
  }

  serveReactions(): this {
    this.scope.post(/\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+\/reactions$/).reply(201, (uri, body) => {
      const commentId = Number(uri.split("/").at(-2));
      this.reactions.push({ commentId, content: String(json(body).content) });
      return { id: 1, content: json(body).content };
    });
    return this;
  }
}
