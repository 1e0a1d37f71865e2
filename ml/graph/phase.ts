/**
 * The graph/VM phase link moved to protocol/link/graph.ts (the one TS twin of
 * contracts/src/link/GraphVmLink.sol); re-exported here for the ML tests and benches.
 */
export {
  PhaseLinkError, OUT_ADDR, nodeProgramInput, phaseLink, checkGraphSide, runLinkOnVm, linkToJson,
  type LeafProof, type PhaseLink, type VmLinkResult,
} from "../../protocol/link/graph.ts";
