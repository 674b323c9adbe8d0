export type { KnownService, KnownWorkload, ObjectValidation, ValidationContext } from "./types.js";
