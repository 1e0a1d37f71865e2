// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test, console} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {GraphVmLink} from "../../src/link/GraphVmLink.sol";
import {GraphClaimBinding} from "../../src/link/GraphClaimBinding.sol";
import {AlphabetArbitrator} from "../../src/alphabet/AlphabetArbitrator.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {MerkleTestLib} from "../game/GameBase.sol";

/// @notice ATTACK (red team): a griefing challenger makes an HONEST claimer lose money.
///         Real MNIST claim (bindings.json graphs[0] = graph_link_mnist.json: same run, start root,
///         final root and output), real GraphClaimBinding, real GraphVmLink, the payout defaults of
///         protocol/economics/payout.ts (S = 4 ETH / 4 slots, B = 0.1 ETH, b = 75 %).
///         The griefer challenges the TRUE claim and steers the graph phase to the op whose link
///         opening is the most expensive (op 3, ~2.9M gas). The honest claimer must post checkpoints
///         and `openSubgame` (else it loses its 4 ETH stake on its clock): ~3M gas, ~0.15 ETH at the
///         project's own honest gas price of 50 gwei (HONEST_GAS_PRICE), before any VM round or leaf
///         proof. The most a claimer is credited for a game it wins is (1 - b) B = 0.025 ETH
///         (DisputeGame._resolve), so the honest side loses >= 0.125 ETH per game while the griefer
///         risks B = 0.1 ETH. The payout rule (checkPayoutRule) checks that a CHALLENGER's gas is
///         covered, never the claimer's defence. With 4 slots the griefer runs 4 games at once, and
///         every game it loses re-opens the challenge window, so it repeats as long as it pays B.
///         The test asserts the win (claimer's cost > the most it can be credited); it fails once fixed.
///         The phase-1 arbitrator (AlphabetArbitrator) is never reached: the test stops at the
///         sub-game opening (the honest claimer's further moves only add to its cost).
contract GriefHonestClaimerTest is Test {
    using stdJson for string;

    uint96 internal constant S = 4 ether;
    uint96 internal constant B = 0.1 ether;
    uint16 internal constant BURN_BPS = 7500;
    uint16 internal constant SLOTS = 4;
    uint32 internal constant CLOCK = 1 days;
    uint256 internal constant GAS_PRICE = 50 gwei; // protocol/economics/payout.ts HONEST_GAS_PRICE

    string internal lj;
    string internal bj;
    DisputeGame internal game;
    bytes32[6] internal roots; // the true graph roots after 0..5 ops
    address internal claimer = makeAddr("honestClaimer");
    address internal griefer = makeAddr("griefer");
    uint256 internal claimId;
    uint256 internal gid;
    uint256 internal claimerGas;

    function setUp() public {
        lj = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/graph_link_mnist.json"));
        bj = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/bindings.json"));
        GraphVmLink link = new GraphVmLink(
            lj.readBytes32(".opsRoot"), lj.readUint(".opCount"), lj.readUint(".depth"), lj.readUint(".m"),
            uint256(lj.readBytes32(".core0")), uint256(lj.readBytes32(".mem0")), uint256(lj.readBytes32(".code0"))
        );
        string memory p = ".graphs[0]";
        GraphClaimBinding binding = new GraphClaimBinding(
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
        ph[1] = DisputeGame.PhaseConfig(3, uint64(lj.readUint(".m")), IArbitrator(address(new AlphabetArbitrator())), IPhaseLink(address(0)));
        game = new DisputeGame(DisputeGame.Config(S, B, BURN_BPS, CLOCK, 1 hours, 30 minutes, SLOTS), ph, binding);
        for (uint256 t; t < 5; ++t) roots[t] = lj.readBytes32(string.concat(".cases[", vm.toString(t), "].pre"));
        roots[5] = lj.readBytes32(".cases[4].post");
    }

    function _cps(uint256[] memory idx) internal view returns (bytes32[] memory r) {
        r = new bytes32[](idx.length);
        for (uint256 i; i < idx.length; ++i) r[i] = roots[idx[i]];
    }

    function _pick(bytes32 pre, bytes32 post, bytes32[] memory cps, uint256 index)
        internal
        pure
        returns (DisputeGame.Pick memory p)
    {
        p.pre = pre;
        p.post = post;
        p.cpRoot = MerkleTestLib.root(cps);
        p.index = index;
        if (index > 0) (p.left, p.leftProof) = (cps[index - 1], MerkleTestLib.proof(cps, index - 1));
        if (index < cps.length) (p.right, p.rightProof) = (cps[index], MerkleTestLib.proof(cps, index));
    }

    function test_attack_griefer_makesHonestClaimerLoseMoney() public {
        // the honest, true claim (every binding move on it reverts: BindingsTest)
        string memory p = ".graphs[0]";
        assertEq(bj.readBytes32(string.concat(p, ".startRoot")), roots[0], "fixtures: same run");
        assertEq(bj.readBytes32(string.concat(p, ".finalRoot")), roots[5], "fixtures: same run");
        vm.deal(claimer, S);
        bytes32 ph = game.binding().programHash();
        bytes memory input = bj.readBytes(string.concat(p, ".input"));
        bytes32 output = bj.readBytes32(string.concat(p, ".output"));
        vm.prank(claimer);
        claimId = game.claim{value: S}(ph, input, output, roots[0], roots[5], 5);
        bytes memory aux = bj.readBytes(string.concat(p, ".aux"));
        vm.expectRevert(); // the start root is right: no binding move against it
        game.disputeStart(claimId, input, aux);

        vm.deal(griefer, B);
        vm.prank(griefer);
        gid = game.challenge{value: B}(claimId);

        _graphRounds();
        _openAndTimeout();
        _settle();
    }

    function _graphRounds() internal {
        // level 2 (width 4): one checkpoint at 4
        uint256[] memory i2 = new uint256[](1);
        i2[0] = 4;
        bytes32[] memory c2 = _cps(i2);
        vm.prank(claimer);
        uint256 g0 = gasleft();
        game.postCheckpoints(gid, roots[0], roots[5], c2);
        claimerGas += g0 - gasleft();
        vm.prank(griefer);
        game.chooseSegment(gid, _pick(roots[0], roots[5], c2, 0)); // [0, 4] although it agrees
        // level 1 (width 1): checkpoints at 1, 2, 3
        uint256[] memory i1 = new uint256[](3);
        (i1[0], i1[1], i1[2]) = (1, 2, 3);
        bytes32[] memory c1 = _cps(i1);
        vm.prank(claimer);
        g0 = gasleft();
        game.postCheckpoints(gid, roots[0], roots[4], c1);
        claimerGas += g0 - gasleft();
        vm.prank(griefer);
        game.chooseSegment(gid, _pick(roots[0], roots[4], c1, 3)); // [3, 4]: the costliest op's opening
        DisputeGame.Game memory g = game.games(gid);
        assertEq(g.lo, 3);
        assertEq(g.level, 0);
    }

    function _openAndTimeout() internal {

        // the honest claimer has to open the VM sub-game of op 3 (or lose the stake on its clock)
        string memory c = ".cases[3]";
        bytes32 vmStart = lj.readBytes32(string.concat(c, ".start"));
        bytes32 vmEnd = lj.readBytes32(string.concat(c, ".end"));
        uint64 vmSteps = uint64(lj.readUint(string.concat(c, ".steps")));
        bytes memory linkProof = lj.readBytes(string.concat(c, ".proof"));
        vm.prank(claimer);
        uint256 g0 = gasleft();
        game.openSubgame(gid, roots[3], roots[4], vmStart, vmEnd, vmSteps, linkProof);
        claimerGas += g0 - gasleft();

        DisputeGame.Game memory g = game.games(gid);
        assertEq(g.phase, 1, "VM sub-game open");
        assertEq(uint8(g.status), uint8(DisputeGame.GameStatus.ClaimerToMove));
    }

    function _settle() internal view {

        // The most a claimer is ever credited for a game it wins is (1 - b) B (DisputeGame._resolve).
        uint256 maxCredit = uint256(game.challengeBond()) - (uint256(game.challengeBond()) * game.burnBps()) / 10_000;
        uint256 spent = claimerGas * GAS_PRICE; // execution gas only (no 21k base, no calldata): a lower bound
        console.log("honest claimer: gas so far (execution only)", claimerGas);
        console.log("honest claimer: spent wei at 50 gwei       ", spent);
        console.log("honest claimer: max credit if it wins      ", maxCredit);
        console.log("griefer: bond at risk                      ", uint256(B));
        assertEq(maxCredit, 0.025 ether, "(1 - b) B");
        assertGt(spent, maxCredit, "ATTACK: the honest claimer's defence costs more than it can ever win");
        assertGt(spent, 5 * maxCredit, "by a wide margin");
        // the true claim is held pending meanwhile; the griefer can do this in all 4 slots at once
        assertEq(uint8(game.claims(claimId).status), uint8(DisputeGame.ClaimStatus.Pending));
    }
}
