/**
 * The on-chain checks of an ML dispute as the in-memory model's `PhaseLink` / `Arbitrator`:
 *
 *   graphVmLink(cfg)     contracts/src/link/GraphVmLink.sol through its TS twin `checkGraphVmLink`
 *                        (protocol/link/graph.ts): false where the contract returns false or reverts
 *                        (a revert fails the move just like a false).
 *   oneStepArbitrator    contracts/src/rv32im/RV32IMOneStepArbitrator.sol: span 1, the proof is
 *                        abi.encode(uint256[165]) and vm/verify.ts `verifyStep` (the TS twin of the
 *                        Solidity step verifier) must derive `post` from `pre`.
 */
import { AbiCoder } from "ethers";
import { verifyStep, WitnessError } from "../../vm/verify.ts";
import type { Arbitrator, PhaseLink } from "../game/model.ts";
import { checkGraphVmLink, type LinkConfig } from "./graph.ts";
import { LinkError } from "./errors.ts";

const abi = AbiCoder.defaultAbiCoder();

export function graphVmLink(cfg: LinkConfig): PhaseLink {
  return {
    verifyLink(outerPre, outerPost, innerStart, innerEnd, innerSteps, proof) {
      try {
        return checkGraphVmLink(cfg, outerPre, outerPost, innerStart, innerEnd, innerSteps, proof);
      } catch (e) {
        if (e instanceof LinkError) return false;
        throw e;
      }
    },
  };
}

export const oneStepArbitrator: Arbitrator = {
  arbitrate(pre, post, span, proof) {
    if (span !== 1n || (proof.length - 2) / 2 !== 165 * 32) return false;
    const w = [...(abi.decode(["uint256[165]"], proof)[0] as bigint[])];
    try {
      return verifyStep(BigInt(pre), w) === BigInt(post);
    } catch (e) {
      if (e instanceof WitnessError) return false;
      throw e;
    }
  },
};
