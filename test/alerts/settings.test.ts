import { describe, expect, it } from "vitest";
import { alertConfigErrors, routeAlerts } from "../../src/alerts/routing.js";
import { alertSettingsFrom, secretVariable, useAlertSettings, warnAboutAlertSettings } from "../../src/alerts/settings.js";

const SECRET = "a-webhook-secret-of-some-length";

describe("ALERT_CHANNELS", () => {
  it("defines slack and webhook channels, each webhook with its own secret", () => {
    const settings = alertSettingsFrom({
      ALERT_CHANNELS: "security=slack:https://hooks.slack.com/services/T0/B0/tokenpart, SIEM=webhook:https://siem.example.com/hooks/slg?x=1",
      ALERT_CHANNEL_SIEM_SECRET: SECRET,
      ALERT_DEFAULT_CHANNELS: "security",
    });
    expect(settings.problems).toEqual([]);
    expect([...settings.channels.keys()]).toEqual(["security", "siem"]);
    expect(settings.channels.get("siem")).toMatchObject({ type: "webhook", origin: "https://siem.example.com", secret: SECRET });
    expect(settings.channels.get("security")).toMatchObject({ type: "slack", origin: "https://hooks.slack.com" });
    expect(settings.defaults).toEqual(["security"]);
  });

  it("names the secret variable after the channel", () => {
    expect(secretVariable("on-call")).toBe("ALERT_CHANNEL_ON_CALL_SECRET");
  });

  it("reports each bad entry clearly, keeps the good ones and never prints a URL's path", () => {
    const settings = alertSettingsFrom({
      ALERT_CHANNELS: [
        "ok=slack:https://hooks.slack.com/services/T0/B0/secretpath",
        "nonsense",
        "pager=pagerduty:https://events.example.com/x",
        "plain=webhook:http://alerts.example.com/secretpath",
        "nosecret=webhook:https://alerts.example.com/secretpath",
        "short=webhook:https://alerts.example.com/secretpath",
        "ok=webhook:https://other.example.com/secretpath",
        "Bad!Name=slack:https://hooks.slack.com/x",
      ].join(","),
      ALERT_CHANNEL_SHORT_SECRET: "too-short",
      ALERT_CHANNEL_PLAIN_SECRET: SECRET,
      ALERT_DEFAULT_CHANNELS: "ok,ghost",
    });
    expect([...settings.channels.keys()]).toEqual(["ok"]);
    expect(settings.problems).toEqual([
      "ALERT_CHANNELS entry 2 is not name=type:url (a URL holding a comma must write it as %2C)",
      'ALERT_CHANNELS entry 3 (pager): unknown type "pagerduty"; use slack or webhook',
      "ALERT_CHANNELS entry 4 (plain): the URL (http://alerts.example.com) must be https:// (alerts are never sent in clear text)",
      "ALERT_CHANNELS entry 5 (nosecret): ALERT_CHANNEL_NOSECRET_SECRET is not set; webhook alerts are never sent unsigned",
      "ALERT_CHANNELS entry 6 (short): ALERT_CHANNEL_SHORT_SECRET must be at least 16 characters",
      "ALERT_CHANNELS entry 7 (ok): the name is defined twice; the first definition is used",
      "ALERT_CHANNELS entry 8 (bad!name): a name is 1-32 characters of a-z 0-9 _ -, starting with a letter or digit",
      'ALERT_DEFAULT_CHANNELS names "ghost", which ALERT_CHANNELS does not define',
    ]);
    expect(settings.problems.join("\n")).not.toContain("secretpath");
    expect(settings.defaults).toEqual(["ok"]);
  });

  it("warns about each problem at start-up", () => {
    useAlertSettings(alertSettingsFrom({ ALERT_CHANNELS: "siem=webhook:https://siem.example.com/x" }));
    const warnings: string[] = [];
    warnAboutAlertSettings({ warn: (message) => warnings.push(message) });
    useAlertSettings(undefined);
    expect(warnings).toEqual(["alert settings: ALERT_CHANNELS entry 1 (siem): ALERT_CHANNEL_SIEM_SECRET is not set; webhook alerts are never sent unsigned"]);
  });

  it("has no channels, and no problems, when nothing is set", () => {
    const settings = alertSettingsFrom({});
    expect(settings.channels.size).toBe(0);
    expect(settings.problems).toEqual([]);
  });

  it("names ALERT_ALLOWED_HOSTS when refusing a private address", () => {
    const settings = alertSettingsFrom({ ALERT_ALLOWED_HOSTS: "10.1.2.3" });
    expect(settings.policy.refusal("127.0.0.1", "127.0.0.1")).toMatch(/loopback.*ALERT_ALLOWED_HOSTS/);
    expect(settings.policy.refusal("10.1.2.3", "10.1.2.3")).toBeUndefined();
  });
});

describe("routing a repository's alerts", () => {
  const settings = alertSettingsFrom({
    ALERT_CHANNELS: "security=slack:https://hooks.slack.com/services/a,siem=webhook:https://siem.example.com/h",
    ALERT_CHANNEL_SIEM_SECRET: SECRET,
    ALERT_DEFAULT_CHANNELS: "security",
  });

  it("uses the repo config's names, case-insensitively, once each", () => {
    const route = routeAlerts(["SIEM", "security", "siem"], settings);
    expect(route.channels.map((channel) => channel.name)).toEqual(["siem", "security"]);
    expect(route.unknown).toEqual([]);
  });

  it("falls back to ALERT_DEFAULT_CHANNELS when the repo config names none", () => {
    expect(routeAlerts([], settings).channels.map((channel) => channel.name)).toEqual(["security"]);
  });

  it("reports unknown names as config errors instead of failing", () => {
    const route = routeAlerts(["siem", "pagerduty"], settings);
    expect(route.channels.map((channel) => channel.name)).toEqual(["siem"]);
    expect(route.unknown).toEqual(["pagerduty"]);
    expect(alertConfigErrors(["siem", "pagerduty"], settings)).toEqual([
      'alerts.channels: "pagerduty" is not an alert channel (the operator defined: security, siem); alerts skip it',
    ]);
  });
});
