/*
 * Where the Stripe API lives. Production uses Stripe's default; tests and
 * operators running stripe-mock point it elsewhere through STRIPE_API_URL
 * (an operator-only setting: it decides where keys are sent).
 */

export interface StripeApiOptions {
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  timeoutMs?: number;
}

export class StripeApiUrlError extends Error {
  override name = "StripeApiUrlError";
}

export function stripeApiFromUrl(url: string | undefined): StripeApiOptions {
  if (!url) return {};
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StripeApiUrlError("STRIPE_API_URL is not a URL (expected e.g. https://api.stripe.com)");
  }
  const protocol = parsed.protocol.replace(/:$/, "");
  if (protocol !== "http" && protocol !== "https") throw new StripeApiUrlError("STRIPE_API_URL must use http or https");
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    protocol,
    ...(parsed.port ? { port: Number(parsed.port) } : {}),
  };
}
