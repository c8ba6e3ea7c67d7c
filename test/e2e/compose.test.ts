/*
 * docker-compose.yml, checked structurally. No compose-spec JSON schema ships
 * in node_modules (find node_modules -name '*compose*schema*' finds nothing)
 * and there is no network here to fetch one, so this test encodes the part of
 * the spec the file uses: known top-level and service keys, the exec form of
 * commands and healthchecks, depends_on conditions, declared volumes, and the
 * Redis flags the queue relies on (AOF on, noeviction).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const compose = parse(readFileSync(join(REPO, "docker-compose.yml"), "utf8"), { merge: true }) as Record<string, unknown>;

type Service = Record<string, unknown>;
const services = compose.services as Record<string, Service>;

// From the Compose Specification (services section), the keys this project may use.
const SERVICE_KEYS = new Set([
  "build", "image", "command", "entrypoint", "environment", "env_file", "ports", "expose", "volumes", "depends_on",
  "healthcheck", "restart", "deploy", "stop_grace_period", "stop_signal", "user", "working_dir", "networks",
  "logging", "labels", "init", "read_only", "tmpfs", "secrets", "configs", "container_name", "profiles",
]);
const TOP_LEVEL_KEYS = new Set(["name", "services", "volumes", "networks", "configs", "secrets", "include"]);
const HEALTHCHECK_KEYS = new Set(["test", "interval", "timeout", "start_period", "start_interval", "retries", "disable"]);
const DURATION = /^(\d+(\.\d+)?(us|ms|s|m|h))+$/;

describe("docker-compose.yml", () => {
  it("uses only Compose keys, in the shapes the spec gives them", () => {
    for (const key of Object.keys(compose)) expect(TOP_LEVEL_KEYS.has(key) || key.startsWith("x-"), key).toBe(true);
    for (const [name, service] of Object.entries(services)) {
      for (const key of Object.keys(service)) expect(SERVICE_KEYS.has(key), `${name}.${key}`).toBe(true);
      expect(typeof service.image === "string" || service.build !== undefined, `${name} needs image or build`).toBe(true);
      if (service.command !== undefined) expect(Array.isArray(service.command), `${name}.command exec form`).toBe(true);
      if (service.environment !== undefined) {
        for (const value of Object.values(service.environment as Record<string, unknown>)) {
          expect(["string", "number", "boolean"]).toContain(typeof value);
        }
      }
      const healthcheck = service.healthcheck as Record<string, unknown> | undefined;
      if (healthcheck) {
        for (const key of Object.keys(healthcheck)) expect(HEALTHCHECK_KEYS.has(key), `${name}.healthcheck.${key}`).toBe(true);
        const test = healthcheck.test as unknown[];
        expect(["CMD", "CMD-SHELL"]).toContain(test[0]);
        for (const key of ["interval", "timeout", "start_period"]) {
          if (healthcheck[key] !== undefined) expect(String(healthcheck[key])).toMatch(DURATION);
        }
      }
      const dependsOn = service.depends_on as Record<string, { condition: string }> | undefined;
      for (const [dependency, spec] of Object.entries(dependsOn ?? {})) {
        expect(Object.keys(services)).toContain(dependency);
        expect(["service_started", "service_healthy", "service_completed_successfully"]).toContain(spec.condition);
      }
      for (const volume of (service.volumes as string[] | undefined) ?? []) {
        const source = volume.split(":")[0] ?? "";
        if (!source.startsWith(".") && !source.startsWith("/")) expect(Object.keys((compose.volumes ?? {}) as object)).toContain(source);
      }
    }
  });

  it("runs Redis with AOF and noeviction, one server and two workers from the one image", () => {
    const redis = services.redis as Service;
    const flags = (redis.command as string[]).join(" ");
    expect(flags).toMatch(/--appendonly yes/);
    expect(flags).toMatch(/--maxmemory-policy noeviction/);
    expect((redis.healthcheck as { test: string[] }).test).toContain("ping");

    const server = services.server as Service;
    const worker = services.worker as Service;
    expect(server.command).toEqual(["server"]);
    expect(worker.command).toEqual(["worker"]);
    expect(server.image).toBe(worker.image);
    expect((worker.deploy as { replicas: number }).replicas).toBe(2);
    for (const app of [server, worker]) {
      expect((app.environment as Record<string, string>).REDIS_URL).toBe("redis://redis:6379/0");
      expect(app.depends_on).toEqual({ redis: { condition: "service_healthy" } });
    }
    expect((server.environment as Record<string, string>).HOST).toBe("0.0.0.0");
    expect(server.ports).toEqual(["3000:3000"]);
    // Workers are probed on their own metrics port, not the server's.
    expect((worker.healthcheck as { test: string[] }).test.join(" ")).toContain("9464/healthz");
    expect((worker.environment as Record<string, string>).METRICS_PORT).toBe("9464");
  });
});
