export type { KnownVersion, WizardBuild, WizardContext } from "./types.js";
