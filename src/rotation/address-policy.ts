/*
 * Which addresses the rotation handler may be reached at. Checked on the
 * resolved IPs at connect time (so DNS rebinding cannot slip past a check
 * made earlier), with an operator allow-list for handlers that really do
 * live on a private network. Deny by range, because the alternative (a
 * public-only allow-list) cannot be known up front.
 */
import { BlockList, isIP } from "node:net";

const BLOCKED_V4: readonly [string, number, string][] = [
  ["0.0.0.0", 8, "an unspecified (\"this network\") address"],
  ["10.0.0.0", 8, "a private address"],
  ["100.64.0.0", 10, "a carrier-grade NAT address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local address (cloud metadata lives here)"],
  ["172.16.0.0", 12, "a private address"],
  ["192.0.0.0", 24, "an IETF protocol address"],
  ["192.0.2.0", 24, "a documentation address"],
  ["192.168.0.0", 16, "a private address"],
  ["198.18.0.0", 15, "a benchmarking address"],
  ["198.51.100.0", 24, "a documentation address"],
  ["203.0.113.0", 24, "a documentation address"],
  ["224.0.0.0", 4, "a multicast address"],
  ["240.0.0.0", 4, "a reserved address"],
];

const BLOCKED_V6: readonly [string, number, string][] = [
  ["::", 128, "an unspecified address"],
  ["::1", 128, "a loopback address"],
  ["::ffff:0:0", 96, "an IPv4-mapped address"],
  ["64:ff9b::", 96, "a NAT64 address"],
  ["64:ff9b:1::", 48, "a NAT64 address"],
  ["100::", 64, "a discard address"],
  ["2001:db8::", 32, "a documentation address"],
  ["fc00::", 7, "a private (unique local) address"],
  ["fe80::", 10, "a link-local address"],
  ["ff00::", 8, "a multicast address"],
];

function describeBlocked(address: string): string | undefined {
  const family = isIP(address) === 6 ? "ipv6" : "ipv4";
  const rules = family === "ipv6" ? BLOCKED_V6 : BLOCKED_V4;
  for (const [network, prefix, what] of rules) {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    if (list.check(address, family)) return what;
  }
  return undefined;
}

export interface AddressPolicy {
  /** Undefined when the address may be used; otherwise why not, for the issue comment. */
  refusal(hostname: string, address: string): string | undefined;
}

/**
 * Allow-list entries are host names (exact, case-insensitive), IP addresses
 * or CIDR ranges ("10.0.0.0/8", "fd00::/8").
 */
export function createAddressPolicy(allowed: readonly string[]): AddressPolicy {
  const hosts = new Set<string>();
  const addresses = new BlockList();
  for (const entry of allowed) {
    const [network, prefix] = entry.split("/");
    const family = network ? isIP(network) : 0;
    if (network && family !== 0) {
      const kind = family === 6 ? "ipv6" : "ipv4";
      if (prefix === undefined) addresses.addAddress(network, kind);
      else addresses.addSubnet(network, Number(prefix), kind);
    } else {
      hosts.add(entry.toLowerCase().replace(/^\[|\]$/g, ""));
    }
  }
  return {
    refusal(hostname, address) {
      const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
      if (hosts.has(host)) return undefined;
      const family = isIP(address);
      if (family === 0) return `${address} is not an IP address`;
      if (addresses.check(address, family === 6 ? "ipv6" : "ipv4")) return undefined;
      const what = describeBlocked(address);
      if (!what) return undefined;
      const subject = host === address ? address : `${host} resolves to ${address}, which`;
      return `${subject} is ${what}; the App refuses such addresses unless the operator lists the host in ROTATION_ALLOWED_HOSTS`;
    },
  };
}
