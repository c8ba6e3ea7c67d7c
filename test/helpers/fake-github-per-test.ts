/**
 * The per-test world of the App's nock tests: the network shut, a fresh
 * FakeGitHub before each test, and every interceptor dropped after it so no
 * route served for one test can answer the next.
 */
import nock from "nock";
import { afterEach, beforeEach } from "vitest";
import { FakeGitHub } from "../fixtures/github/fake-github.js";

/** Call inside a `describe`; `receive` is handed the fresh FakeGitHub (serving `api`) before each test. */
export function freshFakeGitHubPerTest(receive: (fake: FakeGitHub) => void, api?: string): void {
  beforeEach(() => {
    nock.disableNetConnect();
    receive(new FakeGitHub(api));
  });

  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
}
