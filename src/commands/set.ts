// (family under construction)
import type { CommandSpec } from './spec.js';

export const setCommands: readonly CommandSpec[] = [];
