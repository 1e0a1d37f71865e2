/**
 * `zkfp demo`: the end-to-end dispute over a real model on a real chain (demo/run.ts): a claimer
 * posts a model's prediction with a bond, a challenger disputes it through the multi-phase k-ary
 * DisputeGame (graph nodes, then the VM steps of the disputed node, linked on chain by GraphVmLink),
 * a zk proof of m RV32IM steps (or the one-step verifier for m = 1) settles the last leaf, and the
 * contract pays the winner. Anvil is started and stopped by the command unless --rpc-url is given.
 * Without `--m`, the zk leaf (m = 2) is used when its setup is cached or fits a 2-minute first-run
 * budget; otherwise the one-step verifier settles the leaf and the output says so, with the zk
 * leaf's estimated cost (`chooseLeaf`, zk/prover/leaf.ts). `--m 2` builds it (cached afterwards).
 *
 * Output: a readable account (phases, rounds, every move's gas and the clocks, the proof, the
 * payout) or, with --json, exactly one JSON object (the DemoReport). Progress goes to stderr.
 * Exit status 0 iff the honest party won.
 */
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { runDemo, fmtEth, type DemoReport } from "../../demo/run.ts";
import { chooseLeaf, parseKeySet } from "../../zk/prover/leaf.ts";

/** A first `zkfp demo` (nothing cached) must finish in about 2 minutes (issue 13). */
const FIRST_RUN_BUDGET_SECONDS = 120;

export const demo: Command = {
  name: "demo",
  summary:
    "end-to-end dispute over a real model (MNIST or stories260K) on anvil: multi-phase game, zk arbitration, payout",
  usage:
    "zkfp demo [--model mnist|stories260K|stories15M|stories110M|TinyLlama-1.1B] [--liar claimer|challenger] [--k K] [--m M] [--phases 1|2] [--backend groth16|plonk|fflonk] [--image I] [--prompt 1,2] [--positions P] [--lie-at T] [--rpc-url URL] [--yes] [--json]",
  options: {
    model: {
      type: "string",
      desc: "mnist (default) | stories260K | stories15M | stories110M | TinyLlama-1.1B (LLaMA shapes: synthetic weights, or the checkpoint at env ZKFP_CHECKPOINT)",
      default: "mnist",
    },
    liar: {
      type: "string",
      desc: "who lies: claimer (default, posts a wrong prediction) | challenger (disputes an honest claim)",
      default: "claimer",
    },
    k: { type: "number", desc: "checkpoints per round, both phases", default: 3 },
    m: {
      type: "number",
      desc: "VM steps per last leaf: 1 = on-chain one-step verifier, > 1 = one zk proof of m steps",
      default: 2,
    },
    phases: {
      type: "number",
      desc: "2 = graph nodes then the node's VM steps (default); 1 = VM steps of the whole model program",
      default: 2,
    },
    backend: { type: "string", desc: "groth16 (default) | plonk | fflonk (for m > 1)", default: "groth16" },
    image: { type: "number", desc: "MNIST test image index (default 8000, the first held-out image)", default: 8000 },
    prompt: { type: "string", desc: "stories260K prompt token ids, comma separated (default 1 = BOS)", default: "1" },
    positions: { type: "number", desc: "stories260K positions to run (>= prompt length; default = prompt length)" },
    "lie-at": { type: "number", desc: "op position the liar tampers (default: the last op, the prediction)" },
    "rpc-url": {
      type: "string",
      desc: "use this JSON-RPC endpoint (anvil-compatible: unlocked accounts, evm_setNextBlockTimestamp) instead of starting anvil",
    },
    "insecure-dev": { type: "boolean", desc: "with --rpc-url: deploy an INSECURE (dev) zk setup anyway" },
    keys: {
      type: "string",
      desc: "m > 1: the zk arbitrator's key set: default (table variants + full) | full | a list, e.g. mem,full",
    },
    yes: { type: "boolean", desc: "with --m: build a zk setup estimated above 30 min or 8 GB instead of refusing it" },
  },
  async run({ opts, given }, ctx) {
    const prompt = String(opts.prompt)
      .split(",")
      .map((x) => Number(x.trim()));
    if (prompt.some((x) => !Number.isInteger(x) || x < 0))
      throw new UsageError("--prompt must be comma-separated token ids", { option: "prompt", value: opts.prompt });
    // the last leaf (zk/prover/leaf.ts): the default m's zk leaf if its setup is cached or builds
    // within the first-run budget, else the one-step verifier; an explicit --m is kept (refused
    // above the size limits unless --yes), its estimate printed first
    const keys =
      opts.keys !== undefined && typeof opts.m === "number" && opts.m > 1
        ? parseKeySet(String(opts.keys), opts.m)
        : undefined;
    const leaf =
      typeof opts.m === "number" &&
      Number.isInteger(opts.m) &&
      opts.m >= 1 &&
      opts.m <= 64 &&
      (opts.backend === "groth16" || opts.backend === "plonk" || opts.backend === "fflonk")
        ? await chooseLeaf({
            m: opts.m,
            budgetSeconds: FIRST_RUN_BUDGET_SECONDS,
            backend: opts.backend,
            explicit: given.has("m"),
            confirmLarge: opts.yes === true,
            keys,
          })
        : null; // out-of-range values: runDemo's DemoConfigError names them
    if (leaf) ctx.progress(leaf.reason);
    const r = await runDemo({
      model: opts.model as "mnist",
      liar: opts.liar as "claimer",
      k: opts.k as number,
      m: leaf?.m ?? (opts.m as number),
      phases: opts.phases as 2,
      backend: opts.backend as "groth16",
      image: opts.image as number,
      prompt,
      positions: opts.positions as number | undefined,
      lieAt: opts["lie-at"] as number | undefined,
      rpcUrl: opts["rpc-url"] as string | undefined,
      progress: ctx.progress,
      insecureDev: opts["insecure-dev"] === true,
      keys: leaf?.keys ?? (opts.keys !== undefined ? [String(opts.keys)] : undefined),
    });
    const json = {
      ...r,
      leafChoice: leaf ? { kind: leaf.kind, m: leaf.m, reason: leaf.reason } : null,
    } as unknown as Record<string, unknown>;
    return {
      exitCode: r.honestWon ? 0 : 1,
      json,
      text: account(r) + (leaf && leaf.m !== opts.m ? `\nleaf      ${leaf.reason}` : ""),
    };
  },
};

const short = (x: string) => (x.length > 14 ? x.slice(0, 10) + "…" : x);
const gasFmt = (g: string) => BigInt(g).toLocaleString("en-US");

/** The readable account of one demo run. */
export function account(r: DemoReport): string {
  const what = r.model === "mnist" ? "class" : "token";
  const L: string[] = [];
  L.push(`zkfp demo — ${r.describe}`);
  L.push(
    `truth     ${what} ${r.truth}${r.label !== null ? ` (label ${r.label})` : ""}; the claimer posts ${what} ${r.claimed}; liar: ${r.liar}`,
  );
  L.push(
    `game      k = ${r.params.k}, m = ${r.params.m}, ${r.params.phases} phase(s), arbitrator ${r.params.backend}; clocks ${r.moves.length ? "in seconds left" : ""}`,
  );
  L.push("");
  r.phases.forEach((p, i) =>
    L.push(
      `phase ${i + 1}   ${p.name}: N = ${p.steps}, k = ${p.k}, m = ${p.m} -> ${p.rounds} round(s) (ceil(log_${p.k + 1}(N/m)) = ${p.expectedRounds})`,
    ),
  );
  if (r.disputedNode)
    L.push(`          disputed node ${r.disputedNode.node} (op #${r.disputedNode.t}, code ${r.disputedNode.op})`);
  L.push("");
  L.push("  #  ph lvl  by          move                     gas   clock C/Ch  interval           note");
  for (const m of r.moves) {
    L.push(
      `${String(m.n).padStart(3)}  ${m.phase + 1}  ${String(m.level).padStart(3)}  ${m.by.padEnd(10)}  ${m.op.padEnd(21)} ${gasFmt(m.gas).padStart(10)}  ${`${m.clocks.claimer}/${m.clocks.challenger}`.padStart(10)}  ${`[${m.interval[0]}, ${m.interval[1]}]`.padEnd(17)}  ${m.note}`,
    );
  }
  L.push("");
  if (r.proof) {
    L.push(
      `proof     ${r.proof.kind} for steps ${r.proof.steps[0]} -> ${r.proof.steps[1]}: ${r.proof.bytes} bytes, ${r.proof.seconds.toFixed(2)} s, ${r.proof.valid ? "valid" : r.proof.note}`,
    );
    if (r.proof.key)
      L.push(`          under key ${r.proof.key.index} (${r.proof.key.circuit}) of the arbitrator's set`);
    L.push(`          pre-root ${r.proof.preRoot}`);
    L.push(`          post-root ${r.proof.postRoot}${r.proof.valid ? "" : " (the liar's claim)"}`);
  }
  L.push(`winner    ${r.winner} (${r.honestWon ? "the honest party" : "THE LIAR"}); claim ${r.payout.claimStatus}`);
  const p = r.payout;
  L.push(
    `payout    stake ${fmtEth(BigInt(p.claimerStake))} ETH, challenge bond ${fmtEth(BigInt(p.challengeBond))} ETH, burn ${p.burnBps / 100}% (burned ${fmtEth(BigInt(p.burned))} ETH)`,
  );
  L.push(
    `          withdrawn: ${
      Object.entries(p.withdrawn)
        .map(([k, v]) => `${k} ${fmtEth(BigInt(v))} ETH`)
        .join(", ") || "nothing"
    }`,
  );
  L.push(
    `          balance change (incl. gas): claimer ${fmtEth(BigInt(p.balanceDelta.claimer!))} ETH, challenger ${fmtEth(BigInt(p.balanceDelta.challenger!))} ETH`,
  );
  L.push(
    `gas       claim ${gasFmt(r.gas.claim)}, challenge ${gasFmt(r.gas.challenge)}, claimer moves ${gasFmt(r.gas.claimer)}, challenger moves ${gasFmt(r.gas.challenger)}, referee ${gasFmt(r.gas.referee)}, deployment ${gasFmt(r.gas.deploy)}`,
  );
  const t = r.timings;
  L.push(
    `time      ${t.total.toFixed(1)} s total: model ${t.model.toFixed(1)} s, setup ${t.setupCached === null ? "n/a" : t.setupCached ? "cached" : `${t.setup.toFixed(1)} s`}, deploy ${t.deploy.toFixed(1)} s, game ${t.game.toFixed(1)} s, proving ${t.prove.toFixed(1)} s`,
  );
  L.push(
    `chain     ${r.rpcUrl}; game ${short(r.contracts.game)}, arbitrator ${short(r.contracts.arbitrator)}${r.contracts.link ? `, link ${short(r.contracts.link)}` : ""}`,
  );
  r.keys.forEach((k, i) =>
    L.push(
      `${i === 0 ? "keys" : "    "}      ${i}: ${k.circuit}${k.insecure ? " INSECURE (dev setup)" : ""}, transcript ${short(k.transcriptHash)}`,
    ),
  );
  if (r.insecureSetup)
    L.push("WARNING   a zk setup of the key set is the INSECURE dev setup (known toxic value): development only");
  return L.join("\n");
}
