export { parseCommand, COMMAND_WORD, RESOLUTIONS, USAGE } from "./parse.js";
export type { IncidentCommand, Resolution } from "./parse.js";
export { runIncidentCommand } from "./run.js";
export type { CommandInput, CommandResult } from "./run.js";
export { renderResolution, RESOLUTION_INFO } from "./resolution.js";
