/**
 * Every Stripe key format the engine knows, as data. Each rule carries the
 * cases that prove it: true positives it must report with the exact span and
 * false positives it must stay silent on. One test loop (test/scanner/rules.test.ts)
 * checks them all.
 *
 * Cases are templates, because no key-shaped literal may be committed. The
 * test expands them at runtime (test/scanner/template.ts):
 *   {{sk_live}}             a fresh key: prefix "sk_live_" + 99 random alphanumerics
 *   {{sk_test:30:lower}}    body of 30 characters from [a-z0-9] (gitleaks' generator)
 *   {{whsec:64:hex}}        body length and alphabet: alnum | lower | upper | hex | digits
 *   {{sk_test:body=x*24}}   a literal body; "c*N" repeats one character
 *   {{b64:…}} {{b64url:…}} {{pct:…}} {{uesc:…}} {{xesc:…}}
 *                           the nested template, base64 / percent / \u00XX / \xXX encoded
 *   {{open}} {{close}}      literal "{{" and "}}"
 * Key names are the prefixes without the trailing "_": sk_live, sk_test, rk_live,
 * rk_test, pk_live, pk_test, sk_org_live, sk_org_test, sk_org, whsec, sk_prod, rk_prod.
 * Every top-level key or encoder in a true positive must be reported, and
 * nothing else; a false positive must produce no finding at all.
 */
import type { KeyKind, Mode, Severity } from "./types.js";

/** Where a case comes from, so reviewers can check it against its origin. */
export type CaseSource =
  | "gitleaks"
  | "trufflehog"
  | "github-docs"
  | "stripe-docs"
  | "detect-secrets"
  | "gitguardian"
  | "own";

export interface RuleCase {
  text: string;
  source: CaseSource;
  why?: string;
}

export interface Rule {
  /** Stable id, used in findings, SARIF and config. */
  id: string;
  kind: KeyKind;
  mode: Mode;
  severity: Severity;
  /** The literal text before the body, e.g. "sk_live_". */
  prefix: string;
  /** Body length bounds, in alphanumeric characters after the prefix. */
  minBody: number;
  maxBody: number;
  description: string;
  /** Added to every finding of this rule. */
  note?: string;
  /** Where the format comes from. */
  references: readonly string[];
  truePositives: readonly RuleCase[];
  falsePositives: readonly RuleCase[];
}

/*
 * Body lengths: Stripe's keys started at 24 characters (2011-era keys and the
 * old documentation samples), today's are 99 for account keys and longer for
 * organization keys; Stripe says keys may keep growing. TruffleHog accepts up
 * to 247; we accept up to 512 so that growth does not silently blind us, and
 * stop there because a longer run is data, not a key. The floor of 20 is
 * TruffleHog's; gitleaks goes down to 10, which only adds placeholders.
 */
const MIN_BODY = 20;
const MAX_BODY = 512;

const STRIPE_KEYS_DOC = "https://docs.stripe.com/keys";
const GITLEAKS_RULE = "https://github.com/gitleaks/gitleaks/blob/master/cmd/generate/config/rules/stripe.go";
const TRUFFLEHOG_DETECTOR = "https://github.com/trufflesecurity/trufflehog/blob/main/pkg/detectors/stripe/stripe.go";
const GITHUB_PATTERNS = "https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns";
const DETECT_SECRETS = "https://github.com/Yelp/detect-secrets/blob/master/detect_secrets/plugins/stripe.py";

/** Contexts every account key must be found in; gitleaks' sample generator is the origin of most. */
function contextCases(key: string): RuleCase[] {
  return [
    { text: `stripeToken := "{{${key}:30:lower}}"`, source: "gitleaks", why: "gitleaks' own true positive" },
    { text: `stripe_api_token = "{{${key}}}"`, source: "gitleaks", why: "GenerateSampleSecret" },
    { text: `stripeToken={{${key}}}`, source: "gitleaks", why: "ini, unquoted" },
    { text: `{\n    "stripe_token": "{{${key}}}"\n}`, source: "gitleaks", why: "JSON string" },
    { text: `{"config.ini": "STRIPE_TOKEN={{${key}}}\\nBACKUP_ENABLED=true"}`, source: "gitleaks", why: "JSON-escaped newline right after the key" },
    { text: `<stripeToken>\n    {{${key}}}\n</stripeToken>`, source: "gitleaks", why: "XML element" },
    { text: `stripe_token: '{{${key}}}'`, source: "gitleaks", why: "YAML, single quotes" },
    { text: "stripeToken := `{{" + key + "}}`", source: "gitleaks", why: "Go backticks" },
    { text: `$stripeToken .= "{{${key}}}"`, source: "gitleaks", why: "PHP concatenation" },
    { text: `System.setProperty("STRIPE_TOKEN", "{{${key}}}")`, source: "gitleaks", why: "comma operator" },
    { text: `  "stripeToken" => "{{${key}}}"`, source: "gitleaks", why: "logstash" },
    { text: `STRIPE_TOKEN :::= "{{${key}}}"`, source: "gitleaks", why: "Makefile" },
    { text: `You can find a stripe secret {{${key}:24}} within`, source: "trufflehog", why: "trufflehog's test sentence" },
    { text: `const key = "{{${key}}}" + suffix;`, source: "own", why: "string concatenation" },
    { text: `curl "https://api.example.com/pay?key={{${key}}}&amount=100"`, source: "own", why: "query string" },
    { text: `STRIPE_KEY={{${key}}}`, source: "own", why: ".env" },
    { text: `export STRIPE_KEY='{{${key}}}'`, source: "own", why: "shell export" },
    { text: `stripe_key = "{{${key}}}" # toml`, source: "own", why: "TOML" },
    { text: `var a={k:"{{${key}}}",b:1},c=[a];`, source: "own", why: "minified JavaScript" },
    { text: "Use `{{" + key + "}}` in the dashboard.", source: "own", why: "Markdown code span" },
    { text: `2024-05-01T10:00:00Z INFO charge created key={{${key}}} status=200`, source: "own", why: "log line" },
    { text: `"{{${key}}}\\n"`, source: "own", why: "JSON-escaped string" },
    { text: `key: {{${key}:247}}`, source: "own", why: "247-character body" },
    { text: `Authorization: Basic {{b64:{{${key}}}:}}`, source: "own", why: "HTTP Basic header (base64 of key:)" },
    { text: `  STRIPE_KEY: {{b64:{{${key}}}}}`, source: "own", why: "Kubernetes Secret data" },
    { text: `blob={{b64:A={{${key}}}\n}}`, source: "own", why: "base64, key at offset 2" },
    { text: `blob={{b64:AB={{${key}}}\n}}`, source: "own", why: "base64, key at offset 3" },
    { text: `blob={{b64:ABC={{${key}}}\n}}`, source: "own", why: "base64, key at offset 4" },
    { text: `u={{pct:{{${key}}}}}`, source: "own", why: "percent-encoded underscores" },
    { text: `"k": "{{uesc:{{${key}}}}}"`, source: "own", why: "\\u005f escapes" },
  ];
}

/** Placeholders and look-alikes no account-key rule may report. */
function placeholderCases(key: string): RuleCase[] {
  return [
    { text: `STRIPE_KEY={{${key}:body=x*24}}`, source: "own", why: "xxxx placeholder" },
    { text: `STRIPE_KEY=${key}_...`, source: "own", why: "ellipsis" },
    { text: `STRIPE_KEY=${key}_<your key>`, source: "own", why: "angle-bracket placeholder" },
    { text: `STRIPE_KEY=${key}_YOUR_KEY_HERE`, source: "own", why: "documentation-style placeholder" },
    { text: `STRIPE_KEY={{${key}:body=YOURSECRETKEYGOESHERE1234}}`, source: "own", why: "words" },
    { text: `STRIPE_KEY={{${key}:body=1234567890abcdefghijklmnop}}`, source: "own", why: "sequential" },
    { text: `STRIPE_KEY={{${key}:body=aaaaaaaaaaaaaaaaaaaaaaaaaaaa}}`, source: "own", why: "repeated" },
    { text: `STRIPE_KEY={{${key}:body=abababababababababababab}}`, source: "own", why: "low entropy" },
    { text: `nonMatchingToken := "ta{{${key}:30:lower}}"`, source: "gitleaks", why: "inside a longer word (gitleaks' task_test_ case)" },
    { text: `MY_{{${key}}}`, source: "own", why: "tail of an identifier" },
    { text: `{{${key}}}_suffix`, source: "own", why: "head of an identifier" },
    { text: `${key.toUpperCase()}_ABCDEFGHIJ1234567890XYZW`, source: "own", why: "upper-case prefix is a constant name" },
    { text: `${key}_short1234`, source: "own", why: "body too short" },
  ];
}

function accountRule(
  prefixName: "sk" | "rk" | "pk",
  mode: "live" | "test",
  id: string,
  kind: KeyKind,
  severity: Severity,
  description: string,
  references: readonly string[],
  extraTrue: RuleCase[] = [],
  extraFalse: RuleCase[] = [],
): Rule {
  const key = `${prefixName}_${mode}`;
  return {
    id,
    kind,
    mode,
    severity,
    prefix: `${key}_`,
    minBody: MIN_BODY,
    maxBody: MAX_BODY,
    description,
    references,
    truePositives: [...contextCases(key), ...extraTrue],
    falsePositives: [...placeholderCases(key), ...extraFalse],
  };
}

export const RULES: readonly Rule[] = [
  accountRule("sk", "live", "stripe-secret-live", "secret", "critical", "Live-mode secret API key: full access to the account.", [
    STRIPE_KEYS_DOC,
    TRUFFLEHOG_DETECTOR,
    GITLEAKS_RULE,
    GITHUB_PATTERNS,
    DETECT_SECRETS,
  ], [
    { text: `STRIPE_SECRET_KEY={{sk_live:24}}`, source: "detect-secrets", why: "24-character body of older keys" },
    { text: `sk: {{sk_live:99}}`, source: "stripe-docs", why: "today's 99-character body" },
  ]),
  accountRule("sk", "test", "stripe-secret-test", "secret", "low", "Test-mode secret API key: no money moves, but it reads and writes test data.", [
    STRIPE_KEYS_DOC,
    GITLEAKS_RULE,
    GITHUB_PATTERNS,
  ], [{ text: `stripe_api_token = "{{sk_test:99:alnum}}"`, source: "gitleaks", why: "99-character test key" }]),
  accountRule(
    "rk",
    "live",
    "stripe-restricted-live",
    "restricted",
    "critical",
    "Live-mode restricted API key.",
    ["https://docs.stripe.com/keys/restricted-api-keys", TRUFFLEHOG_DETECTOR, GITLEAKS_RULE, GITHUB_PATTERNS, DETECT_SECRETS],
    [{ text: `{{rk_live:24}}`, source: "detect-secrets", why: "detect-secrets' restricted-key case, a bare 24-character key" }],
    [{ text: `'StripeDetector': '{{rk_live:body=TESTtestTESTtestTESTtest}}',`, source: "detect-secrets", why: "its performance-test sample is a repeated block, i.e. a placeholder" }],
  ),
  accountRule("rk", "test", "stripe-restricted-test", "restricted", "low", "Test-mode restricted API key.", [
    "https://docs.stripe.com/keys/restricted-api-keys",
    GITLEAKS_RULE,
    GITHUB_PATTERNS,
  ]),
  accountRule("pk", "live", "stripe-publishable-live", "publishable", "info", "Live-mode publishable key: meant to be public, reported for information only.", [
    STRIPE_KEYS_DOC,
  ]),
  accountRule("pk", "test", "stripe-publishable-test", "publishable", "info", "Test-mode publishable key: meant to be public, reported for information only.", [
    STRIPE_KEYS_DOC,
  ]),
  {
    id: "stripe-org-secret-live",
    kind: "org-secret",
    mode: "live",
    severity: "critical",
    prefix: "sk_org_live_",
    minBody: MIN_BODY,
    maxBody: MAX_BODY,
    description: "Live-mode organization API key: reaches every account in the Stripe organization.",
    references: ["https://docs.stripe.com/keys/organization-api-keys"],
    truePositives: [
      { text: `STRIPE_SECRET_KEY={{sk_org_live:220}}`, source: "own", why: "organization keys are long" },
      { text: `const stripe = require('stripe')('{{sk_org_live:247}}');`, source: "own" },
      { text: `"key": "{{b64:{{sk_org_live:150}}}}"`, source: "own", why: "base64" },
    ],
    falsePositives: [
      { text: `STRIPE_API_KEY=sk_org_live_xxx (organization key)`, source: "own", why: "documentation placeholder" },
      { text: `a key like sk_org_live_... is compromised`, source: "own" },
    ],
  },
  {
    id: "stripe-org-secret-test",
    kind: "org-secret",
    mode: "test",
    severity: "low",
    prefix: "sk_org_test_",
    minBody: MIN_BODY,
    maxBody: MAX_BODY,
    description: "Sandbox organization API key.",
    references: ["https://docs.stripe.com/keys/organization-api-keys"],
    truePositives: [{ text: `STRIPE_SECRET_KEY="{{sk_org_test:200}}"`, source: "own" }],
    falsePositives: [{ text: `prefix check: key.startsWith("sk_org_test_")`, source: "own" }],
  },
  {
    id: "stripe-org-secret",
    kind: "org-secret",
    mode: "unknown",
    severity: "critical",
    prefix: "sk_org_",
    minBody: MIN_BODY,
    maxBody: MAX_BODY,
    description: "Organization API key without a mode segment: Stripe documents only the sk_org prefix, so a key without one is treated as live.",
    references: ["https://docs.stripe.com/keys/organization-api-keys"],
    truePositives: [{ text: `org_key: "{{sk_org:180}}"`, source: "stripe-docs", why: "the documented prefix alone" }],
    falsePositives: [
      { text: `Organization API keys all have the same sk_org prefix.`, source: "stripe-docs" },
      { text: `LIVE_PREFIXES = ("sk_live_", "rk_live_", "sk_org_live_")`, source: "own" },
    ],
  },
  {
    id: "stripe-webhook-secret",
    kind: "webhook-secret",
    mode: "unknown",
    severity: "high",
    prefix: "whsec_",
    minBody: 24,
    maxBody: 128,
    description: "Webhook endpoint signing secret: lets anyone forge Stripe events to the endpoint.",
    references: ["https://docs.stripe.com/webhooks#verify-official-libraries", GITHUB_PATTERNS],
    truePositives: [
      { text: `STRIPE_WEBHOOK_SECRET={{whsec}}`, source: "stripe-docs", why: "Dashboard secrets: 32 characters" },
      { text: `> Ready! Your webhook signing secret is {{whsec:64:hex}} (^C to quit)`, source: "stripe-docs", why: "stripe listen prints 64 hex characters" },
      { text: `endpoint_secret = '{{whsec}}'`, source: "stripe-docs" },
      { text: `"webhookSecret":"{{whsec}}"`, source: "own" },
      { text: `  secret: {{b64:{{whsec}}}}`, source: "own", why: "base64 at offset 0" },
      { text: `x={{b64:a {{whsec}}}}`, source: "own", why: "base64 at offset 2" },
      { text: `x={{b64:ab {{whsec}}}}`, source: "own", why: "base64 at offset 3" },
      { text: `x={{b64:abc {{whsec}}}}`, source: "own", why: "base64 at offset 4" },
      { text: `s={{pct:{{whsec}}}}`, source: "own", why: "percent-encoded" },
    ],
    falsePositives: [
      { text: `STRIPE_WEBHOOK_SECRET=whsec_...`, source: "stripe-docs" },
      { text: `STRIPE_WEBHOOK_SECRET=whsec_xxx`, source: "own" },
      { text: `STRIPE_WEBHOOK_SECRET={{whsec:body=x*32}}`, source: "own" },
      { text: `my_{{whsec}}`, source: "own", why: "tail of an identifier" },
    ],
  },
  {
    id: "stripe-secret-prod",
    kind: "secret",
    mode: "live",
    severity: "critical",
    prefix: "sk_prod_",
    minBody: MIN_BODY,
    maxBody: MAX_BODY,
    description: "A secret key with a prod segment. Stripe does not document it; gitleaks treats it as a live key, so we do too.",
    note: "The sk_prod_ prefix is not documented by Stripe; treated as a live secret key.",
    references: [GITLEAKS_RULE],
    truePositives: [{ text: `stripe_api_token = "{{sk_prod:99:lower}}"`, source: "gitleaks" }],
    falsePositives: [{ text: `sk_prod_environment_name = 1`, source: "own" }],
  },
  {
    id: "stripe-restricted-prod",
    kind: "restricted",
    mode: "live",
    severity: "critical",
    prefix: "rk_prod_",
    minBody: MIN_BODY,
    maxBody: MAX_BODY,
    description: "A restricted key with a prod segment, as in gitleaks' test cases.",
    note: "The rk_prod_ prefix is not documented by Stripe; treated as a live restricted key.",
    references: [GITLEAKS_RULE],
    truePositives: [{ text: `{{rk_prod:99}}`, source: "gitleaks", why: "a bare key on its own line" }],
    falsePositives: [{ text: `rk_prod_flag`, source: "own" }],
  },
];

/** Longest prefix first, so "sk_org_live_" wins over "sk_org_". */
export const RULES_BY_PREFIX: readonly Rule[] = [...RULES].sort((a, b) => b.prefix.length - a.prefix.length);
