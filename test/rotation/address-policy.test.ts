import { describe, expect, it } from "vitest";
import { createAddressPolicy } from "../../src/rotation/address-policy.js";

describe("createAddressPolicy", () => {
  const strict = createAddressPolicy([]);

  it.each([
    ["127.0.0.1", /loopback/],
    ["10.1.2.3", /private/],
    ["172.20.0.1", /private/],
    ["192.168.1.1", /private/],
    ["169.254.169.254", /link-local/],
    ["100.64.0.1", /carrier-grade/],
    ["0.0.0.0", /unspecified/],
    ["::1", /loopback/],
    ["::ffff:a9fe:a9fe", /IPv4-mapped/],
    ["::ffff:127.0.0.1", /IPv4-mapped/],
    ["fe80::1", /link-local/],
    ["fd00::1", /private/],
  ])("refuses %s", (address, why) => {
    expect(strict.refusal("handler.example.com", address)).toMatch(why);
  });

  it("allows public addresses", () => {
    expect(strict.refusal("handler.example.com", "93.184.216.34")).toBeUndefined();
    expect(strict.refusal("handler.example.com", "2606:2800:220:1:248:1893:25c8:1946")).toBeUndefined();
  });

  it("names the host and the address, and the way out", () => {
    expect(strict.refusal("127.0.0.1.nip.io", "127.0.0.1")).toBe(
      "127.0.0.1.nip.io resolves to 127.0.0.1, which is a loopback address; the App refuses such addresses unless the operator lists the host in ROTATION_ALLOWED_HOSTS",
    );
  });

  it("lets the operator allow a host name, an address or a range", () => {
    const policy = createAddressPolicy(["rotator.internal", "127.0.0.1", "10.0.0.0/8", "fd00::/8"]);
    expect(policy.refusal("ROTATOR.internal", "192.168.1.1")).toBeUndefined();
    expect(policy.refusal("x", "127.0.0.1")).toBeUndefined();
    expect(policy.refusal("x", "10.9.9.9")).toBeUndefined();
    expect(policy.refusal("x", "fd12::1")).toBeUndefined();
    expect(policy.refusal("x", "127.0.0.2")).toMatch(/loopback/);
    expect(policy.refusal("x", "169.254.169.254")).toMatch(/link-local/);
  });
});
