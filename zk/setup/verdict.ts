/**
 * The security verdict of a finished Groth16 setup, from its files: the ptau (known public ceremony
 * by blake2b-512 + `powersoftau verify`, ptau.ts `identifyPtau`), and the zkey's phase 2 (its
 * contribution record: at least one secret contribution; `zkey verify` against the r1cs and the
 * ptau). The rules are security.ts `assessSetup`; this module only gathers their inputs from files.
 * `zkfp setup export` (cli/commands/setup.ts) decides with it; `setupCircuit` (zk/prover/snark.ts)
 * gathers the same inputs while it makes the setup.
 *
 * `zkey verify` costs about as much as the setup: it is run only when the ptau is secure (else the
 * verdict is INSECURE anyway and phase 2 is reported "not verified"), unless the caller already
 * ran it (`zkeyVerified`).
 */
import { phase2Verify, readPhase2 } from "./ceremony.ts";
import { identifyPtau } from "./ptau.ts";
import { assessSetup, type KnownCeremony, type SetupSecurity } from "./security.ts";

export async function groth16SetupVerdict(opts: {
  zkey: string;
  r1cs: string;
  ptau: string;
  cacheDir: string;
  log?: (m: string) => void;
  /** result of a `zkey verify` the caller already ran on these three files */
  zkeyVerified?: boolean;
  /** tests only (security.ts knownCeremony): the known-ceremony list the ptau is looked up in */
  knownCeremonies?: readonly KnownCeremony[];
}): Promise<SetupSecurity> {
  const id = await identifyPtau(opts.ptau, opts);
  const rec = await readPhase2(opts.zkey);
  const verified =
    opts.zkeyVerified ?? (id.ceremony && id.verified ? await phase2Verify(opts.zkey, opts.r1cs, opts.ptau) : null);
  return assessSetup(
    "groth16",
    { sha256: id.sha256, blake2b: id.blake2b, ceremony: id.ceremony, verified: id.verified },
    {
      secretContributions: rec.contributions.filter((c) => c.type === "contribution").length,
      beacons: rec.contributions.filter((c) => c.type === "beacon").length,
      verified,
    },
  );
}
