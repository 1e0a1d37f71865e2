/**
 * TS twin of contracts/src/alphabet/AlphabetClaimBinding.sol: the claim binding of the alphabet
 * machine. Start root Root_0(0) (the machine ignores its input), output = outer step count n,
 * opened by Root_0(n) == finalRoot. Roots follow protocol/trace/alphabet.ts (`AlphabetWorld`).
 */
import { AbiCoder, keccak256 } from "ethers";
import type { ClaimBinding } from "../game/model.ts";
import { rootFromField, type Hex, type Root } from "../game/types.ts";
import { AlphabetWorld } from "../trace/alphabet.ts";
import { BindingError } from "./errors.ts";

const abi = AbiCoder.defaultAbiCoder();

/** Phase sizes n_0..n_{P-1}; the binding's constructor takes n_1..n_{P-1} (`inners`). */
export function alphabetBinding(sizes: bigint[]): ClaimBinding & { inners: bigint[] } {
  const world = new AlphabetWorld(sizes);
  const inners = sizes.slice(1);
  return {
    inners,
    programHash: keccak256(abi.encode(["string", "uint256[]"], ["zkfp.alphabet", inners])) as Hex,
    maxInputBytes: 1024,
    startRoot(_input: Hex, aux: Hex): Root {
      if (aux !== "0x")
        throw new BindingError("alphabet start takes no aux", {
          reason: "BadOpeningLength",
          length: (aux.length - 2) / 2,
        });
      return world.root(0, 0n);
    },
    outputOf(finalRoot: Root, opening: Hex): Hex {
      if (opening.length !== 66)
        throw new BindingError("alphabet output opening is one word", {
          reason: "BadOpeningLength",
          length: (opening.length - 2) / 2,
        });
      const n = BigInt(opening);
      const r = world.root(0, n);
      if (r !== finalRoot)
        throw new BindingError("opening does not reach the final root", {
          reason: "OpeningMismatch",
          root: finalRoot,
          computed: r,
        });
      return rootFromField(n);
    },
  };
}
