// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {Groth16Arbitrator} from "../../src/zk/Groth16Arbitrator.sol";
import {PlonkArbitrator} from "../../src/zk/PlonkArbitrator.sol";
import {FflonkArbitrator} from "../../src/zk/FflonkArbitrator.sol";
import {SpanVerifiers} from "../../src/zk/SpanVerifiers.sol";
import {Groth16Verifier_counter_m2} from "../../src/zk/generated/Groth16Verifier_counter_m2.sol";
import {PlonkVerifier_counter_m2} from "../../src/zk/generated/PlonkVerifier_counter_m2.sol";
import {FflonkVerifier_counter_m2} from "../../src/zk/generated/FflonkVerifier_counter_m2.sol";

/// @notice `arbitrate` gas of the three zk arbitrators side by side, for the committed gas snapshot
///         (scripts/snapshot.sh zk -> contracts/zk.gas-snapshot, run with --isolate: the call is its own
///         transaction, 21,000 base and calldata included). Same statement for all three: the counter
///         chain's leaf [2, 4] (CounterChain(2), committed dev-setup verifiers and snarkjs proofs of
///         zk_counter_m2.json / zk_counter_m2_fflonk.json), one key per arbitrator, calldata = key index 0
///         ++ proof, prepared before the metered call.
contract ZkArbitrateGasBenchTest is Test {
    using stdJson for string;

    bytes32 internal pre;
    bytes32 internal post;
    Groth16Arbitrator internal g16;
    PlonkArbitrator internal plonk;
    FflonkArbitrator internal fflonk;
    string internal counter;
    string internal ff;

    function setUp() public {
        string memory root = vm.projectRoot();
        counter = vm.readFile(string.concat(root, "/contracts/test/fixtures/zk_counter_m2.json"));
        ff = vm.readFile(string.concat(root, "/contracts/test/fixtures/zk_counter_m2_fflonk.json"));
        bytes32[] memory roots = counter.readBytes32Array(".roots");
        (pre, post) = (roots[2], roots[4]);
        uint256[] memory spans = new uint256[](1);
        spans[0] = 2;
        address[] memory vs = new address[](1);
        vs[0] = address(new Groth16Verifier_counter_m2());
        g16 = new Groth16Arbitrator(spans, vs);
        vs[0] = address(new PlonkVerifier_counter_m2());
        plonk = new PlonkArbitrator(spans, vs);
        vs[0] = address(new FflonkVerifier_counter_m2());
        fflonk = new FflonkArbitrator(spans, vs);
    }

    function _measure(SpanVerifiers arb, bytes memory proof) internal {
        vm.pauseGasMetering();
        bytes memory p = bytes.concat(bytes32(0), proof);
        vm.resumeGasMetering();
        bool ok = Groth16Arbitrator(address(arb)).arbitrate(pre, post, 2, p);
        vm.pauseGasMetering();
        assertTrue(ok);
    }

    function test_benchmark_arbitrate_groth16() public {
        vm.pauseGasMetering();
        bytes memory proof = counter.readBytesArray(".groth16.proofs")[1];
        _measure(g16, proof);
    }

    function test_benchmark_arbitrate_plonk() public {
        vm.pauseGasMetering();
        bytes memory proof = counter.readBytesArray(".plonk.proofs")[1];
        _measure(plonk, proof);
    }

    function test_benchmark_arbitrate_fflonk() public {
        vm.pauseGasMetering();
        bytes memory proof = ff.readBytesArray(".fflonk.proofs")[1];
        _measure(fflonk, proof);
    }
}
