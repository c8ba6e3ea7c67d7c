/*
 * The commands a person can give on an incident issue:
 *   /stripe-leak-guard verify
 *   /stripe-leak-guard rotate
 *   /stripe-leak-guard resolve <revoked|false-positive|used-in-tests|wont-fix>
 * The first line that starts with the command word counts; quoted lines
 * ("> …", a reply quoting an earlier command) and fenced code do not.
 */

export const COMMAND_WORD = "/stripe-leak-guard";

export const RESOLUTIONS = ["revoked", "false-positive", "used-in-tests", "wont-fix"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export type IncidentCommand =
  | { name: "verify" }
  | { name: "rotate" }
  | { name: "resolve"; resolution: Resolution }
  | { name: "invalid"; problem: string };

export const USAGE = [
  "`/stripe-leak-guard verify`: check the key with Stripe again",
  "`/stripe-leak-guard rotate`: call the operator's rotation handler",
  `\`/stripe-leak-guard resolve <${RESOLUTIONS.join("|")}>\`: close this incident with that reason`,
  "`/stripe-leak-guard scan-history`: scan every commit of this repository for Stripe keys (on any issue)",
].join("\n- ");

/** The command in a comment body, or undefined when the comment holds none. */
export function parseCommand(body: string): IncidentCommand | undefined {
  const args = commandArguments(body);
  return args && interpret(args);
}

/**
 * The lower-cased words after the command word on the comment's command line
 * (its first unquoted, unfenced line that starts with the command word), or
 * undefined when there is no such line. Every command reads the same line.
 */
export function commandArguments(body: string): string[] | undefined {
  let fenced = false;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("```") || line.startsWith("~~~")) {
      fenced = !fenced;
      continue;
    }
    if (fenced || line.startsWith(">")) continue;
    const words = line.split(/\s+/);
    if (words[0]?.toLowerCase() !== COMMAND_WORD) continue;
    return words.slice(1).map((word) => word.toLowerCase());
  }
  return undefined;
}

function interpret(args: string[]): IncidentCommand {
  const [verb, argument] = args;
  switch (verb) {
    case "verify":
      return { name: "verify" };
    case "rotate":
      return { name: "rotate" };
    case "resolve": {
      if (argument && (RESOLUTIONS as readonly string[]).includes(argument)) return { name: "resolve", resolution: argument as Resolution };
      return {
        name: "invalid",
        problem: argument
          ? `\`${argument.slice(0, 40).replace(/`/g, "")}\` is not a resolution; use one of ${RESOLUTIONS.map((r) => `\`${r}\``).join(", ")}`
          : `\`resolve\` needs a reason: one of ${RESOLUTIONS.map((r) => `\`${r}\``).join(", ")}`,
      };
    }
    case undefined:
      return { name: "invalid", problem: "the command needs a verb" };
    default:
      return { name: "invalid", problem: `\`${verb.slice(0, 40).replace(/`/g, "")}\` is not a command` };
  }
}
