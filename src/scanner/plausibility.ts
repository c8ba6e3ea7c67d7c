/*
 * Is a key body a real key or a stand-in? Real bodies are random
 * alphanumerics; documentation and fixtures use words, masks, runs and
 * counting sequences. Each test below misses a random body with probability
 * well under 1e-4 (see docs/detection.md), so real keys are not dropped.
 */

/* Four-letter words occur by chance in long random bodies, so they only count in short ones. */
const SHORT_WORDS = ["your", "fake", "xxxx", "mock"];
const SHORT_BODY = 40;

const PLACEHOLDER_WORDS = [
  "example",
  "sample",
  "placeholder",
  "dummy",
  "redacted",
  "changeme",
  "insert",
  "replace",
  "secret",
  "apikey",
  "qwerty",
  "testkey",
  "notreal",
  "invalid",
  "stripe",
  "token",
  "fixme",
];

/** Shannon entropy in bits per character. */
export function entropy(body: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / body.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Longest run of identical characters, and of characters counting up or down by one ("12345", "fedcb"). */
function longestRuns(body: string): { same: number; step: number } {
  let same = 1;
  let step = 1;
  let curSame = 1;
  let curStep = 1;
  let dir = 0;
  for (let i = 1; i < body.length; i++) {
    const d = body.charCodeAt(i) - body.charCodeAt(i - 1);
    curSame = d === 0 ? curSame + 1 : 1;
    if ((d === 1 || d === -1) && (dir === 0 || dir === d)) {
      curStep++;
      dir = d;
    } else if (d === 1 || d === -1) {
      curStep = 2;
      dir = d;
    } else {
      curStep = 1;
      dir = 0;
    }
    if (curSame > same) same = curSame;
    if (curStep > step) step = curStep;
  }
  return { same, step };
}

/** Share of neighbouring characters one apart ("abc123def456" is mostly such steps; random bodies about 3%). */
function stepShare(body: string): number {
  let steps = 0;
  for (let i = 1; i < body.length; i++) {
    const d = body.charCodeAt(i) - body.charCodeAt(i - 1);
    if (d === 1 || d === -1) steps++;
  }
  return steps / Math.max(1, body.length - 1);
}

/** True when the body is a shorter block repeated ("Ab12Ab12Ab12"). */
function periodic(body: string): boolean {
  for (let p = 1; p <= body.length / 3; p++) if (body.slice(p) === body.slice(0, body.length - p)) return true;
  return false;
}

/** Why the body is a placeholder, or undefined when it looks like a real key. */
export function placeholderReason(body: string): string | undefined {
  const lower = body.toLowerCase();
  for (const word of PLACEHOLDER_WORDS) if (lower.includes(word)) return `contains "${word}"`;
  if (body.length <= SHORT_BODY) for (const word of SHORT_WORDS) if (lower.includes(word)) return `contains "${word}"`;
  const runs = longestRuns(body);
  if (runs.same >= 6) return "repeated characters";
  if (runs.step >= 6 || stepShare(body) >= 0.4) return "sequential characters";
  if (periodic(body)) return "repeated block";
  // Random bodies sit near 4 bits per character; cyclic fillers ("abcabc…") near 1 to 2. Short hex bodies vary more.
  if (entropy(body) < (body.length < 32 ? 2.5 : 3)) return "low entropy";
  return undefined;
}
