export { applyPolicy, compilePolicy, normalizeRepoPath, alwaysVisible } from "./apply-policy.js";
export type { Policy, PolicyFinding, PolicyResult } from "./apply-policy.js";
