/*
 * Compressed containers, recognised by their magic bytes. A byte scan cannot
 * see a key inside them, so they stay "skipped" and the scan "incomplete".
 * Images are deliberately absent: PNG, JPEG, GIF and WebP compress only their
 * pixels, while their metadata (PNG tEXt/iTXt, JPEG COM and EXIF/XMP, GIF
 * comments, WebP XMP) is stored as plain bytes, and that is where text such
 * as a key can end up, so a byte scan covers them.
 */

interface Magic {
  name: string;
  bytes: readonly number[];
}

const MAGICS: readonly Magic[] = [
  { name: "zip", bytes: [0x50, 0x4b, 0x03, 0x04] }, // also jar, apk, docx, xlsx, odt, whl, nupkg
  { name: "zip", bytes: [0x50, 0x4b, 0x05, 0x06] }, // an empty zip
  { name: "zip", bytes: [0x50, 0x4b, 0x07, 0x08] }, // a spanned zip
  { name: "gzip", bytes: [0x1f, 0x8b] },
  { name: "xz", bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: "zstd", bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: "7z", bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: "rar", bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { name: "lz4", bytes: [0x04, 0x22, 0x4d, 0x18] },
];

/** bzip2: "BZh", a block-size digit, then the magic of the first block or of the end of an empty stream. */
const BZIP2_BLOCK = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
const BZIP2_END = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90];

function startsWith(content: Uint8Array, bytes: readonly number[], at = 0): boolean {
  if (content.length < at + bytes.length) return false;
  return bytes.every((byte, i) => content[at + i] === byte);
}

/** First bytes of every format above: most files are ruled out by one lookup. */
const FIRST_BYTES = new Set([...MAGICS.map((magic) => magic.bytes[0]), 0x42]);

/** The container format's name if `content` is a compressed archive or stream, else undefined. */
export function compressedFormat(content: Uint8Array): string | undefined {
  if (!FIRST_BYTES.has(content[0])) return undefined;
  for (const magic of MAGICS) if (startsWith(content, magic.bytes)) return magic.name;
  const level = content[3];
  if (startsWith(content, [0x42, 0x5a, 0x68]) && level !== undefined && level >= 0x31 && level <= 0x39) {
    if (startsWith(content, BZIP2_BLOCK, 4) || startsWith(content, BZIP2_END, 4)) return "bzip2";
  }
  return undefined;
}

export function compressedReason(format: string): string {
  return `compressed archive (${format}): not scanned`;
}
