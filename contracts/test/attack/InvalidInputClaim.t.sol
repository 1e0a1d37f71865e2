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
import {RV32IMClaimBinding} from "../../src/link/RV32IMClaimBinding.sol";
import {OutputCorrect, BadStartRoot, InputTooLong} from "../../src/game/Errors.sol";
import {MerkleTestLib} from "../game/GameBase.sol";

/// @notice Red-team attack (issue 11 follow-up), now a test the liar LOSES.
///         Attack: a graph claim whose input has the wrong length. GraphClaimBinding.startRoot used to
///         revert BadInputLength for any input whose length is not `inputBytes` (784 for MNIST), so
///         `disputeStart` could never win and the claim's start root was bound to nothing. The liar posts
///           input      = 783 bytes (an all-zero image J short of one byte; a longer input cannot be
///                        posted at all: `InputTooLong`, maxInputBytes = 784),
///           startRoot  = the graph root of a DIFFERENT image K (the fixture's test image 8000),
///           finalRoot, output, steps = K's true run (bindings.json graphs[0], graph_link_mnist.json),
///         so every transition of the game is K's true run and a challenger faces an honest defender.
///         Principle of the fix: the posted input is the claimer's choice; an input the model cannot
///         take makes the claim false. The binding derives NO_START (2^256 - 1) for it, which no claim
///         may carry (`claim` reverts BadStartRoot), so `disputeStart` rejects every such claim (and
///         pays its caller like any winning binding move). RV32IMClaimBinding does the same for an
///         input longer than its depth-10 input tree.
contract InvalidInputClaimTest is Test {
    using stdJson for string;

    uint96 internal constant S = 10 ether; // protocol/economics/payout.ts PAYOUT
    uint96 internal constant B = 1 ether;

    string internal lj;
    string internal bj;
    DisputeGame internal game;
    GraphClaimBinding internal binding;
    bytes32[6] internal roots; // image K's true graph roots after 0..5 ops
    bytes internal input; // the posted input: 783 bytes
    bytes32 internal output;
    address internal liar = makeAddr("liar");
    address internal honest = makeAddr("honest");

    function setUp() public {
        lj = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/graph_link_mnist.json"));
        bj = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/bindings.json"));
        GraphVmLink link = new GraphVmLink(
            lj.readBytes32(".opsRoot"),
            lj.readUint(".opCount"),
            lj.readUint(".depth"),
            lj.readUint(".m"),
            uint256(lj.readBytes32(".core0")),
            uint256(lj.readBytes32(".mem0")),
            uint256(lj.readBytes32(".code0"))
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
        game = new DisputeGame(DisputeGame.Config(S, B, 7500, 1 days, 1 hours, 30 minutes, 4, 5000), ph, binding);
        for (uint256 t; t < 5; ++t) {
            roots[t] = lj.readBytes32(string.concat(".cases[", vm.toString(t), "].pre"));
        }
        roots[5] = lj.readBytes32(".cases[4].post");
        assertEq(bj.readBytes32(string.concat(p, ".startRoot")), roots[0], "fixtures: same run");
        assertEq(bj.readBytes32(string.concat(p, ".finalRoot")), roots[5], "fixtures: same run");
        output = bj.readBytes32(string.concat(p, ".output"));
        input = new bytes(binding.inputBytes() - 1); // J: 783 bytes, one short of an image
        input[input.length - 1] = 0x01;
    }

    function _claim() internal returns (uint256 id) {
        bytes32 ph = binding.programHash();
        vm.deal(liar, S);
        vm.prank(liar);
        id = game.claim{value: S}(ph, input, output, roots[0], roots[5], 5);
    }

    function test_wrongLengthInput_disputeStartRejects_andPaysCaller() public {
        uint256 id = _claim();
        string memory p = ".graphs[0]";
        assertEq(binding.startRoot(input, ""), game.NO_START(), "an input the model cannot take: NO_START");
        // another input (J without its last byte) is not the claim's input
        bytes memory j = new bytes(input.length - 1);
        bytes memory aux = bj.readBytes(string.concat(p, ".aux"));
        vm.expectRevert();
        vm.prank(honest);
        game.disputeStart(id, j, aux);
        // the output is the one K's final root holds: disputeOutput cannot win, disputeStart does
        vm.expectRevert(abi.encodeWithSelector(OutputCorrect.selector, id, output));
        vm.prank(honest);
        game.disputeOutput(id, bj.readBytes(string.concat(p, ".opening")));
        vm.prank(honest);
        game.disputeStart(id, input, aux); // any aux: the length alone decides
        DisputeGame.Claim memory c = game.claims(id);
        assertEq(uint8(c.status), uint8(DisputeGame.ClaimStatus.Rejected), "the liar's claim is rejected");
        uint256 d = uint256(S) / 4;
        assertEq(game.credit(honest), d - (d * 7500) / 10_000, "the caller is paid (1 - b) D");
        assertEq(game.credit(liar), 0, "the liar recovers nothing");
        vm.warp(block.timestamp + 1 hours + 1);
        vm.expectRevert();
        game.finalizeClaim(id);
    }

    function test_wrongLengthInput_everyLengthButTheModelsDerivesNoStart() public view {
        uint256 n = binding.inputBytes();
        uint256[6] memory lens = [uint256(0), 1, n - 1, n + 1, n + 4, 2 * n];
        for (uint256 i; i < lens.length; ++i) {
            assertEq(binding.startRoot(new bytes(lens[i]), ""), game.NO_START());
        }
    }

    function test_longerInput_cannotBePosted() public {
        bytes32 ph = binding.programHash();
        bytes memory long = new bytes(binding.inputBytes() + 1);
        uint256 max = binding.maxInputBytes();
        vm.deal(liar, S);
        vm.prank(liar);
        vm.expectRevert(abi.encodeWithSelector(InputTooLong.selector, long.length, max));
        game.claim{value: S}(ph, long, output, roots[0], roots[5], 5);
    }

    function test_noClaimCarriesNoStart() public {
        bytes32 ph = binding.programHash();
        bytes32 noStart = game.NO_START();
        vm.deal(liar, S);
        vm.prank(liar);
        vm.expectRevert(abi.encodeWithSelector(BadStartRoot.selector, noStart));
        game.claim{value: S}(ph, input, output, noStart, roots[5], 5);
    }

    /// The RV32IM binding: an input longer than MAX_INPUT (2 KiB) derives NO_START.
    function test_rv32im_inputLongerThanMax_derivesNoStart() public {
        RV32IMClaimBinding rb = new RV32IMClaimBinding(1, 2, 3);
        uint256 max = rb.MAX_INPUT();
        assertEq(rb.startRoot(new bytes(max + 1), ""), game.NO_START());
        assertTrue(rb.startRoot(new bytes(4), "") != game.NO_START());
    }
}
