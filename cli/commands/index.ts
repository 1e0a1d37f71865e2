/** Registry of zkfp subcommands (one module each in this folder). */
import type { Command } from "../command.ts";

export const commands: Command[] = [];
