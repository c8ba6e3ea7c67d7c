/**
 * Two "workers" (each with its own Redis connection and lock) get the same
 * rotation 5 times at once: the Redis lock plus the App's markers on the issue
 * make exactly one handler call. Uses the shared Redis under its own prefix.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../../src/config/env.js";
import { createRotateKeyProcessor } from "../../src/jobs/rotate-key.js";
import { createRedisLock } from "../../src/lock/redis-lock.js";
import { rotationSettingsFrom } from "../../src/rotation/settings.js";
import { connect, deleteWithPrefix, keysWithPrefix, uniquePrefix } from "../helpers/redis.js";
import { HandlerStandIn, selfSignedCertificate } from "../rotation/helpers/handler-stand-in.js";
import { createWorld, knowsEveryLabel, PATH, SHA } from "../rotation/helpers/world.js";

const handler = new HandlerStandIn();
const prefix = uniquePrefix("rotation-lock");
let clients: Redis[] = [];
let caDir = "";

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^127\.0\.0\.1(:\d+)?$/.test(host));
  await handler.start();
  caDir = mkdtempSync(join(tmpdir(), "slg-ca-"));
  writeFileSync(join(caDir, "ca.pem"), selfSignedCertificate().cert);
  clients = [connect(), connect()];
});

afterAll(async () => {
  await handler.stop();
  rmSync(caDir, { recursive: true, force: true });
  const [first] = clients;
  if (first) await deleteWithPrefix(first, prefix);
  await Promise.all(clients.map((client) => client.quit()));
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("rotate-key across two workers sharing a Redis lock", () => {
  it("5 concurrent deliveries of one rotation make one handler call and one comment", async () => {
    const world = createWorld();
    world.github.serveIssue().serveComments().serveFile(PATH, SHA, world.fileText).serveAddLabels();
    const settings = rotationSettingsFrom(
      readEnv({
        ROTATION_HANDLER_URL: handler.url,
        ROTATION_HANDLER_SECRET: "redis-lock-test-secret",
        ROTATION_ALLOWED_HOSTS: "127.0.0.1",
        ROTATION_HANDLER_CA_FILE: join(caDir, "ca.pem"),
      }),
      { handlerTimeoutMs: 10_000 },
    );
    const workers = clients.map((client) => ({
      run: createRotateKeyProcessor({ settings, labelCache: knowsEveryLabel() }),
      deps: { ...world.deps, lock: createRedisLock({ client, keyPrefix: prefix }) },
    }));

    await Promise.all(
      Array.from({ length: 5 }, (_, index) => {
        const worker = workers[index % workers.length];
        if (!worker) throw new Error("no worker");
        return worker.run(world.job, worker.deps);
      }),
    );

    expect(handler.received).toHaveLength(1);
    expect(world.github.appComments()).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
    expect(world.leaks()).toEqual([]);
    // Locks are released; nothing of ours is left in Redis, and certainly no key.
    const [first] = clients;
    expect(first ? await keysWithPrefix(first, prefix) : []).toEqual([]);
  });
});
