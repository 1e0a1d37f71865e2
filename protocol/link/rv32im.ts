/**
 * TS twin of contracts/src/link/RV32IMClaimBinding.sol: the claim binding of a guest ELF.
 *
 *   program      core0 = P4(entry pc, 0, 0, regsRoot0), mem0 = memRoot, code0 = codeRoot of the
 *                loaded image (vm/STATE.md initial state, input-independent fields)
 *   programHash  keccak256(abi.encode("zkfp.rv32im", core0, mem0, code0))
 *   startRoot    P4(core0, mem0, code0, P2(P4(inputRoot, len, 0, 0), P2(0, 0))), aux = "0x"; NO_START
 *                for an input longer than RV32IM_MAX_INPUT = 2 KiB (= maxInputBytes)
 *   outputOf     opening = the 12 final state fields (32-byte words, vm/state.ts FIELD_ORDER); they
 *                must hash to the final root; output = outHash if status = exited(0), else NO_OUTPUT
 */
import { readFileSync } from "node:fs";
import { AbiCoder, keccak256 } from "ethers";
import { loadElf, Machine } from "../../vm/index.ts";
import { FIELD_MODULUS, poseidon2, poseidon4 } from "../../vm/poseidon/index.ts";
import { FIELD_ORDER, type StateFields } from "../../vm/state.ts";
import { denseRoot, bytesToWordLeaves } from "../../ml/graph/commit.ts";
import { NO_OUTPUT, NO_START, type ClaimBinding } from "../game/model.ts";
import { rootFromField, type Hex, type Root } from "../game/types.ts";
import { BindingError } from "./errors.ts";

const abi = AbiCoder.defaultAbiCoder();
const EXITED_0 = 1;

export type Rv32imProgram = { core0: bigint; mem0: bigint; code0: bigint };

/** The input-independent initial fields of an ELF (runs nothing). Needs initPoseidon(). */
export async function rv32imProgram(elfPath: string): Promise<Rv32imProgram> {
  const m = await Machine.create(loadElf(new Uint8Array(readFileSync(elfPath))), {});
  const f = m.fields();
  return { core0: poseidon4(BigInt(f.pc), 0n, 0n, f.regsRoot), mem0: f.memRoot, code0: f.codeRoot };
}

function fe(x: bigint): bigint {
  if (x < 0n || x >= FIELD_MODULUS)
    throw new BindingError("hashed value is not a field element", { reason: "NotAFieldElement", value: x.toString() });
  return x;
}

/** The opening `outputOf` takes: the 12 state fields as 32-byte words. */
export function stateOpening(f: StateFields): Hex {
  return abi.encode(["uint256[12]"], [FIELD_ORDER.map((k) => BigInt(f[k] as number | bigint))]) as Hex;
}

/** RV32IMClaimBinding.MAX_INPUT: the longest input a claim may carry (2 KiB; SECURITY.md). */
export const RV32IM_MAX_INPUT = 2048;

export function rv32imBinding(p: Rv32imProgram): ClaimBinding & { program: Rv32imProgram } {
  const pre0 = poseidon2(0n, 0n);
  return {
    program: p,
    programHash: keccak256(
      abi.encode(["string", "uint256", "uint256", "uint256"], ["zkfp.rv32im", p.core0, p.mem0, p.code0]),
    ) as Hex,
    maxInputBytes: RV32IM_MAX_INPUT,
    startRoot(input: Hex, aux: Hex): Root {
      if (aux !== "0x")
        throw new BindingError("rv32im start takes no aux", {
          reason: "BadOpeningLength",
          length: (aux.length - 2) / 2,
        });
      const bytes = Buffer.from(input.slice(2), "hex");
      if (bytes.length > RV32IM_MAX_INPUT) return NO_START; // longer than the program takes: the claim is false
      const inputRoot = denseRoot(bytesToWordLeaves(bytes), 10);
      const io = poseidon4(inputRoot, BigInt(bytes.length), 0n, 0n);
      return rootFromField(poseidon4(fe(p.core0), fe(p.mem0), fe(p.code0), poseidon2(io, pre0)));
    },
    outputOf(finalRoot: Root, opening: Hex): Hex {
      if (opening.length !== 2 + 2 * 384)
        throw new BindingError("rv32im output opening is 12 words", {
          reason: "BadOpeningLength",
          length: (opening.length - 2) / 2,
        });
      const a = (abi.decode(["uint256[12]"], opening)[0] as bigint[]).map((x) => fe(BigInt(x)));
      const [pc, step, status, regs, mem, code, inRoot, inLen, inPos, outHash, key, off] = a as [
        bigint,
        bigint,
        bigint,
        bigint,
        bigint,
        bigint,
        bigint,
        bigint,
        bigint,
        bigint,
        bigint,
        bigint,
      ];
      const r = poseidon4(
        poseidon4(pc, step, status, regs),
        mem,
        code,
        poseidon2(poseidon4(inRoot, inLen, inPos, outHash), poseidon2(key, off)),
      );
      if (rootFromField(r) !== finalRoot)
        throw new BindingError("opening does not reach the final root", {
          reason: "OpeningMismatch",
          root: finalRoot,
          computed: rootFromField(r),
        });
      return a[2] === BigInt(EXITED_0) ? rootFromField(a[9]!) : NO_OUTPUT;
    },
  };
}
