// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {stdJson} from "forge-std/StdJson.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {Groth16Arbitrator} from "../../src/zk/Groth16Arbitrator.sol";
import {Groth16Verifier_rv32im_m1} from "../../src/zk/generated/Groth16Verifier_rv32im_m1.sol";
import {ZkGameBase} from "./ZkGameBase.sol";

/// @notice The zk arbitrator with the RV32IM circuit (zk/circuits RvSteps(1)): real state roots of
///         vm/guests/bin/matmul_int.elf at steps 1000..1002 and Groth16 proofs of each step, from
///         contracts/test/fixtures/zk_rv32im_m1.json (zk/prover/fixtures.ts rv32im; INSECURE dev setup,
///         random phase 2; its setup record is Groth16Verifier_rv32im_m1.setup.json).
contract ZkArbitrationRv32imTest is ZkGameBase {
    using stdJson for string;

    bytes32[] internal roots;
    bytes[] internal proofs;
    Groth16Arbitrator internal arb;

    function setUp() public {
        string memory j = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/zk_rv32im_m1.json"));
        roots = j.readBytes32Array(".roots");
        proofs = j.readBytesArray(".groth16.proofs");
        for (uint256 i; i < proofs.length; ++i) {
            proofs[i] = bytes.concat(bytes32(0), proofs[i]); // key index 0: the arbitrator's one key for span 1
        }
        uint256[] memory spans = new uint256[](1);
        spans[0] = 1;
        address[] memory vs = new address[](1);
        vs[0] = address(new Groth16Verifier_rv32im_m1());
        arb = new Groth16Arbitrator(spans, vs);
    }

    function test_arbitrate_rv32imStep_honestProofAccepted() public view {
        assertTrue(arb.arbitrate(roots[0], roots[1], 1, proofs[0]));
        assertTrue(arb.arbitrate(roots[1], roots[2], 1, proofs[1]));
    }

    function test_arbitrate_rv32imStep_wrongPostRootOrOtherStep_rejected() public view {
        assertFalse(arb.arbitrate(roots[0], roots[2], 1, proofs[0]));
        assertFalse(arb.arbitrate(roots[0], bytes32(uint256(roots[1]) ^ 1), 1, proofs[0]));
        assertFalse(arb.arbitrate(roots[1], roots[2], 1, proofs[0]));
        assertFalse(arb.arbitrate(roots[0], roots[1], 1, proofs[1]));
        assertFalse(arb.arbitrate(roots[0], roots[1], 2, proofs[0]));
    }

    /// @dev issue 18: a proof forged from the delta zkfp's old phase-2 beacon fixed (zk/setup/forge.ts,
    ///      contracts/test/fixtures/zk_forged.json) for a post-root no execution reaches; accepted by the
    ///      old beacon-only setups, rejected by this random-phase-2 verifier.
    function test_arbitrate_proofForgedFromBeaconDelta_rejected() public view {
        string memory f = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/zk_forged.json"));
        assertEq(f.readBytes32(".Groth16Verifier_rv32im_m1.transcriptHash"), arb.setupTranscriptHash(1, 0));
        assertEq(f.readBytes32(".Groth16Verifier_rv32im_m1.preRoot"), roots[0]);
        assertFalse(
            arb.arbitrate(
                f.readBytes32(".Groth16Verifier_rv32im_m1.preRoot"),
                f.readBytes32(".Groth16Verifier_rv32im_m1.postRoot"),
                1,
                bytes.concat(bytes32(0), f.readBytes(".Groth16Verifier_rv32im_m1.proof"))
            )
        );
    }

    function test_setupTranscriptHash_matchesCommittedSetupRecord() public view {
        string memory r = vm.readFile(
            string.concat(vm.projectRoot(), "/contracts/src/zk/generated/Groth16Verifier_rv32im_m1.setup.json")
        );
        assertEq(arb.setupTranscriptHash(1, 0), r.readBytes32(".transcriptHash"));
        assertTrue(arb.setupInsecure(1, 0));
    }

    function test_game_rv32imLeaf_honestClaimerProvesAndIsPaid() public {
        _honestClaimerWins(IArbitrator(address(arb)), roots, proofs, 1);
    }

    function test_game_rv32imLeaf_dishonestClaimerLoses() public {
        _dishonestClaimerLoses(IArbitrator(address(arb)), roots, proofs, 1);
    }
}
