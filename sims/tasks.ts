/**
 * Registry of sweep task functions that sims/pool.ts can run in worker threads (by name, since
 * functions cannot cross thread boundaries). Each is a pure function of its task object.
 */
import { mcAdvantage } from "./economics/felten.ts";
import { mcValidators } from "./economics/validators.ts";
import { mcDetection } from "./economics/bonds.ts";
import { mcDelay } from "./economics/delay.ts";
import { playBatch } from "./km/game.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const taskRegistry: Record<string, (task: any) => unknown> = {
  "felten.mc": mcAdvantage,
  "validators.mc": mcValidators,
  "bonds.detect": mcDetection,
  "delay.mc": mcDelay,
  "km.play": playBatch,
};
