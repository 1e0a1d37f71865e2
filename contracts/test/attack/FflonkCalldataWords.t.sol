// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {FflonkArbitrator} from "../../src/zk/FflonkArbitrator.sol";
import {FflonkVerifier_counter_m2} from "../../src/zk/generated/FflonkVerifier_counter_m2.sol";

/// @notice Red team (attack7), the on-chain half of cli/attack/verify-noncanonical.test.ts: the
///         calldata words that snarkjs' JS FFLONK verifier lets through (it reduces the JSON's values and
///         never reads the batch inverse `inv`) are refused by the arbitrator over the committed
///         FflonkVerifier_counter_m2, so before attack7 `zkfp verify --vkey` called VALID a proof file the
///         chain rejects. The same words here and there: inv + 1, inv + R, inv = 0, C1.x + P, ql + R.
contract FflonkCalldataWordsTest is Test {
    using stdJson for string;

    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant P = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    FflonkArbitrator internal fflonk;
    bytes32[] internal roots;
    bytes internal proof0;

    function setUp() public {
        string memory j =
            vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/zk_counter_m2_fflonk.json"));
        roots = j.readBytes32Array(".roots");
        proof0 = bytes.concat(bytes32(0), j.readBytesArray(".fflonk.proofs")[0]);
        uint256[] memory spans = new uint256[](1);
        spans[0] = 2;
        address[] memory vs = new address[](1);
        vs[0] = address(new FflonkVerifier_counter_m2());
        fflonk = new FflonkArbitrator(spans, vs);
    }

    function _word(uint256 w) internal view returns (uint256 v) {
        bytes memory p = proof0;
        assembly ("memory-safe") {
            v := mload(add(add(p, 0x40), mul(w, 0x20)))
        }
    }

    function _with(uint256 w, uint256 v) internal view returns (bytes memory t) {
        t = bytes.concat(proof0);
        assembly ("memory-safe") {
            mstore(add(add(t, 0x40), mul(w, 0x20)), v)
        }
    }

    function test_jsVerifierAcceptedWords_rejectedOnChain() public view {
        assertTrue(fflonk.arbitrate(roots[0], roots[2], 2, proof0), "honest");
        uint256 inv = _word(23);
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, _with(23, (inv + 1) % R)), "inv + 1");
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, _with(23, inv + R)), "inv + R");
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, _with(23, 0)), "inv = 0");
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, _with(0, _word(0) + P)), "C1.x + P");
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, _with(8, _word(8) + R)), "ql + R");
    }
}
