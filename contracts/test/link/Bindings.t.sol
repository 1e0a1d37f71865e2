// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {stdJson} from "forge-std/StdJson.sol";
import {GameBase} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {IClaimBinding} from "../../src/interfaces/IClaimBinding.sol";
import {GraphClaimBinding} from "../../src/link/GraphClaimBinding.sol";
import {RV32IMClaimBinding} from "../../src/link/RV32IMClaimBinding.sol";
import {LibPoseidon} from "../../src/rv32im/LibPoseidon.sol";
import {LibTree4} from "../../src/link/LibTree4.sol";
import {BadOpeningLength, BadInputLength, OpeningMismatch} from "../../src/link/Errors.sol";
import "../../src/game/Errors.sol";

/// @notice The claim bindings on real workloads (fixture bindings.json, protocol/link/fixtures.ts):
///         MNIST (784-byte image) and stories260K (1- and 128-token prompts) over their graphs, and
///         RV32IM guests (echo_input.elf, mnist-i8.elf with a 784-byte input). Start roots are the
///         references' (the graph phase's root 0, the VM's initial state root), output openings come
///         from real final states. A liar that runs another input, other weights or another program,
///         or posts an output its final state does not hold, loses to a binding move; an honest
///         claim makes every binding move revert. Gas of every start-root derivation is logged
///         (`forge test --match-contract BindingsTest -vv`) and quoted in SECURITY.md / protocol/GAS.md.
contract BindingsTest is GameBase {
    using stdJson for string;

    uint256 internal constant P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    string internal j;

    function setUp() public {
        j = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/bindings.json"));
    }

    function _graph(uint256 i) internal returns (GraphClaimBinding b, string memory p) {
        p = string.concat(".graphs[", vm.toString(i), "]");
        b = new GraphClaimBinding(
            uint256(j.readBytes32(string.concat(p, ".args.baseRoot"))),
            j.readUint(string.concat(p, ".args.depth")),
            j.readUint(string.concat(p, ".args.firstInput")),
            j.readUintArray(string.concat(p, ".args.inputLens")),
            j.readUint(string.concat(p, ".args.outputNode")),
            j.readBytes32(string.concat(p, ".args.opsRoot")),
            j.readBytes32(string.concat(p, ".args.nodeProgram"))
        );
        assertEq(b.programHash(), j.readBytes32(string.concat(p, ".programHash")), "TS twin's program hash");
    }

    function _rv(uint256 i) internal returns (RV32IMClaimBinding b, string memory p) {
        p = string.concat(".rv32im[", vm.toString(i), "]");
        b = new RV32IMClaimBinding(
            uint256(j.readBytes32(string.concat(p, ".core0"))),
            uint256(j.readBytes32(string.concat(p, ".mem0"))),
            uint256(j.readBytes32(string.concat(p, ".code0")))
        );
        assertEq(b.programHash(), j.readBytes32(string.concat(p, ".programHash")), "TS twin's program hash");
    }

    function _game(IClaimBinding b) internal returns (DisputeGame) {
        DisputeGame.PhaseConfig[] memory ph = new DisputeGame.PhaseConfig[](1);
        ph[0] = DisputeGame.PhaseConfig(1, 1, IArbitrator(address(arbitrator)), IPhaseLink(address(0)));
        return new DisputeGame(_config(), ph, b);
    }

    function _claim(DisputeGame g, bytes memory input, bytes32 output, bytes32 start, bytes32 fin)
        internal
        returns (uint256)
    {
        bytes32 ph = g.binding().programHash();
        address c = makeAddr("claimer");
        vm.deal(c, CLAIM_BOND);
        vm.prank(c);
        return g.claim{value: CLAIM_BOND}(ph, input, output, start, fin, 79);
    }

    // ------------------------------------------------------------------ start roots and gas

    function test_graphBindings_startRootIsTheReferences_andGas() public {
        string[3] memory names =
            ["MNIST, 784-byte image", "stories260K, 1-token prompt", "stories260K, 128-token prompt"];
        for (uint256 i; i < 3; ++i) {
            (GraphClaimBinding b, string memory p) = _graph(i);
            bytes memory input = j.readBytes(string.concat(p, ".input"));
            bytes memory aux = j.readBytes(string.concat(p, ".aux"));
            uint256 g0 = gasleft();
            bytes32 r = b.startRoot(input, aux);
            uint256 used = g0 - gasleft();
            assertEq(r, j.readBytes32(string.concat(p, ".startRoot")), names[i]);
            emit log_named_uint(string.concat("GraphClaimBinding.startRoot gas, ", names[i]), used);
        }
    }

    function test_rv32imBindings_startRootIsTheVms_andGas() public {
        for (uint256 i; i < 2; ++i) {
            (RV32IMClaimBinding b, string memory p) = _rv(i);
            bytes memory input = j.readBytes(string.concat(p, ".input"));
            uint256 g0 = gasleft();
            bytes32 r = b.startRoot(input, "");
            uint256 used = g0 - gasleft();
            assertEq(r, j.readBytes32(string.concat(p, ".startRoot")));
            emit log_named_uint(
                string.concat("RV32IMClaimBinding.startRoot gas, ", j.readString(string.concat(p, ".name")), ", bytes"),
                used
            );
            emit log_named_uint("  input bytes", input.length);
        }
    }

    /// The full move through the game (calldata, keccak of the input, the binding, the payout).
    function test_disputeStart_gas_mnist_andStories128() public {
        for (uint256 i; i < 3; i += 2) {
            (GraphClaimBinding b, string memory p) = _graph(i);
            DisputeGame g = _game(b);
            bytes memory input = j.readBytes(string.concat(p, ".input"));
            bytes memory aux = j.readBytes(string.concat(p, ".aux"));
            uint256 id = _claim(g, input, bytes32(uint256(1)), bytes32(uint256(7)), bytes32(uint256(8)));
            uint256 g0 = gasleft();
            g.disputeStart(id, input, aux);
            emit log_named_uint(
                string.concat("disputeStart gas (execution), ", i == 0 ? "MNIST 784 B" : "stories260K 128 tokens"),
                g0 - gasleft()
            );
            assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        }
    }

    function _slice(bytes memory b, uint256 from, uint256 to) internal pure returns (bytes memory c) {
        c = new bytes(to - from);
        for (uint256 i; i < c.length; ++i) {
            c[i] = b[from + i];
        }
    }

    /// A 128-token prompt does not fit one block (168M gas): the derivation is advanced in chunks of
    /// 8 tokens (each under the 2^24 per-transaction gas cap of EIP-7825), then disputeStart resumes
    /// from the stored root.
    function test_stories128_advanceInChunks_thenDisputeStart_rejectsWrongStart() public {
        (GraphClaimBinding b, string memory p) = _graph(2);
        bytes memory input = j.readBytes(string.concat(p, ".input"));
        bytes memory aux = j.readBytes(string.concat(p, ".aux"));
        uint256 per = 96 * b.depth();
        // a wrong sibling cannot store a partial root
        bytes memory bad = _slice(aux, 0, 8 * per);
        bad[31] = bytes1(uint8(bad[31]) ^ 1);
        vm.expectRevert();
        b.advance(input, 0, 8, bad);
        uint256 maxGas;
        uint256 total;
        for (uint256 from; from < 120; from += 8) {
            uint256 g0 = gasleft();
            b.advance(input, from, from + 8, _slice(aux, from * per, (from + 8) * per));
            uint256 used = g0 - gasleft();
            total += used;
            if (used > maxGas) maxGas = used;
        }
        emit log_named_uint("GraphClaimBinding.advance gas per 8 tokens (max)", maxGas);
        emit log_named_uint("GraphClaimBinding.advance gas, 15 chunks (120 tokens)", total);
        assertLt(maxGas, 1 << 24);
        bytes memory resume = bytes.concat(bytes32(uint256(120)), _slice(aux, 120 * per, 128 * per));
        assertEq(b.startRoot(input, resume), j.readBytes32(string.concat(p, ".startRoot")));
        DisputeGame g = _game(b);
        uint256 id = _claim(g, input, bytes32(uint256(1)), bytes32(uint256(7)), bytes32(uint256(8)));
        uint256 g1 = gasleft();
        g.disputeStart(id, input, resume);
        emit log_named_uint("disputeStart gas after advancing 120 of 128 tokens", g1 - gasleft());
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        // resuming from a point nobody advanced to is a typed error
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), uint256(4)));
        b.startRoot(input, bytes.concat(bytes32(uint256(4)), _slice(aux, 4 * per, 128 * per)));
    }

    // ------------------------------------------------------------------ liars lose binding moves (F2, F3)

    function test_disputeStart_otherInput_otherWeights_otherProgram_reject_honestReverts() public {
        (GraphClaimBinding b, string memory p) = _graph(0);
        DisputeGame g = _game(b);
        bytes memory input = j.readBytes(string.concat(p, ".input"));
        bytes memory aux = j.readBytes(string.concat(p, ".aux"));
        bytes32 truth = j.readBytes32(string.concat(p, ".startRoot"));
        // honest: the move reverts, nothing changes
        uint256 id = _claim(g, input, bytes32(uint256(1)), truth, bytes32(uint256(8)));
        vm.expectRevert(abi.encodeWithSelector(StartRootCorrect.selector, id, truth));
        g.disputeStart(id, input, aux);
        // another image than the one posted
        bytes memory other = bytes.concat(input);
        other[400] = bytes1(uint8(other[400]) ^ 0x55);
        bytes32 otherRoot = b.startRoot(other, aux);
        assertTrue(otherRoot != truth);
        id = _claim(g, input, bytes32(uint256(1)), otherRoot, bytes32(uint256(8)));
        vm.expectRevert(abi.encodeWithSelector(InputMismatch.selector, id, keccak256(input), keccak256(other)));
        g.disputeStart(id, other, aux); // the move must use the posted input
        g.disputeStart(id, input, aux);
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        // other weights: a base root whose sibling subtree (const nodes) differs
        (GraphClaimBinding other2, bytes32 weightsRoot) = _otherWeights(b, input, aux);
        id = _claim(g, input, bytes32(uint256(1)), weightsRoot, bytes32(uint256(8)));
        g.disputeStart(id, input, aux);
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        // another program: its hash is refused outright
        _wrongProgram(g, b, other2, input, weightsRoot);
    }

    function _otherWeights(GraphClaimBinding b, bytes memory input, bytes memory aux)
        internal
        returns (GraphClaimBinding other2, bytes32 weightsRoot)
    {
        bytes memory aux2 = bytes.concat(aux);
        aux2[31] = bytes1(uint8(aux2[31]) ^ 1);
        uint256[] memory sib = abi.decode(abi.encodePacked(uint256(32), uint256(aux2.length / 32), aux2), (uint256[]));
        other2 = new GraphClaimBinding(
            LibTree4.root(b.firstInput(), 0, sib),
            b.depth(),
            b.firstInput(),
            b.inputLengths(),
            b.outputNode(),
            bytes32(0),
            bytes32(0)
        );
        weightsRoot = other2.startRoot(input, aux2);
        assertTrue(weightsRoot != b.startRoot(input, aux));
    }

    function _wrongProgram(
        DisputeGame g,
        GraphClaimBinding b,
        GraphClaimBinding other2,
        bytes memory input,
        bytes32 root
    ) internal {
        vm.deal(address(this), CLAIM_BOND);
        bytes32 otherHash = other2.programHash();
        vm.expectRevert(abi.encodeWithSelector(WrongProgram.selector, b.programHash(), otherHash));
        g.claim{value: CLAIM_BOND}(otherHash, input, bytes32(uint256(1)), root, bytes32(uint256(8)), 79);
    }

    function test_rv32im_otherProgram_startRoot_loses() public {
        (RV32IMClaimBinding echo, string memory p) = _rv(0);
        (RV32IMClaimBinding mnist,) = _rv(1);
        DisputeGame g = _game(echo);
        bytes memory input = j.readBytes(string.concat(p, ".input"));
        // the claimer ran mnist-i8.elf on the posted input but claims echo_input's program hash
        uint256 id = _claim(g, input, bytes32(uint256(1)), mnist.startRoot(input, ""), bytes32(uint256(8)));
        g.disputeStart(id, input, "");
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
    }

    function test_disputeOutput_graph_outputNotInFinalState_rejects_honestReverts() public {
        for (uint256 i; i < 2; ++i) {
            (GraphClaimBinding b, string memory p) = _graph(i);
            DisputeGame g = _game(b);
            bytes memory input = j.readBytes(string.concat(p, ".input"));
            bytes32 fin = j.readBytes32(string.concat(p, ".finalRoot"));
            bytes32 out = j.readBytes32(string.concat(p, ".output"));
            bytes memory opening = j.readBytes(string.concat(p, ".opening"));
            assertEq(b.outputOf(fin, opening), out);
            uint256 id = _claim(g, input, out, bytes32(uint256(7)), fin);
            vm.expectRevert(abi.encodeWithSelector(OutputCorrect.selector, id, out));
            g.disputeOutput(id, opening);
            // a liar posts another answer with the true final root
            bytes32 lie = b.answerLeaf(hex"01000000");
            id = _claim(g, input, lie, bytes32(uint256(7)), fin);
            g.disputeOutput(id, opening);
            assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
            // the opening cannot be bent: another leaf does not reach the final root
            bytes memory bent = bytes.concat(opening);
            bent[31] = bytes1(uint8(bent[31]) ^ 1);
            vm.expectRevert();
            b.outputOf(fin, bent);
        }
    }

    function test_disputeOutput_rv32im_outHash_andNoOutputUnlessExited0() public {
        (RV32IMClaimBinding b, string memory p) = _rv(0);
        DisputeGame g = _game(b);
        bytes memory input = j.readBytes(string.concat(p, ".input"));
        bytes32 fin = j.readBytes32(string.concat(p, ".finalRoot"));
        bytes memory opening = j.readBytes(string.concat(p, ".opening"));
        bytes32 out = j.readBytes32(string.concat(p, ".output"));
        assertEq(b.outputOf(fin, opening), out);
        uint256 id = _claim(g, input, bytes32(uint256(out) ^ 1), bytes32(uint256(7)), fin);
        g.disputeOutput(id, opening);
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        // a final state that has not exited with 0 has no output, whatever the claim says
        uint256[12] memory f = abi.decode(opening, (uint256[12]));
        f[2] = 0; // running
        bytes32 runningRoot = _stateRoot(f);
        assertEq(b.outputOf(runningRoot, abi.encode(f)), g.NO_OUTPUT());
        id = _claim(g, input, out, bytes32(uint256(7)), runningRoot);
        g.disputeOutput(id, abi.encode(f));
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
    }

    function _stateRoot(uint256[12] memory f) internal pure returns (bytes32) {
        uint256 core = LibPoseidon.p4(f[0], f[1], f[2], f[3]);
        uint256 io = LibPoseidon.p4(f[6], f[7], f[8], f[9]);
        return bytes32(LibPoseidon.p4(core, f[4], f[5], LibPoseidon.p2(io, LibPoseidon.p2(f[10], f[11]))));
    }

    // ------------------------------------------------------------------ malformed and non-canonical (typed)

    function _word(bytes memory b, uint256 i) internal pure returns (uint256 w) {
        assembly ("memory-safe") {
            w := mload(add(b, add(32, mul(32, i))))
        }
    }

    /// @dev A copy of `b` with word i replaced by word + p (the same field element, not canonical).
    function _plusP(bytes memory b, uint256 i) internal pure returns (bytes memory c, uint256 v) {
        c = bytes.concat(b);
        v = _word(b, i) + P;
        assembly ("memory-safe") {
            mstore(add(c, add(32, mul(32, i))), v)
        }
    }

    function test_graphBinding_malformedOrNonCanonical_revertTyped() public {
        (GraphClaimBinding b, string memory p) = _graph(0);
        bytes memory input = j.readBytes(string.concat(p, ".input"));
        bytes memory aux = j.readBytes(string.concat(p, ".aux"));
        // an input the model cannot take derives NO_START (the claim loses), whatever aux
        assertEq(b.startRoot(new bytes(input.length - 1), aux), bytes32(type(uint256).max), "short input: NO_START");
        assertEq(b.startRoot(new bytes(input.length + 1), ""), bytes32(type(uint256).max), "long input: NO_START");
        vm.expectRevert(abi.encodeWithSelector(BadInputLength.selector, input.length - 1, input.length));
        b.advance(new bytes(input.length - 1), 0, 1, aux);
        vm.expectRevert(abi.encodeWithSelector(BadOpeningLength.selector, aux.length - 32, aux.length));
        b.startRoot(input, new bytes(aux.length - 32));
        for (uint256 w; w < aux.length / 32; ++w) {
            (bytes memory bad, uint256 v) = _plusP(aux, w);
            vm.expectRevert(abi.encodeWithSelector(LibPoseidon.NotAFieldElement.selector, v));
            b.startRoot(input, bad);
        }
        bytes32 fin = j.readBytes32(string.concat(p, ".finalRoot"));
        bytes memory opening = j.readBytes(string.concat(p, ".opening"));
        for (uint256 w; w < opening.length / 32; ++w) {
            (bytes memory bad, uint256 v) = _plusP(opening, w);
            vm.expectRevert(abi.encodeWithSelector(LibPoseidon.NotAFieldElement.selector, v));
            b.outputOf(fin, bad);
        }
        vm.expectRevert(abi.encodeWithSelector(BadOpeningLength.selector, opening.length + 1, opening.length));
        b.outputOf(fin, bytes.concat(opening, hex"00"));
    }

    function test_rv32imBinding_malformedOrNonCanonical_revertTyped() public {
        (RV32IMClaimBinding b, string memory p) = _rv(0);
        bytes32 fin = j.readBytes32(string.concat(p, ".finalRoot"));
        bytes memory opening = j.readBytes(string.concat(p, ".opening"));
        for (uint256 w; w < 12; ++w) {
            (bytes memory bad, uint256 v) = _plusP(opening, w);
            vm.expectRevert(abi.encodeWithSelector(LibPoseidon.NotAFieldElement.selector, v));
            b.outputOf(fin, bad);
        }
        vm.expectRevert(abi.encodeWithSelector(BadOpeningLength.selector, 11 * 32, 12 * 32));
        b.outputOf(fin, new bytes(11 * 32));
        vm.expectRevert(abi.encodeWithSelector(BadOpeningLength.selector, 1, 0));
        b.startRoot(hex"00", hex"00");
        // a canonical but different opening does not reach the final root
        bytes memory other = bytes.concat(opening);
        other[31] = bytes1(uint8(other[31]) ^ 4);
        vm.expectRevert();
        b.outputOf(fin, other);
    }
}
