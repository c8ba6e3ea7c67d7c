/**
 * A tiny stateful GitHub (issues, comments, labels of one repository) on top
 * of nock. Each test registers only the routes it expects, each a fixed number
 * of times, so `nock.pendingMocks()` being empty at the end proves every
 * expected call happened and an unexpected one fails the request. The state
 * lets tests assert outcomes ("exactly one issue") rather than call shapes.
 */
import nock from "nock";
import { TEST_API } from "../helpers/octokit.js";

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  assignees: string[];
  comments: string[];
  pull_request?: boolean;
  /** Opened by a person rather than by an App (the default for seeded and created issues is the App). */
  byPerson?: boolean;
  /** Comments written by people; listed before the App's own `comments`. */
  personComments?: string[];
  /** "owner/repo" it now lives in, when transferred away. */
  repository?: string;
}

export interface FakeLabel {
  name: string;
  color: string;
  description: string;
}

type Json = Record<string, unknown>;

const APP = { login: "stripe-leak-guard[bot]", type: "Bot" };
const PERSON = { login: "mallory", type: "User" };

function asJson(body: nock.Body): Json {
  if (typeof body === "string") return body ? (JSON.parse(body) as Json) : {};
  return body as Json;
}

export class FakeGitHub {
  readonly issues: FakeIssue[] = [];
  readonly labels: FakeLabel[] = [];
  /** Every raw request body sent, for canary checks. */
  readonly bodies: string[] = [];
  /** "METHOD /path" of every request served, in order. */
  readonly calls: string[] = [];
  private readonly scope: nock.Scope;
  private readonly root: string;

  constructor(
    readonly owner = "octo",
    readonly repo = "shop",
    private readonly api = TEST_API,
  ) {
    const url = new URL(api);
    this.root = `${url.pathname.replace(/\/$/, "")}/repos/${owner}/${repo}`;
    this.scope = nock(url.origin);
    this.scope.on("request", (req: { method?: string; path?: string }, _interceptor: unknown, body: string) => {
      this.bodies.push(body ?? "");
      this.calls.push(`${req.method ?? "?"} ${(req.path ?? "").split("?")[0]}`);
    });
  }

  seedIssue(issue: Partial<FakeIssue> & Pick<FakeIssue, "body">): FakeIssue {
    const full: FakeIssue = {
      number: this.issues.length + 1,
      title: "seeded",
      state: "open",
      labels: [],
      assignees: [],
      comments: [],
      ...issue,
    };
    this.issues.push(full);
    return full;
  }

  seedLabels(names: readonly string[]): void {
    for (const name of names) this.labels.push({ name, color: "ededed", description: "" });
  }

  posts(kind: "issues" | "comments" | "labels"): number {
    const suffix = kind === "issues" ? /\/issues$/ : kind === "comments" ? /\/comments$/ : /\/labels$/;
    return this.calls.filter((call) => call.startsWith("POST ") && suffix.test(call)).length;
  }

  /** GET /issues?labels=…&state=all, paginated like GitHub (Link header). */
  listIssues(times = 1): this {
    this.scope
      .get(`${this.root}/issues`)
      .query(true)
      .times(times)
      .reply((uri) => {
        const query = new URL(uri, "https://x.invalid").searchParams;
        const wanted = (query.get("labels") ?? "").split(",").filter(Boolean);
        const state = query.get("state") ?? "open";
        const perPage = Number(query.get("per_page") ?? 30);
        const page = Number(query.get("page") ?? 1);
        const matching = this.issues
          .filter((issue) => state === "all" || issue.state === state)
          .filter((issue) => wanted.every((name) => issue.labels.some((label) => label.toLowerCase() === name.toLowerCase())))
          .sort((a, b) => b.number - a.number);
        const slice = matching.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < matching.length) {
          const next = new URL(`${new URL(this.api).origin}${this.root}/issues`);
          for (const [key, value] of query) next.searchParams.set(key, value);
          next.searchParams.set("page", String(page + 1));
          headers.link = `<${next.toString()}>; rel="next"`;
        }
        return [200, slice.map((issue) => this.view(issue)), headers];
      });
    return this;
  }

  getIssue(times = 1): this {
    this.scope
      .get(new RegExp(`^${this.root}/issues/\\d+$`))
      .times(times)
      .reply((uri) => {
        const issue = this.find(uri);
        return issue ? [200, this.view(issue)] : [404, { message: "Not Found" }];
      });
    return this;
  }

  /** POST /issues. `failAfter: 502` stores the issue and then answers 502, as a flaky proxy would. */
  createIssue(times = 1, fault?: { status: number; stored: boolean }): this {
    this.scope
      .post(`${this.root}/issues`)
      .times(times)
      .reply((_uri, raw) => {
        const body = asJson(raw);
        const assignees = (body.assignees as string[] | undefined) ?? [];
        if (assignees.some((login) => login.startsWith("nobody"))) {
          return [422, { message: "Validation Failed", errors: [{ resource: "Issue", code: "invalid", field: "assignees", value: assignees[0] }] }];
        }
        if (fault && !fault.stored) return [fault.status, { message: "Server Error" }];
        const issue = this.seedIssue({
          title: String(body.title),
          body: String(body.body),
          labels: ((body.labels as string[] | undefined) ?? []).slice(),
          assignees,
        });
        if (fault) return [fault.status, { message: "Server Error" }];
        return [201, this.view(issue)];
      });
    return this;
  }

  updateIssue(times = 1): this {
    this.scope
      .patch(new RegExp(`^${this.root}/issues/\\d+$`))
      .times(times)
      .reply((uri, raw) => {
        const issue = this.find(uri);
        if (!issue) return [404, { message: "Not Found" }];
        const body = asJson(raw);
        if (body.state === "open" || body.state === "closed") issue.state = body.state;
        return [200, this.view(issue)];
      });
    return this;
  }

  listComments(times = 1): this {
    this.scope
      .get(new RegExp(`^${this.root}/issues/\\d+/comments`))
      .times(times)
      .reply((uri) => {
        const issue = this.find(uri.split("?")[0]!.replace(/\/comments$/, ""));
        if (!issue) return [404, { message: "Not Found" }];
        const people = (issue.personComments ?? []).map((body) => ({ body, user: PERSON }));
        const app = issue.comments.map((body) => ({ body, user: APP }));
        return [200, [...people, ...app].map((comment, index) => ({ id: issue.number * 1000 + index, ...comment }))];
      });
    return this;
  }

  createComment(times = 1, fault?: { status: number; stored: boolean }): this {
    this.scope
      .post(new RegExp(`^${this.root}/issues/\\d+/comments$`))
      .times(times)
      .reply((uri, raw) => {
        const issue = this.find(uri.replace(/\/comments$/, ""));
        if (!issue) return [404, { message: "Not Found" }];
        if (fault && !fault.stored) return [fault.status, { message: "Server Error" }];
        issue.comments.push(String(asJson(raw).body));
        if (fault) return [fault.status, { message: "Server Error" }];
        return [201, { id: issue.number * 1000 + issue.comments.length, body: asJson(raw).body, user: APP }];
      });
    return this;
  }

  listLabels(times = 1): this {
    this.scope
      .get(`${this.root}/labels`)
      .query(true)
      .times(times)
      .reply(() => [200, this.labels.map((label, index) => ({ id: index + 1, ...label }))]);
    return this;
  }

  /** POST /labels; `raceOn` names a label someone else creates first (422 already_exists). */
  createLabel(times = 1, raceOn?: string): this {
    this.scope
      .post(`${this.root}/labels`)
      .times(times)
      .reply((_uri, raw) => {
        const body = asJson(raw);
        const name = String(body.name);
        if (name === raceOn || this.labels.some((label) => label.name.toLowerCase() === name.toLowerCase())) {
          return [422, { message: "Validation Failed", errors: [{ resource: "Label", code: "already_exists", field: "name" }] }];
        }
        const label = { name, color: String(body.color), description: String(body.description ?? "") };
        this.labels.push(label);
        return [201, label];
      });
    return this;
  }

  private find(uri: string): FakeIssue | undefined {
    const number = Number(/\/issues\/(\d+)/.exec(uri)?.[1]);
    return this.issues.find((issue) => issue.number === number);
  }

  private view(issue: FakeIssue): Json {
    return {
      id: issue.number * 10,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      user: issue.byPerson ? PERSON : APP,
      repository_url: `${this.api}/repos/${issue.repository ?? `${this.owner}/${this.repo}`}`,
      labels: issue.labels.map((name) => ({ name })),
      assignees: issue.assignees.map((login) => ({ login })),
      ...(issue.pull_request ? { pull_request: { url: "https://example.invalid" } } : {}),
    };
  }
}
