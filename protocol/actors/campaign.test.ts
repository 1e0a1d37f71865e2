/**
 * Randomized ML dispute campaigns on the in-memory model (DisputeModel + the TS twins of GraphVmLink
 * and the RV32IM one-step arbitrator): the honest side wins every dispute against the zoo's liars.
 * Default suite: a seeded sample on MNIST and stories260K (seconds). ZKFP_HEAVY=1: >= 1,000 disputes
 * over both models (the measured figures are printed and recorded in protocol/README.md).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DisputeModel } from "../game/model.ts";
import { ModelBackend } from "../game/backend.ts";
import { loadModelRun, type ModelRun } from "../trace/model.ts";
import { oneStepLeaf } from "../trace/leaf.ts";
import { graphVmLink, oneStepArbitrator } from "../link/twins.ts";
import { preIssue11GraphVmLink } from "./mutants.ts";
import { nodeProgramConstants } from "../link/graph.ts";
import { graphBinding, graphClaimConfig } from "../link/graph-claim.ts";
import { GraphTree } from "../../ml/graph/commit.ts";
import { DEMO_GAME } from "../../demo/run.ts";
import { runMlCampaign, checkOutcome, type CampaignBackend, type CampaignStats } from "./campaign.ts";
import { claimLiar, mlLiarTrace, neighbourPairs } from "./liars.ts";
import { playClaim, type Party } from "./play.ts";
import { GraphTrace } from "../trace/graph.ts";
import { honestBelief, lyingBelief } from "../trace/model.ts";
import { claimOutput, graphCheck, nodeVmPhase } from "../trace/graph.ts";
import { ClaimStatus } from "../game/model.ts";

const HEAVY = !!process.env.ZKFP_HEAVY;
const ACCOUNTS = [
  "0x00000000000000000000000000000000000000c1",
  "0x00000000000000000000000000000000000000c2",
  "0x00000000000000000000000000000000000000c3",
  "0x00000000000000000000000000000000000000c4",
];

/** The in-memory model of an ML game: DisputeModel + the TS twins of GraphVmLink, the one-step arbitrator and GraphClaimBinding. */
async function modelBackend(mr: ModelRun, reduceModP = false): Promise<CampaignBackend> {
  const np = await nodeProgramConstants();
  const cfg = {
    opsRoot: mr.opsTree.root,
    opCount: mr.ops.length,
    graphDepth: GraphTree.depthFor(mr.graph.nodes.length),
    m: 1n,
    ...np,
  };
  const link = reduceModP ? preIssue11GraphVmLink({ ...cfg, reduceModP }) : graphVmLink(cfg);
  const binding = graphBinding(graphClaimConfig(mr.graph, mr.run.leaves!, mr.outputNode, mr.opsTree.root, np));
  return async (k) => ({
    backend: new ModelBackend(
      new DisputeModel(
        DEMO_GAME,
        [
          { k, m: 1n, link },
          { k, m: 1n, arbitrator: oneStepArbitrator },
        ],
        binding,
      ),
    ),
    programHash: binding.programHash,
    binding,
  });
}

function report(name: string, s: CampaignStats): void {
  const rows = Object.entries(s.byLiar)
    .map(([k, v]) => `${k} ${v.honestWon}/${v.n}`)
    .join(", ");
  console.log(
    `[campaign] ${name}: honest side won ${s.honestWins}/${s.disputes} in ${s.seconds.toFixed(1)} s; ${rows}`,
  );
  for (const f of s.failures.slice(0, 5))
    console.log(
      `[campaign] FAILED #${f.i} ${f.model} ${f.liarSide} ${f.liar} k=${f.k} socks=${f.socks} ${f.timing}: ${f.problems.join("; ")}`,
    );
}

describe("randomized ML disputes, in-memory model", () => {
  let mnist: ModelRun[], stories: ModelRun, stories2: ModelRun;
  beforeAll(async () => {
    mnist = await Promise.all([8000, 8001, 8002].map((image) => loadModelRun("mnist", { image })));
    stories = await loadModelRun("stories260K", { prompt: [1] });
    stories2 = await loadModelRun("stories260K", { prompt: [2] });
  });

  it(
    "MNIST: a seeded sample of mixed liars all lose",
    async () => {
      const s = await runMlCampaign({
        seed: 12,
        disputes: HEAVY ? 600 : 8,
        runs: mnist,
        leaf: oneStepLeaf,
        backend: await modelBackend(mnist[0]!),
        accounts: ACCOUNTS,
        start: 1_000_000,
      });
      report("mnist", s);
      expect(s.failures.map((f) => `${f.liar}: ${f.problems.join("; ")}`)).toEqual([]);
      expect(s.honestWins).toBe(s.disputes);
    },
    HEAVY ? 3_600_000 : 120_000,
  );

  it(
    "stories260K (parallel branches: neighbour openings exist): a seeded sample of mixed liars all lose",
    async () => {
      const s = await runMlCampaign({
        seed: 34,
        disputes: HEAVY ? 400 : 4,
        runs: [stories, stories2],
        leaf: oneStepLeaf,
        backend: await modelBackend(stories),
        accounts: ACCOUNTS,
        start: 1_000_000,
      });
      report("stories260K", s);
      expect(s.failures.map((f) => `${f.liar}: ${f.problems.join("; ")}`)).toEqual([]);
      expect(s.honestWins).toBe(s.disputes);
    },
    HEAVY ? 3_600_000 : 180_000,
  );

  it("step-count liars lose on MNIST: a claim one op short (disputeOutput), twice too long (its game), a VM sub-game twice the node run (its game)", async () => {
    const mr = mnist[0]!;
    const { backend, programHash, binding } = await (await modelBackend(mr))(3, mr);
    const honestTrace = new GraphTrace(mr, honestBelief(mr), oneStepLeaf);
    const honest: Party = {
      address: ACCOUNTS[1]!,
      actor: {
        name: "honest",
        trace: honestTrace,
        timing: { kind: "prompt", delay: 1 },
        choice: "first-disagreement",
        challengeAlways: false,
        check: graphCheck(honestTrace, binding, mr.input, mr.outputNode),
      },
    };
    const input = ("0x" + Buffer.from(mr.input).toString("hex")) as `0x${string}`;
    const last = mr.ops.length - 1;
    const cases = [
      { name: "shortClaim", ...claimLiar(mr, oneStepLeaf, { kind: "shortClaim" }), move: "disputeOutput" },
      { name: "longClaim", ...claimLiar(mr, oneStepLeaf, { kind: "longClaim" }), move: "challenge" },
      {
        name: "longVm",
        trace: mlLiarTrace(mr, oneStepLeaf, { kind: "longVm", at: last }),
        output: claimOutput(mr, lyingBelief(mr, last)),
        move: "openSubgame",
      },
    ];
    let start = 2_000_000;
    for (const c of cases) {
      const claimer: Party = {
        address: ACCOUNTS[0]!,
        actor: {
          name: c.name,
          trace: c.trace,
          timing: { kind: "prompt", delay: 1 },
          choice: "first-disagreement",
          challengeAlways: true,
        },
      };
      const r = await playClaim(backend, claimer, [honest], { start, programHash, input, output: c.output });
      start = r.end + 10;
      expect(
        r.log.some((x) => x.op === c.move),
        c.name,
      ).toBe(true);
      expect(checkOutcome(backend, r, "claimer", claimer, [honest]), c.name).toEqual([]);
      if (c.name === "longVm") {
        // the sub-game the link accepted is twice the node run: the honest side answered past the halt
        const o = r.log.find((x) => x.op === "openSubgame");
        const { vm } = await nodeVmPhase(mr, honestBelief(mr), mr.ops[last]!, oneStepLeaf);
        expect(o?.op === "openSubgame" && o.opening.innerSteps).toBe(2n * vm.steps);
        expect(r.moves.some((mv) => mv.phase === 1 && mv.hi > vm.steps)).toBe(true); // checkpoints past the halt
      }
    }
  }, 120_000);

  it("the zoo detects issue 11's aliasing attack: against a link that hashes x + p like x, the neighbour liar wins; against the canonical link it loses", async () => {
    const t = neighbourPairs(stories)[0]!;
    expect(neighbourPairs(stories).length).toBeGreaterThan(10);
    expect(neighbourPairs(mnist[0]!)).toEqual([]);
    for (const reduceModP of [true, false]) {
      const { backend, programHash } = await (await modelBackend(stories, reduceModP))(3, stories);
      const claimer: Party = {
        address: ACCOUNTS[0]!,
        actor: {
          name: "neighbour",
          trace: mlLiarTrace(stories, oneStepLeaf, { kind: "neighbour", at: t }),
          timing: { kind: "prompt", delay: 1 },
          choice: "first-disagreement",
          challengeAlways: true,
        },
      };
      const honest: Party = {
        address: ACCOUNTS[1]!,
        actor: {
          name: "honest",
          trace: new GraphTrace(stories, honestBelief(stories), oneStepLeaf),
          timing: { kind: "prompt", delay: 1 },
          choice: "first-disagreement",
          challengeAlways: false,
        },
      };
      const r = await playClaim(backend, claimer, [honest], {
        start: 1_000_000,
        programHash,
        input: ("0x" + Buffer.from(stories.input).toString("hex")) as `0x${string}`,
        output: claimOutput(stories, honestBelief(stories)),
      });
      const at = r.moves.findIndex((mv) => mv.op.startsWith("openSubgame"));
      const opening = r.moves[at]!,
        before = r.moves[at - 1]!; // intervals are recorded after each move
      expect([before.phase, before.lo, before.hi]).toEqual([0, BigInt(t), BigInt(t + 1)]);
      if (reduceModP) {
        expect(opening.rejected).toBeNull();
        expect(r.claimStatus).toBe(ClaimStatus.Accepted);
        expect(checkOutcome(backend, r, "claimer", claimer, [honest]).length).toBeGreaterThan(0);
      } else {
        expect(opening.rejected).toBe("LinkRejected");
        expect(r.claimStatus).toBe(ClaimStatus.Rejected);
        expect(checkOutcome(backend, r, "claimer", claimer, [honest])).toEqual([]);
      }
    }
  }, 120_000);
});
