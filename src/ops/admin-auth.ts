import { createHash, timingSafeEqual } from "node:crypto";

/*
 * Who may open the queue dashboard. Off unless the operator sets credentials:
 * ADMIN_USER + ADMIN_PASSWORD (HTTP Basic) and/or ADMIN_TOKEN (Bearer).
 * Comparisons hash both sides first so that timingSafeEqual sees equal
 * lengths and the time taken says nothing about the secret.
 */

export interface AdminAuth {
  basic?: { user: string; password: string };
  bearer?: string;
}

export interface AdminEnv {
  ADMIN_USER?: string | undefined;
  ADMIN_PASSWORD?: string | undefined;
  ADMIN_TOKEN?: string | undefined;
}

export class AdminAuthConfigError extends Error {
  override name = "AdminAuthConfigError";
}

/** undefined means the dashboard stays off. Half a Basic pair is a configuration error, not "off". */
export function adminAuthFrom(env: AdminEnv): AdminAuth | undefined {
  const user = env.ADMIN_USER?.trim() ? env.ADMIN_USER : undefined;
  const password = env.ADMIN_PASSWORD ? env.ADMIN_PASSWORD : undefined;
  const token = env.ADMIN_TOKEN?.trim() ? env.ADMIN_TOKEN.trim() : undefined;
  if ((user === undefined) !== (password === undefined)) {
    throw new AdminAuthConfigError("set both ADMIN_USER and ADMIN_PASSWORD (or neither) to enable the queue dashboard");
  }
  if (user?.includes(":")) throw new AdminAuthConfigError("ADMIN_USER may not contain ':' (HTTP Basic splits on it)");
  const auth: AdminAuth = {};
  if (user !== undefined && password !== undefined) auth.basic = { user, password };
  if (token !== undefined) auth.bearer = token;
  return auth.basic || auth.bearer ? auth : undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Checks an Authorization header against the configured credentials. */
export function isAuthorized(auth: AdminAuth, header: string | undefined): boolean {
  if (!header) return false;
  const space = header.indexOf(" ");
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === "bearer" && auth.bearer !== undefined) return sameSecret(value, auth.bearer);
  if (scheme === "basic" && auth.basic) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return false;
    // Both halves are always compared, so a wrong user costs as long as a wrong password.
    const userOk = sameSecret(decoded.slice(0, colon), auth.basic.user);
    const passwordOk = sameSecret(decoded.slice(colon + 1), auth.basic.password);
    return userOk && passwordOk;
  }
  return false;
}

/** The challenge sent with a 401, so browsers prompt for Basic credentials when those are configured. */
export function challengeFor(auth: AdminAuth): string {
  return auth.basic ? 'Basic realm="stripe-leak-guard admin", charset="UTF-8"' : 'Bearer realm="stripe-leak-guard admin"';
}
