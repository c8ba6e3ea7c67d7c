/*
 * Small Markdown helpers. Paths, refs, logins and config errors come from
 * whoever pushed, so they are always wrapped or escaped: a file named
 * "@org/team" must not ping a team, and a path with a backtick or a pipe must
 * not break a code span or a table.
 */

/** An inline code span that holds any text, newlines folded to spaces. */
export function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  const longestRun = Math.max(0, ...Array.from(flat.matchAll(/`+/g), (match) => match[0].length));
  const fence = "`".repeat(longestRun + 1);
  // A span that starts or ends with a backtick needs a space of padding, which Markdown strips.
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A table cell: pipes would split the cell and newlines would end the row. */
export function cell(markdown: string): string {
  return markdown.replace(/[\r\n]+/g, " ").replaceAll("|", "\\|");
}

/** Plain text shown as text: Markdown punctuation, HTML and mentions are neutralised. */
export function text(value: string): string {
  return value
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_[\]|<>~]/g, (char) => `\\${char}`)
    .replaceAll("@", "@\u200b");
}

export function link(label: string, url: string): string {
  return `[${label}](${url})`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Cut `markdown` to at most `limit` UTF-16 units, at a line boundary, never
 * inside a surrogate pair, ending with `notice`. Text that fits is returned
 * unchanged.
 */
export function truncateMarkdown(markdown: string, limit: number, notice: string): string {
  if (markdown.length <= limit) return markdown;
  const tail = `\n\n${notice}\n`;
  let cut = Math.max(0, limit - tail.length);
  const lastNewline = markdown.lastIndexOf("\n", cut);
  if (lastNewline > 0) cut = lastNewline;
  const before = markdown.charCodeAt(cut - 1);
  if (before >= 0xd800 && before <= 0xdbff) cut -= 1;
  let head = markdown.slice(0, cut);
  // An open fence would swallow the notice and anything GitHub appends.
  const fences = [...head.matchAll(/^```/gm)];
  if (fences.length % 2 === 1) head = head.slice(0, fences[fences.length - 1]?.index ?? 0).trimEnd();
  return `${head}${tail}`.slice(0, limit);
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
const TEAM = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** "@login" or "@org/team" when the name is a valid GitHub handle; anything else is shown as code and pings no one. */
export function mention(handle: string): string {
  const name = handle.trim().replace(/^@/, "");
  return LOGIN.test(name) || TEAM.test(name) ? `@${name}` : code(handle);
}
