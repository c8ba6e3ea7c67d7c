import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { runInBackground, settleBackground } from "../../src/alerts/background.js";

const log = pino({ level: "silent" });

describe("settleBackground", () => {
  it("waits for background work to finish", async () => {
    let done = false;
    runInBackground("quick work", async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      done = true;
    }, log);
    await expect(settleBackground()).resolves.toBe(0);
    expect(done).toBe(true);
  });

  it("gives up after its deadline and says how much was still running", async () => {
    let release: () => void = () => undefined;
    runInBackground("stuck work", () => new Promise<void>((resolve) => (release = resolve)), log);
    await expect(settleBackground(10)).resolves.toBe(1);
    release();
    await expect(settleBackground()).resolves.toBe(0);
  });
});
