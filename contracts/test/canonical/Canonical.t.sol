// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {stdJson} from "forge-std/StdJson.sol";
import {RV32IMBase} from "../rv32im/RV32IMBase.sol";
import {LibPoseidon} from "../../src/rv32im/LibPoseidon.sol";
import {LibTree4} from "../../src/link/LibTree4.sol";
import {GraphVmLink} from "../../src/link/GraphVmLink.sol";
import {RV32IMOneStepArbitrator} from "../../src/rv32im/RV32IMOneStepArbitrator.sol";
import {IStepVerifier} from "../../src/rv32im/IStepVerifier.sol";
import {Groth16Arbitrator} from "../../src/zk/Groth16Arbitrator.sol";
import {Groth16Verifier_counter_m2} from "../../src/zk/generated/Groth16Verifier_counter_m2.sol";
import "../../src/rv32im/Errors.sol";

contract PoseidonHarness {
    function p2(uint256 a, uint256 b) external pure returns (uint256) {
        return LibPoseidon.p2(a, b);
    }

    function p4(uint256 a, uint256 b, uint256 c, uint256 d) external pure returns (uint256) {
        return LibPoseidon.p4(a, b, c, d);
    }

    function root(uint256 index, uint256 leaf, uint256[] calldata proof) external pure returns (uint256) {
        return LibTree4.root(index, leaf, proof);
    }

    function zero(uint256 l) external pure returns (uint256) {
        return LibTree4.zero(l);
    }
}

/// @notice Canonical field elements at every Poseidon site of the contracts (PROPERTIES.md P17 lists
///         them): each input x is fed as x + p (the same field element, non-canonical), which must
///         revert with a typed error (or be rejected) instead of hashing like x.
///         Sites: LibPoseidon.p2/p4 (every argument; all hashing goes through them), LibTree4 (leaves
///         and siblings), GraphVmLink (every word of a real link proof), RV32IMStepVerifier and the
///         one-step arbitrator (witness elements, pre-root), Groth16Arbitrator (public inputs). The
///         claim bindings' aux/openings: contracts/test/link/Bindings.t.sol.
contract CanonicalTest is RV32IMBase {
    using stdJson for string;

    PoseidonHarness internal h;

    function setUp() public override {
        super.setUp();
        h = new PoseidonHarness();
    }

    function test_libPoseidon_everyArgumentPlusP_reverts() public {
        uint256[4] memory x = [uint256(1), 2, 3, P - 1];
        for (uint256 i; i < 2; ++i) {
            uint256[2] memory a = [x[0], x[1]];
            a[i] += P;
            vm.expectRevert(abi.encodeWithSelector(LibPoseidon.NotAFieldElement.selector, a[i]));
            h.p2(a[0], a[1]);
        }
        for (uint256 i; i < 4; ++i) {
            uint256[4] memory a = [x[0], x[1], x[2], x[3]]; // a copy (memory assignment aliases)
            a[i] += P;
            vm.expectRevert(abi.encodeWithSelector(LibPoseidon.NotAFieldElement.selector, a[i]));
            h.p4(a[0], a[1], a[2], a[3]);
        }
        // p itself (the shown alias of 0) and 2^256 - 1
        vm.expectRevert(abi.encodeWithSelector(LibPoseidon.NotAFieldElement.selector, P));
        h.p2(P, 0);
        vm.expectRevert(abi.encodeWithSelector(LibPoseidon.NotAFieldElement.selector, type(uint256).max));
        h.p4(0, 0, 0, type(uint256).max);
        h.p2(P - 1, 0); // the largest canonical value hashes
    }

    function test_libTree4_zerosMatchPoseidon_andLeafOrSiblingPlusP_reverts() public {
        uint256 z;
        for (uint256 l = 1; l <= 10; ++l) {
            z = h.p4(z, z, z, z);
            assertEq(h.zero(l), z);
        }
        uint256[] memory proof = new uint256[](6);
        for (uint256 i; i < 6; ++i) {
            proof[i] = i + 1;
        }
        h.root(5, 7, proof);
        vm.expectRevert(abi.encodeWithSelector(LibPoseidon.NotAFieldElement.selector, 7 + P));
        h.root(5, 7 + P, proof);
        for (uint256 i; i < 6; ++i) {
            proof[i] += P;
            vm.expectRevert(abi.encodeWithSelector(LibPoseidon.NotAFieldElement.selector, proof[i]));
            h.root(5, 7, proof);
            proof[i] -= P;
        }
    }

    struct LinkCase {
        bytes32 pre;
        bytes32 post;
        bytes32 start;
        bytes32 end;
        uint256 steps;
        bytes proof;
    }

    /// Every word of a real link proof (MNIST op 1) replaced by word + p: never accepted.
    function test_graphVmLink_everyProofWordPlusP_notAccepted() public {
        string memory j = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/graph_link_mnist.json"));
        GraphVmLink link = new GraphVmLink(
            j.readBytes32(".opsRoot"),
            j.readUint(".opCount"),
            j.readUint(".depth"),
            j.readUint(".m"),
            uint256(j.readBytes32(".core0")),
            uint256(j.readBytes32(".mem0")),
            uint256(j.readBytes32(".code0"))
        );
        LinkCase memory c = LinkCase(
            j.readBytes32(".cases[1].pre"),
            j.readBytes32(".cases[1].post"),
            j.readBytes32(".cases[1].start"),
            j.readBytes32(".cases[1].end"),
            j.readUint(".cases[1].steps"),
            j.readBytes(".cases[1].proof")
        );
        assertTrue(link.verifyLink(c.pre, c.post, c.start, c.end, c.steps, c.proof));
        uint256 typed;
        for (uint256 w; w < c.proof.length / 32; ++w) {
            bytes memory bad = bytes.concat(c.proof);
            assembly ("memory-safe") {
                let at := add(bad, add(32, mul(32, w)))
                mstore(
                    at,
                    add(mload(at), 21888242871839275222246405745257275088548364400416034343698204186575808495617)
                )
            }
            (bool ok, bytes memory ret) = address(link)
                .staticcall(abi.encodeCall(GraphVmLink.verifyLink, (c.pre, c.post, c.start, c.end, c.steps, bad)));
            assertTrue(!ok || !abi.decode(ret, (bool)), "word + p accepted");
            if (!ok && bytes4(ret) == LibPoseidon.NotAFieldElement.selector) typed++;
        }
        // the hashed words (leaves, siblings, memSub, VM end fields) revert typed; the rest (indices,
        // counts, descriptor fields) change what is opened and are rejected or malformed
        assertGt(typed, c.proof.length / 64);
    }

    function test_stepVerifier_everyWitnessElementPlusP_reverts_andPreRootPlusP_rejected() public {
        Fixture memory f = _load("bench.json");
        uint256 i = _find(f, "lw");
        uint256[165] memory w = _w(f.witnesses[i]);
        for (uint256 k; k < 165; ++k) {
            uint256 x = w[k];
            w[k] = x + P;
            vm.expectRevert(abi.encodeWithSelector(WitnessNotAFieldElement.selector, k, x + P));
            verifier.step(f.pre[i], w);
            w[k] = x;
        }
        // the one-step arbitrator: a pre-root + p is not the witness's pre-state
        RV32IMOneStepArbitrator arb = new RV32IMOneStepArbitrator(IStepVerifier(address(verifier)));
        bytes32 alias_ = bytes32(uint256(f.pre[i]) + P);
        vm.expectRevert(abi.encodeWithSelector(PreRootMismatch.selector, alias_, f.pre[i]));
        arb.arbitrate(alias_, f.post[i], 1, abi.encode(w));
        assertTrue(arb.arbitrate(f.pre[i], f.post[i], 1, abi.encode(w)));
        assertFalse(arb.arbitrate(f.pre[i], bytes32(uint256(f.post[i]) + P), 1, abi.encode(w)));
    }

    /// Groth16Arbitrator forwards the roots unreduced and rejects root + p (real dev-setup proof of
    /// the counter circuit, fixture zk_counter_m2.json); the snarkjs verifier's checkField does too.
    function test_groth16Arbitrator_rootPlusP_rejected() public {
        string memory j = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/zk_counter_m2.json"));
        bytes32[] memory roots = j.readBytes32Array(".roots");
        bytes[] memory proofs = j.readBytesArray(".groth16.proofs");
        uint256[] memory spans = new uint256[](1);
        spans[0] = 2;
        address[] memory vs = new address[](1);
        Groth16Verifier_counter_m2 v = new Groth16Verifier_counter_m2();
        vs[0] = address(v);
        Groth16Arbitrator g16 = new Groth16Arbitrator(spans, vs);
        bytes memory keyed = bytes.concat(bytes32(0), proofs[0]); // key index 0 of span 2
        assertTrue(g16.arbitrate(roots[0], roots[2], 2, keyed));
        assertFalse(g16.arbitrate(bytes32(uint256(roots[0]) + P), roots[2], 2, keyed));
        assertFalse(g16.arbitrate(roots[0], bytes32(uint256(roots[2]) + P), 2, keyed));
        _verifierRejectsAlias(v, proofs[0], uint256(roots[0]), uint256(roots[2]));
    }

    function _verifierRejectsAlias(Groth16Verifier_counter_m2 v, bytes memory proof, uint256 pre, uint256 post)
        internal
        view
    {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) =
            abi.decode(proof, (uint256[2], uint256[2][2], uint256[2]));
        uint256[2] memory pub = [pre, post];
        assertTrue(v.verifyProof(a, b, c, pub));
        pub[0] = pre + P;
        assertFalse(v.verifyProof(a, b, c, pub));
    }
}
