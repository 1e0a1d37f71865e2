// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {GraphVmLink} from "../../src/link/GraphVmLink.sol";
import {GraphClaimBinding} from "../../src/link/GraphClaimBinding.sol";
import {AlphabetArbitrator} from "../../src/alphabet/AlphabetArbitrator.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {BadInputLength} from "../../src/link/Errors.sol";
import {OutputCorrect} from "../../src/game/Errors.sol";
import {MerkleTestLib} from "../game/GameBase.sol";

/// @notice ATTACK (red team): a graph claim whose input has the wrong length cannot be disputed.
///         GraphClaimBinding.startRoot reverts BadInputLength for any input whose length is not
///         `inputBytes` (784 for MNIST), so `disputeStart` can never win against such a claim: the
///         claim's start root is then bound to NOTHING. The liar posts
///           input      = 785 bytes (here: an all-zero image J plus one byte; a reader that takes the
///                        first 784 bytes sees "MNIST on J"),
///           startRoot  = the graph root of a DIFFERENT image K (the fixture's test image 8000),
///           finalRoot, output, steps = K's true run (bindings.json graphs[0], graph_link_mnist.json).
///         disputeStart reverts (BadInputLength, whatever aux), disputeOutput reverts (OutputCorrect:
///         the output is the one in the final root), and every transition of the game is K's true
///         run, so a challenger faces an honest defender (here: its sub-game opening is accepted by
///         GraphVmLink at whichever op it picks, and the VM sub-game is node t's true run). Nobody can
///         reject it: the claim is finalized ACCEPTED with an input that is not a model input and a
///         start root that does not follow from it.
///         Smallest fix: let the binding's startRoot answer a sentinel (never a postable start root)
///         instead of reverting for an input it cannot bind, or refuse such inputs at claim time
///         (published: check the length in `claim`; committed: commit to the length too).
contract InvalidInputClaimTest is Test {
    using stdJson for string;

    uint96 internal constant S = 4 ether;
    uint96 internal constant B = 0.1 ether;

    string internal lj;
    string internal bj;
    DisputeGame internal game;
    GraphClaimBinding internal binding;
    bytes32[6] internal roots; // image K's true graph roots after 0..5 ops
    bytes internal input; // the posted input: 785 bytes
    bytes32 internal output;
    address internal liar = makeAddr("liar");
    address internal honest = makeAddr("honest");

    function setUp() public {
        lj = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/graph_link_mnist.json"));
        bj = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/bindings.json"));
        GraphVmLink link = new GraphVmLink(
            lj.readBytes32(".opsRoot"), lj.readUint(".opCount"), lj.readUint(".depth"), lj.readUint(".m"),
            uint256(lj.readBytes32(".core0")), uint256(lj.readBytes32(".mem0")), uint256(lj.readBytes32(".code0"))
        );
        string memory p = ".graphs[0]";
        binding = new GraphClaimBinding(
            uint256(bj.readBytes32(string.concat(p, ".args.baseRoot"))),
            bj.readUint(string.concat(p, ".args.depth")),
            bj.readUint(string.concat(p, ".args.firstInput")),
            bj.readUintArray(string.concat(p, ".args.inputLens")),
            bj.readUint(string.concat(p, ".args.outputNode")),
            bj.readBytes32(string.concat(p, ".args.opsRoot")),
            bj.readBytes32(string.concat(p, ".args.nodeProgram"))
        );
        DisputeGame.PhaseConfig[] memory ph = new DisputeGame.PhaseConfig[](2);
        ph[0] = DisputeGame.PhaseConfig(3, 1, IArbitrator(address(0)), IPhaseLink(address(link)));
        ph[1] = DisputeGame.PhaseConfig(
            3, uint64(lj.readUint(".m")), IArbitrator(address(new AlphabetArbitrator())), IPhaseLink(address(0))
        );
        game = new DisputeGame(DisputeGame.Config(S, B, 7500, 1 days, 1 hours, 30 minutes, 4), ph, binding);
        for (uint256 t; t < 5; ++t) roots[t] = lj.readBytes32(string.concat(".cases[", vm.toString(t), "].pre"));
        roots[5] = lj.readBytes32(".cases[4].post");
        assertEq(bj.readBytes32(string.concat(p, ".startRoot")), roots[0], "fixtures: same run");
        assertEq(bj.readBytes32(string.concat(p, ".finalRoot")), roots[5], "fixtures: same run");
        output = bj.readBytes32(string.concat(p, ".output"));
        input = new bytes(binding.inputBytes() + 1); // J = 784 zero bytes, plus one byte
        input[input.length - 1] = 0x01;
    }

    function _claim() internal returns (uint256 id) {
        bytes32 ph = binding.programHash();
        vm.deal(liar, S);
        vm.prank(liar);
        id = game.claim{value: S}(ph, input, output, roots[0], roots[5], 5);
    }

    function _noBindingMoveWins(uint256 id) internal {
        string memory p = ".graphs[0]";
        bytes memory aux = bj.readBytes(string.concat(p, ".aux"));
        bytes memory opening = bj.readBytes(string.concat(p, ".opening"));
        // the start root is K's, the input is not K (nor any model input): disputeStart cannot win
        vm.expectRevert(abi.encodeWithSelector(BadInputLength.selector, input.length, input.length - 1));
        vm.prank(honest);
        game.disputeStart(id, input, aux);
        vm.expectRevert(abi.encodeWithSelector(BadInputLength.selector, input.length, input.length - 1));
        vm.prank(honest);
        game.disputeStart(id, input, "");
        // the input J itself (first 784 bytes) is not the claim's input
        bytes memory j = new bytes(input.length - 1);
        vm.expectRevert();
        vm.prank(honest);
        game.disputeStart(id, j, aux);
        // the output is the one K's final root holds
        vm.expectRevert(abi.encodeWithSelector(OutputCorrect.selector, id, output));
        vm.prank(honest);
        game.disputeOutput(id, opening);
    }

    function test_attack_wrongLengthInput_claimIsUndisputable_andAccepted() public {
        uint256 id = _claim();
        _noBindingMoveWins(id);
        vm.warp(block.timestamp + 1 hours + 1);
        game.finalizeClaim(id);
        DisputeGame.Claim memory c = game.claims(id);
        assertEq(uint8(c.status), uint8(DisputeGame.ClaimStatus.Accepted), "ATTACK: accepted");
        assertEq(c.inputHash, keccak256(input));
        assertEq(input.length, 785);
        assertEq(c.startRoot, roots[0]); // K's start root, not derivable from the posted input
    }

    function test_attack_wrongLengthInput_challengerFacesAnHonestDefender() public {
        uint256 id = _claim();
        vm.deal(honest, B);
        vm.prank(honest);
        uint256 gid = game.challenge{value: B}(id);
        // level 2: checkpoint at 4; level 1: 1, 2, 3; whatever the challenger picks, the defender
        // (who plays K's true run) opens the op's VM sub-game; here it picks segment 0 twice
        bytes32[] memory c2 = new bytes32[](1);
        c2[0] = roots[4];
        vm.prank(liar);
        game.postCheckpoints(gid, roots[0], roots[5], c2);
        DisputeGame.Pick memory pk;
        (pk.pre, pk.post, pk.cpRoot, pk.index, pk.right, pk.rightProof) =
            (roots[0], roots[5], MerkleTestLib.root(c2), 0, c2[0], MerkleTestLib.proof(c2, 0));
        vm.prank(honest);
        game.chooseSegment(gid, pk);
        bytes32[] memory c1 = new bytes32[](3);
        (c1[0], c1[1], c1[2]) = (roots[1], roots[2], roots[3]);
        vm.prank(liar);
        game.postCheckpoints(gid, roots[0], roots[4], c1);
        DisputeGame.Pick memory pk1;
        (pk1.pre, pk1.post, pk1.cpRoot, pk1.index, pk1.right, pk1.rightProof) =
            (roots[0], roots[4], MerkleTestLib.root(c1), 0, c1[0], MerkleTestLib.proof(c1, 0));
        vm.prank(honest);
        game.chooseSegment(gid, pk1);
        bytes32 s0 = lj.readBytes32(".cases[0].start");
        bytes32 e0 = lj.readBytes32(".cases[0].end");
        uint64 n0 = uint64(lj.readUint(".cases[0].steps"));
        bytes memory proof = lj.readBytes(".cases[0].proof");
        vm.prank(liar);
        game.openSubgame(gid, roots[0], roots[1], s0, e0, n0, proof);
        DisputeGame.Game memory g = game.games(gid);
        assertEq(g.phase, 1, "the liar's opening of op 0 is accepted: node 0's true VM run from here on");
    }
}
