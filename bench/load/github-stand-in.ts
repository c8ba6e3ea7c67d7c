import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/*
 * A local stand-in for the GitHub API, reached through GHE_HOST and
 * GHE_PROTOCOL=http on 127.0.0.1 only. It answers what a clean push costs:
 * an installation token, compare (one changed file, no key), and the repo
 * config lookups (404: no config). Everything it is asked is counted.
 */

export interface StandIn {
  host: string;
  counts: Map<string, number>;
  total(): number;
  close(): Promise<void>;
}

const PATCH = "@@ -1,2 +1,3 @@\n const a = 1;\n+const b = 2;\n const c = 3;\n";

export async function startGitHubStandIn(): Promise<StandIn> {
  const counts = new Map<string, number>();
  const count = (route: string) => counts.set(route, (counts.get(route) ?? 0) + 1);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/api\/v3/, "");
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    };
    req.resume();
    let match: RegExpExecArray | null;
    if (req.method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      count("POST /app/installations/:id/access_tokens");
      return json(201, { token: "bench-installation-token", expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {} });
    }
    if (req.method === "GET" && (match = /^\/repos\/[^/]+\/[^/]+\/compare\/[0-9a-f]+\.\.\.([0-9a-f]+)$/.exec(path))) {
      count("GET /repos/:owner/:repo/compare/:basehead");
      const head = match[1] ?? "";
      return json(200, {
        status: "ahead",
        ahead_by: 1,
        behind_by: 0,
        total_commits: 1,
        commits: [
          {
            sha: head,
            parents: [{ sha: "1".repeat(40) }],
            author: { login: "bench" },
            commit: { author: { name: "bench", email: "bench@example.com", date: "2026-01-01T00:00:00Z" }, message: "Update" },
          },
        ],
        files: [{ sha: "2".repeat(40), filename: "src/index.ts", status: "modified", additions: 1, deletions: 0, changes: 1, patch: PATCH }],
      });
    }
    if (req.method === "GET" && /^\/repos\/[^/]+\/[^/]+\/contents\//.test(path)) {
      count("GET /repos/:owner/:repo/contents/:path");
      return json(404, { message: "Not Found" });
    }
    count(`unexpected ${req.method} ${path}`);
    return json(404, { message: "Not Found (bench stand-in)" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    counts,
    total: () => [...counts.values()].reduce((sum, value) => sum + value, 0),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
