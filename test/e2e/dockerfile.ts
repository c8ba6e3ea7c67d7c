/*
 * Just enough of a Dockerfile reader to replay its stages outside Docker:
 * line continuations, comments, FROM ... AS name, and the exec (JSON) form of
 * CMD, ENTRYPOINT and HEALTHCHECK CMD.
 */

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuations joined. */
  rest: string;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (!pending && (line.trim() === "" || line.trim().startsWith("#"))) continue;
    if (pending && line.trim().startsWith("#")) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push((pending + line).trim());
    pending = "";
  }
  if (pending) logical.push(pending.trim());

  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/s.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? "").toUpperCase();
    const rest = (match[2] ?? "").replace(/\s+/g, " ").trim();
    if (keyword === "FROM") {
      const [from = "", , name] = rest.split(/\s+/);
      stages.push({ name: name ?? String(stages.length), from, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${keyword} before FROM`);
    stage.instructions.push({ keyword, rest });
  }
  return stages;
}

/** The exec form (`["node", "x"]`) as an argument list; the shell form is refused (it would need /bin/sh -c). */
export function execForm(rest: string): string[] {
  const parsed: unknown = JSON.parse(rest);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string")) {
    throw new Error(`expected the exec form ["cmd", "arg"], got ${rest}`);
  }
  return parsed as string[];
}

/** ENV k=v k2=v2 (values may be double-quoted) or the legacy ENV k v. */
export function parseEnv(rest: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!rest.includes("=")) {
    const [key = "", ...value] = rest.split(" ");
    out[key] = value.join(" ");
    return out;
  }
  for (const match of rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const value = match[2] ?? "";
    out[match[1] ?? ""] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
  }
  return out;
}

/** COPY [--from=stage] src... dest */
export function parseCopy(rest: string): { from?: string; sources: string[]; dest: string } {
  const parts = rest.split(" ");
  let from: string | undefined;
  while (parts[0]?.startsWith("--")) {
    const flag = parts.shift() ?? "";
    if (flag.startsWith("--from=")) from = flag.slice("--from=".length);
  }
  const dest = parts.pop();
  if (!dest || parts.length === 0) throw new Error(`COPY needs a source and a destination: ${rest}`);
  return { ...(from ? { from } : {}), sources: parts, dest };
}

/** HEALTHCHECK [--options] CMD [...] → the options and the command. */
export function parseHealthcheck(rest: string): { options: Record<string, string>; command: string[] } {
  const index = rest.indexOf("CMD ");
  if (index < 0) throw new Error(`HEALTHCHECK without CMD: ${rest}`);
  const options: Record<string, string> = {};
  for (const match of rest.slice(0, index).matchAll(/--([a-z-]+)=(\S+)/g)) options[match[1] ?? ""] = match[2] ?? "";
  return { options, command: execForm(rest.slice(index + 4).trim()) };
}
