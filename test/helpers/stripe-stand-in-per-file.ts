/**
 * A Stripe stand-in shared by one test file: started before its tests with
 * the outside network shut (only loopback, where the stand-in listens),
 * stopped after them. Each test starts with no keys recorded and 200 as the
 * answer, so what a test asserts about the keys Stripe saw is its own.
 */
import nock from "nock";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { StripeApiOptions } from "../../src/stripe/index.js";
import { StripeStandIn } from "../stripe/stripe-stand-in.js";

/** `started` is handed the stand-in's API options once it listens. */
export function stripeStandInPerFile(started: (api: StripeApiOptions) => void): StripeStandIn {
  const stripe = new StripeStandIn();
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => /^127\.0\.0\.1(:\d+)?$/.test(host));
    started(await stripe.start());
  });
  afterAll(async () => {
    await stripe.stop();
    nock.enableNetConnect();
  });
  beforeEach(() => {
    stripe.keysSeen.length = 0;
    stripe.always(200);
  });
  return stripe;
}
