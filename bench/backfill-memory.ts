/*
 * Backfill memory benchmark (issue 5, "peak memory stays flat for a 200 MB
 * archive"): a gzipped tar of --mb megabytes (default 200) is generated on
 * the fly, never held whole, and streamed through the same scanner the
 * backfill job uses. Peak RSS is sampled throughout and printed next to the
 * archive size, for two sizes, so "flat" can be read off: the peak should
 * not grow with the archive.
 *
 * It prints; it asserts nothing.
 *
 *   npx tsx bench/backfill-memory.ts [--mb 200] [--file-kb 256]
 */
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { scanTarball } from "../src/backfill/scan-tarball.js";
import { buildTar } from "../test/backfill/tar-writer.js";
import { fakeKey } from "../test/helpers/fake-keys.js";

const { values } = parseArgs({ options: { mb: { type: "string", default: "200" }, "file-kb": { type: "string", default: "256" } } });
const TOTAL_MB = Number(values.mb);
const FILE_KB = Number(values["file-kb"]);

const LINE_WORDS = "const payment = await client.charges.create({ amount, currency, customer, description });".split(" ");

/** A few distinct bodies of ~FILE_KB of code-like text, made once; generation must not be what is measured. */
const BODIES = Array.from({ length: 8 }, (_, variant) => {
  const lines: string[] = [];
  let size = 0;
  let n = variant + 1;
  while (size < FILE_KB * 1024) {
    n = (Math.imul(n, 1103515245) + 12345) >>> 0;
    const line = `${LINE_WORDS.slice(0, 3 + (n % 8)).join(" ")} // ${n.toString(36)}`;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(`${lines.join("\n")}\n`);
});

/** One file; every 97th carries a key on its first line. */
function fileContent(index: number): Buffer {
  const body = BODIES[index % BODIES.length] as Buffer;
  const head = index % 97 === 0 ? `STRIPE_SECRET_KEY=${fakeKey("sk", "live")}\n` : `// file ${index}\n`;
  return Buffer.concat([Buffer.from(head), body]);
}

/** Tar entries made one at a time, gzipped as they are read: the archive never exists whole. */
function archive(totalBytes: number): { stream: Readable; files: () => number } {
  let made = 0;
  let bytes = 0;
  function* entries(): Generator<Buffer> {
    yield buildTar([{ type: "global", records: { comment: "c".repeat(40) } }, { type: "dir", path: "octo-big-ccccccc/" }], { endBlocks: false });
    while (bytes < totalBytes) {
      const text = fileContent(made);
      bytes += text.length;
      yield buildTar([{ type: "file", path: `octo-big-ccccccc/src/dir${made % 50}/file${made}.ts`, content: text }], { endBlocks: false });
      made++;
    }
    yield Buffer.alloc(1024);
  }
  return { stream: Readable.from(entries()).pipe(createGzip({ level: 1 })), files: () => made };
}

async function measure(megabytes: number): Promise<void> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const source = archive(megabytes * 1024 * 1024);
  const result = await scanTarball(source.stream, { pepper: "bench-pepper-0123456789abcdef" });
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (performance.now() - started) / 1000;
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
  console.log(
    `${String(megabytes).padStart(5)} MB archive (${source.files()} files, ${result.findings.length} keys): ` +
      `peak RSS ${mb(peak)} MB (baseline ${mb(baseline)} MB, +${mb(peak - baseline)} MB), ` +
      `${(result.bytesScanned / 1024 / 1024 / seconds).toFixed(0)} MB/s`,
  );
}

console.log(`Backfill scanner memory: a generated gzipped tar streamed through scanTarball (files of ${FILE_KB} KB).`);
await measure(Math.max(10, Math.round(TOTAL_MB / 10)));
await measure(TOTAL_MB);
console.log("Flat means the second peak is about the first: memory does not grow with the archive.");
