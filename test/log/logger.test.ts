import { describe, expect, it } from "vitest";
import { pino } from "pino";
import type { Logger } from "pino";
import { createLogger, loggerOptions, logForWork, logLevelFrom, LogLevelError, redactDeep, scrubString } from "../../src/log/index.js";
import { fakeKey, fakeWebhookSecret } from "../helpers/fake-keys.js";
import { captureStream, occurrences } from "./capture.js";

function traceLogger() {
  const capture = captureStream();
  const log = createLogger({ level: "trace", destination: capture });
  return { capture, log };
}

/** The same logger without the last-line scrubber, to prove the structural layers hold on their own. */
function structuralOnlyLogger() {
  const capture = captureStream();
  const options = loggerOptions({ level: "trace" });
  const log = pino({ ...options, hooks: { ...options.hooks, streamWrite: undefined } }, capture);
  return { capture, log };
}

describe("scrubString", () => {
  it("masks every Stripe key kind down to prefix and last four", () => {
    const kinds = [fakeKey("sk", "live"), fakeKey("sk", "test"), fakeKey("rk", "live"), fakeKey("pk", "test")];
    const org = ["sk", "org", "live", fakeKey("sk", "live").slice(8)].join("_");
    const hook = fakeWebhookSecret();
    for (const key of [...kinds, org, hook]) {
      const out = scrubString(`before ${key} after`);
      expect(occurrences(out, key)).toBe(0);
      expect(out).toContain(`…${key.slice(-4)} after`);
    }
  });

  it("catches keys glued to other text and behind escaped separators", () => {
    const key = fakeKey("sk", "live");
    const body = key.slice("sk_live_".length);
    for (const text of [`token=x${key}`, `sk%5Flive%5F${body}`, `sk\\u005flive\\u005f${body}`, `"${key}"`]) {
      expect(occurrences(scrubString(text), body)).toBe(0);
    }
  });

  it("leaves ordinary text alone and is stable on its own output", () => {
    const plain = "pushed 3 commits to main (task_id=42)";
    expect(scrubString(plain)).toBe(plain);
    const once = scrubString(fakeKey("rk", "live"));
    expect(scrubString(once)).toBe(once);
  });
});

describe("redactDeep", () => {
  it("copies without mutating, scrubbing keys and values at any depth, arrays and cycles included", () => {
    const key = fakeKey("sk", "live");
    const input: Record<string, unknown> = { a: { b: { c: [{ d: `x ${key}` }] } }, [key]: 1 };
    input.self = input;
    const out = JSON.stringify(redactDeep(input));
    expect(occurrences(out, key)).toBe(0);
    expect(out).toContain("[Circular]");
    expect((input.a as { b: { c: Array<{ d: string }> } }).b.c[0]?.d).toBe(`x ${key}`);
  });

  it("turns errors into plain objects and keeps only the identity of an attached webhook event", () => {
    const key = fakeKey("sk", "live");
    const error = Object.assign(new Error(`boom ${key}`, { cause: new Error(`inner ${key}`) }), {
      event: { id: "d-1", name: "push", payload: { head_commit: { message: key }, installation: { id: 7 } } },
      status: 500,
    });
    const out = redactDeep(error) as Record<string, unknown>;
    const text = JSON.stringify(out);
    expect(occurrences(text, key)).toBe(0);
    expect(out.status).toBe(500);
    expect(out.event).toMatchObject({ id: "d-1", name: "push", installation: 7, payload: "[omitted]" });
    expect(text).toContain("inner sk_live_…");
  });
});

describe("createLogger", () => {
  it.each([
    ["all layers", traceLogger],
    ["structural layers alone", structuralOnlyLogger],
  ])("never writes a canary key at trace level, whatever field or argument carries it (%s)", (_name, make) => {
    const { capture, log } = make() as { capture: ReturnType<typeof captureStream>; log: Logger };
    const key = fakeKey("sk", "live");
    const hook = fakeWebhookSecret();
    const payload = { commits: [{ message: `add ${key}` }], pull_request: { body: `see ${hook}` } };
    const withEvent = Object.assign(new Error(`handler failed on ${key}`), { event: { id: "1", name: "push", payload } });
    const aggregate = Object.assign(new AggregateError([withEvent], "all failed"), { event: { id: "1", payload } });

    log.trace(`message ${key}`);
    log.debug("interpolated %s and %o and %j", key, { deep: [key] }, { hook });
    log.info({ payload }, "structured");
    log.info({ nested: { [key]: "key as property name" } });
    log.warn(withEvent);
    log.error({ err: withEvent }, "as err");
    log.error({ error: aggregate });
    log.fatal(aggregate, `while ${key}`);
    const child = log.child({ repo: "o/r", note: key });
    child.info({ list: [payload] }, "child %s", hook);
    logForWork(child, { deliveryId: "d-2", installationId: 3, owner: "o", repo: "r" }).trace(payload, key);

    const text = capture.text();
    expect(capture.lines.length).toBe(10);
    expect(occurrences(text, key)).toBe(0);
    expect(occurrences(text, hook)).toBe(0);
    for (const record of capture.records()) expect(typeof record.level).toBe("number");
  });

  it("binds delivery, installation and repository on every line of a piece of work", () => {
    const { capture, log } = traceLogger();
    const work = logForWork(log, { deliveryId: "abc", installationId: 12, owner: "octo", repo: "shop", event: "push" });
    work.info("one");
    work.child({ step: "scan" }).debug("two");
    for (const record of capture.records()) {
      expect(record).toMatchObject({ deliveryId: "abc", installation: 12, repo: "octo/shop", event: "push" });
    }
    expect(capture.lines).toHaveLength(2);
  });

  it("respects the level", () => {
    const capture = captureStream();
    const log = createLogger({ level: logLevelFrom("WARN"), destination: capture });
    log.info("hidden");
    log.debug("hidden");
    log.warn("shown");
    expect(capture.records().map((record) => record.msg)).toEqual(["shown"]);
  });
});

describe("logLevelFrom", () => {
  it("defaults to info and rejects unknown levels clearly", () => {
    expect(logLevelFrom(undefined)).toBe("info");
    expect(logLevelFrom("")).toBe("info");
    expect(logLevelFrom(" trace ")).toBe("trace");
    expect(() => logLevelFrom("verbose")).toThrow(LogLevelError);
    expect(() => logLevelFrom("verbose")).toThrow(/LOG_LEVEL must be one of/);
  });
});
