/**
 * zkfp as a library: `import { ... } from "zkfp"` (this file, which loads every area), or the
 * subpath exports of package.json that load one area only: `zkfp/vm` (vm/index.ts), `zkfp/zk`
 * (zk/prover/index.ts), `zkfp/cli` (cli/index.ts).
 *
 * The package ships TypeScript sources (its `types` are these .ts files): run a script that imports
 * it with tsx (`npx tsx script.ts`, or `node --import tsx`); a TypeScript consumer type-checks with
 * `"moduleResolution": "nodenext"` and `"allowImportingTsExtensions": true` (the sources import
 * each other with .ts extensions).
 *
 * Entry points: the machine (`Machine`, `loadElf`, `Trace`), one dispute game on anvil
 * (`playDispute`) and the game loop with pluggable actors (`playClaim`), the end-to-end demo
 * (`runDemo`), provers (`makeProver`, `verifySnarkBundle`), models (`inferMnist`, `inferStories`),
 * simulations (`loadConfig`, `runSim`), the CLI itself (`runCli`) and its helpers (`step` for
 * progress lines, `EXIT` / `exitCodeFor`). Every error is a `ZkfpError` with a literal `name`.
 */
export { ZkfpError } from "./vm/errors.ts";
export * from "./vm/index.ts";
export { Trace } from "./vm/trace.ts";
export {
  playDispute,
  parsePhases,
  parseSize,
  DEFAULT_GAME,
  DisputeConfigError,
  EndpointError,
  type DisputeConfig,
  type DisputeReport,
  type PhaseSpec,
} from "./protocol/dispute.ts";
export {
  playClaim,
  type Party,
  type ScenarioOptions,
  type ScenarioResult,
  type GameResult,
} from "./protocol/actors/play.ts";
export { startAnvil, connect, AnvilError, type Chain } from "./protocol/chain/anvil.ts";
export { runDemo, DemoConfigError, DemoRunError, type DemoOptions, type DemoReport } from "./demo/run.ts";
export {
  makeProver,
  setupCircuit,
  verifySnarkBundle,
  encodeCalldata,
  cacheRoot,
  SnarkProver,
  Risc0Prover,
  ProverError,
  circuitFor,
  counterInput,
} from "./zk/prover/index.ts";
export type { Backend, ProofBundle, Prover, ProveRequest, ProveTimings } from "./zk/prover/types.ts";
export { inferMnist, inferStories, InferError, type Engine, type InferResult } from "./ml/infer.ts";
export { loadConfig, parseConfig, SIM_KINDS, type AnyConfig, type SimKind } from "./sims/config.ts";
export { runSim, writeOutputs } from "./sims/run.ts";
export { loadConstants } from "./sims/constants.ts";
export { main as runCli } from "./cli/main.ts";
export { step, withStep, fmtSeconds, type Step, type StepOptions } from "./cli/progress.ts";
export { EXIT, exitCodeFor } from "./cli/exit.ts";
