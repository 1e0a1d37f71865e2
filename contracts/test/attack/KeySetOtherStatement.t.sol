// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {Groth16Arbitrator} from "../../src/zk/Groth16Arbitrator.sol";
import {PlonkArbitrator} from "../../src/zk/PlonkArbitrator.sol";
import {MixedStatements, NoCompleteVerifier, VerifierOtherBackend} from "../../src/zk/Errors.sol";
import {Groth16Verifier_rv32im_m2} from "../../src/zk/generated/Groth16Verifier_rv32im_m2.sol";
import {Groth16Verifier_rv32im_mem_m2} from "../../src/zk/generated/Groth16Verifier_rv32im_mem_m2.sol";
import {Groth16Verifier_rv32im_mem_m4} from "../../src/zk/generated/Groth16Verifier_rv32im_mem_m4.sol";
import {Groth16Verifier_counter_m2} from "../../src/zk/generated/Groth16Verifier_counter_m2.sol";
import {Groth16Verifier_counter_m4} from "../../src/zk/generated/Groth16Verifier_counter_m4.sol";
import {PlonkVerifier_counter_m2} from "../../src/zk/generated/PlonkVerifier_counter_m2.sol";

/// @notice Red team (attack4): the deploy-time completeness check of a span's key set (SpanVerifiers
///         `NoCompleteVerifier`) was satisfied by a complete key of ANOTHER statement. The committed key-set
///         fixture registered span 4 = [CounterChain(4) (complete, dev), RvStepsMem(4) (table)]: an RV32IM game
///         with m = 4 over it has NO key that proves a window overflowing the mem table (a running read(fd 0/5),
///         more words than the table holds), exactly the incomplete-key steering of
///         zk/circuits/attack/incomplete-key.test.ts: a lying challenger disputes an honest claim, bisects to
///         such a leaf, and the honest claimer cannot `proveLeaf` (the counter key proves P2-chains, not
///         RV32IM state roots, which are P4 outputs) and loses its bond on timeout.
///         The liar loses iff the constructor refuses a set mixing statement families (the CIRCUIT_ID text
///         up to its first '_'). Same-family sets and sets of different families on DIFFERENT spans are kept.
///         Same hole through the proof system: a PLONK verifier labelled complete in a Groth16 arbitrator (or the
///         reverse) satisfied the check although no proof can pass through it (`_arbitrate` calls the
///         arbitrator's verifyProof selector with its proof length): the constructor now probes each verifier
///         with that call (an all-zero proof must get a bool back) and refuses it (VerifierOtherBackend).
contract KeySetOtherStatementTest is Test {
    using stdJson for string;

    address internal full2;
    address internal mem2;
    address internal mem4;
    address internal counter2;
    address internal counter4;

    function setUp() public {
        full2 = address(new Groth16Verifier_rv32im_m2());
        mem2 = address(new Groth16Verifier_rv32im_mem_m2());
        mem4 = address(new Groth16Verifier_rv32im_mem_m4());
        counter2 = address(new Groth16Verifier_counter_m2());
        counter4 = address(new Groth16Verifier_counter_m4());
    }

    function _g16(uint256[] memory s, address[] memory v) internal returns (Groth16Arbitrator) {
        return new Groth16Arbitrator(s, v);
    }

    function _two(uint256 s0, uint256 s1, address v0, address v1)
        internal
        pure
        returns (uint256[] memory s, address[] memory v)
    {
        s = new uint256[](2);
        v = new address[](2);
        (s[0], s[1], v[0], v[1]) = (s0, s1, v0, v1);
    }

    /// @dev the fixture's span-4 set: the counter key is "complete", the RV32IM key a table: refused
    function test_counterCompleteBesideRv32imTable_refused() public {
        (uint256[] memory s, address[] memory v) = _two(4, 4, counter4, mem4);
        vm.expectRevert(abi.encodeWithSelector(MixedStatements.selector, 4, bytes32("counter"), bytes32("rv32im_mem")));
        _g16(s, v);
        // in the other order as well
        (s, v) = _two(4, 4, mem4, counter4);
        vm.expectRevert(abi.encodeWithSelector(MixedStatements.selector, 4, bytes32("rv32im_mem"), bytes32("counter")));
        _g16(s, v);
    }

    /// @dev a complete RV32IM key beside a counter key of the same span: still one set of two statements
    function test_completeKeysOfTwoStatementsInOneSpan_refused() public {
        (uint256[] memory s, address[] memory v) = _two(2, 2, full2, counter2);
        vm.expectRevert(abi.encodeWithSelector(MixedStatements.selector, 2, bytes32("rv32im"), bytes32("counter")));
        _g16(s, v);
    }

    /// @dev the PLONK arbitrator shares the constructor: a Groth16 table key in it is refused as well
    function test_plonkArbitrator_groth16TableKeyBesideCounter_refused() public {
        address p2 = address(new PlonkVerifier_counter_m2());
        (uint256[] memory s, address[] memory v) = _two(2, 2, p2, mem2);
        vm.expectRevert(abi.encodeWithSelector(VerifierOtherBackend.selector, 2, mem2));
        new PlonkArbitrator(s, v);
    }

    /// @dev what stays accepted: one family per span (RvSteps + its table), other families on other spans;
    ///      a table key alone is still NoCompleteVerifier
    function test_sameFamilyPerSpan_accepted() public {
        (uint256[] memory s, address[] memory v) = _two(2, 2, mem2, full2);
        Groth16Arbitrator a = _g16(s, v);
        assertEq(a.verifiers(2).length, 2);
        (s, v) = _two(2, 4, full2, counter4);
        a = _g16(s, v);
        assertEq(a.circuitId(4, 0), bytes32("counter"));
        (s, v) = _two(2, 4, full2, mem4);
        vm.expectRevert(abi.encodeWithSelector(NoCompleteVerifier.selector, 4));
        _g16(s, v);
    }

    /// @dev the only complete key of span 2 is a PLONK verifier, inside a Groth16 arbitrator: refused
    function test_completeKeyOfAnotherProofSystem_refused() public {
        address p2 = address(new PlonkVerifier_counter_m2());
        uint256[] memory s = new uint256[](1);
        address[] memory v = new address[](1);
        (s[0], v[0]) = (2, p2);
        vm.expectRevert(abi.encodeWithSelector(VerifierOtherBackend.selector, 2, p2));
        _g16(s, v);
        // and a Groth16 verifier inside a PLONK arbitrator
        v[0] = counter2;
        vm.expectRevert(abi.encodeWithSelector(VerifierOtherBackend.selector, 2, counter2));
        new PlonkArbitrator(s, v);
        // each in its own arbitrator is accepted
        v[0] = p2;
        assertEq(new PlonkArbitrator(s, v).verifiers(2).length, 1);
        v[0] = counter2;
        assertEq(_g16(s, v).verifiers(2).length, 1);
    }
}
