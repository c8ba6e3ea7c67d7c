import { describe, expect, it } from "vitest";
import { compressedFormat } from "../../src/cli/compressed.js";
import { decodeContent } from "../../src/cli/read-file.js";

const bytes = (...values: number[]): Buffer => Buffer.concat([Buffer.from(values), Buffer.alloc(16)]);

describe("compressedFormat", () => {
  it.each([
    ["zip", bytes(0x50, 0x4b, 0x03, 0x04)],
    ["zip", bytes(0x50, 0x4b, 0x05, 0x06)],
    ["gzip", bytes(0x1f, 0x8b, 0x08)],
    ["bzip2", bytes(0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59)],
    ["xz", bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)],
    ["zstd", bytes(0x28, 0xb5, 0x2f, 0xfd)],
    ["7z", bytes(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)],
  ])("recognises %s", (format, content) => {
    expect(compressedFormat(content)).toBe(format);
  });

  it("leaves images, other binaries and text alone", () => {
    expect(compressedFormat(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBeUndefined(); // PNG
    expect(compressedFormat(bytes(0xff, 0xd8, 0xff, 0xe0))).toBeUndefined(); // JPEG
    expect(compressedFormat(bytes(0x7f, 0x45, 0x4c, 0x46))).toBeUndefined(); // ELF
    expect(compressedFormat(Buffer.from("BZh9 is how this line starts\n"))).toBeUndefined();
    expect(compressedFormat(Buffer.from("PK"))).toBeUndefined();
  });
});

describe("decodeContent", () => {
  it("decodes a binary file byte for byte and marks it binary", () => {
    const content = Buffer.from([0x00, 0x41, 0xff, 0x0a, 0x42]);
    expect(decodeContent(content)).toEqual({ ok: true, text: "\u0000A\u00ff\nB", binary: true });
  });

  it("refuses compressed archives with the format in the reason", () => {
    expect(decodeContent(bytes(0x1f, 0x8b, 0x08))).toEqual({ ok: false, reason: "compressed archive (gzip): not scanned" });
  });

  it("decodes text as before", () => {
    expect(decodeContent(Buffer.from("plain\n"))).toEqual({ ok: true, text: "plain\n", binary: false });
  });
});
