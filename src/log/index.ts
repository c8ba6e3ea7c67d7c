export { createLogger, loggerOptions, logLevelFrom, LOG_LEVELS, LogLevelError } from "./logger.js";
export type { CreateLoggerOptions, LogLevel, Logger } from "./logger.js";
export { redactDeep } from "./redact-deep.js";
export { scrubString, holdsKeyShape } from "./scrub.js";
export { logForWork, workBindings, identityOfEvent } from "./bindings.js";
export type { WorkIdentity } from "./bindings.js";
