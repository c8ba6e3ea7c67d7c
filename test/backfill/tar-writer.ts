/**
 * A tiny tar writer for tests: ustar headers (with prefix), pax extended and
 * global headers, GNU long names and base-256 sizes, so the streaming parser
 * is tested on every shape it claims to read, built at runtime.
 */
import { gzipSync } from "node:zlib";

export type EntrySpec =
  | { type: "file"; path: string; content: string | Buffer; longName?: "pax" | "gnu" | "prefix"; base256Size?: boolean }
  | { type: "dir"; path: string }
  | { type: "symlink"; path: string; target: string }
  | { type: "global"; records: Record<string, string> };

const BLOCK = 512;

function pad(buf: Buffer): Buffer {
  const rest = buf.length % BLOCK;
  return rest === 0 ? buf : Buffer.concat([buf, Buffer.alloc(BLOCK - rest)]);
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(name: string, size: number, flag: string, options: { prefix?: string; linkname?: string; base256?: boolean; gnu?: boolean } = {}): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, "utf8");
  block.write(octal(0o644, 8), 100, "latin1");
  block.write(octal(0, 8), 108, "latin1");
  block.write(octal(0, 8), 116, "latin1");
  if (options.base256) {
    block[124] = 0x80;
    let rest = size;
    for (let i = 135; i > 124; i--) {
      block[i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
  } else {
    block.write(octal(size, 12), 124, "latin1");
  }
  block.write(octal(0, 12), 136, "latin1");
  block.write(flag, 156, "latin1");
  if (options.linkname) block.write(options.linkname, 157, 100, "utf8");
  if (options.gnu) block.write("ustar  \0", 257, "latin1");
  else {
    block.write("ustar\0", 257, "latin1");
    block.write("00", 263, "latin1");
  }
  if (options.prefix) block.write(options.prefix, 345, 155, "utf8");
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "latin1");
  return block;
}

function paxBody(records: Record<string, string>): Buffer {
  let out = "";
  for (const [key, value] of Object.entries(records)) {
    const tail = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(tail) + 1;
    while (String(length).length + Buffer.byteLength(tail) !== length) length++;
    out += `${length}${tail}`;
  }
  return Buffer.from(out, "utf8");
}

function entry(spec: EntrySpec): Buffer[] {
  switch (spec.type) {
    case "global": {
      const body = paxBody(spec.records);
      return [header("pax_global_header", body.length, "g"), pad(body)];
    }
    case "dir":
      return [header(spec.path.endsWith("/") ? spec.path : `${spec.path}/`, 0, "5")];
    case "symlink":
      return [header(spec.path, 0, "2", { linkname: spec.target })];
    case "file": {
      const content = typeof spec.content === "string" ? Buffer.from(spec.content, "utf8") : spec.content;
      const parts: Buffer[] = [];
      let name = spec.path;
      let prefix: string | undefined;
      let gnu = false;
      if (spec.longName === "pax") {
        const body = paxBody({ path: spec.path });
        parts.push(header("PaxHeaders/x", body.length, "x"), pad(body));
        name = spec.path.slice(-99);
      } else if (spec.longName === "gnu") {
        const body = Buffer.from(`${spec.path}\0`, "utf8");
        parts.push(header("././@LongLink", body.length, "L", { gnu: true }), pad(body));
        name = spec.path.slice(0, 99);
        gnu = true;
      } else if (spec.longName === "prefix") {
        const cut = spec.path.lastIndexOf("/", spec.path.length - 2);
        prefix = spec.path.slice(0, cut);
        name = spec.path.slice(cut + 1);
      }
      parts.push(header(name, content.length, "0", { ...(prefix ? { prefix } : {}), base256: spec.base256Size ?? false, gnu }), pad(content));
      return parts;
    }
  }
}

export function buildTar(entries: readonly EntrySpec[], options: { endBlocks?: boolean } = {}): Buffer {
  const parts = entries.flatMap(entry);
  if (options.endBlocks !== false) parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** A GitHub-shaped tarball: a pax global header naming the commit, then everything under "<top>/". */
export function buildRepoTarball(top: string, files: Record<string, string | Buffer>, commitSha = "a".repeat(40)): Buffer {
  const entries: EntrySpec[] = [{ type: "global", records: { comment: commitSha } }, { type: "dir", path: `${top}/` }];
  for (const [path, content] of Object.entries(files)) entries.push({ type: "file", path: `${top}/${path}`, content });
  return gzipSync(buildTar(entries));
}

/** Splits a buffer into chunks of `size` bytes, as a network would. */
export async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < buf.length; at += size) yield buf.subarray(at, at + size);
}
