/** The only module that talks to Stripe. */
export { checkKey, verifyKey, isVerifiableKind, DEFAULT_VERIFY_TIMEOUT_MS } from "./verify.js";
export type { VerificationResult } from "./verify.js";
export { stripeApiFromUrl, StripeApiUrlError } from "./api-options.js";
export type { StripeApiOptions } from "./api-options.js";
export { severityForVerdict, verdictLabel, VERDICT_LABELS } from "./verdict.js";
export { verifySightings, verdictsOf } from "./verify-sightings.js";
