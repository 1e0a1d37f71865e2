// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {ArbitrationRejected} from "../../src/game/Errors.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {AlphabetClaimBinding} from "../../src/alphabet/AlphabetClaimBinding.sol";

/// @notice A one-phase game (k = 1, leaves of m steps) over N = 2m steps whose leaf is settled by a zk
///         arbitrator, played from a fixture of real roots and proofs (zk/prover/fixtures.ts):
///         roots[i] = state after step i of the interval, proofs[j] proves [j*m, (j+1)*m].
abstract contract ZkGameBase is Test {
    uint96 internal constant CLAIM_BOND = 1 ether;
    uint96 internal constant CHALLENGE_BOND = 0.1 ether;
    uint16 internal constant BURN_BPS = 2500;
    uint32 internal constant CLOCK = 1 days;

    address internal claimer = makeAddr("claimer");
    address internal challenger = makeAddr("challenger");

    function _game(IArbitrator arb, uint64 m) internal returns (DisputeGame) {
        DisputeGame.PhaseConfig[] memory ph = new DisputeGame.PhaseConfig[](1);
        ph[0] = DisputeGame.PhaseConfig(1, m, arb, IPhaseLink(address(0)));
        // the zk leaf tests need no binding move: any binding fixes the program hash
        return new DisputeGame(
            DisputeGame.Config(CLAIM_BOND, CHALLENGE_BOND, BURN_BPS, CLOCK, 1 hours, 30 minutes, 1, BURN_BPS),
            ph,
            new AlphabetClaimBinding(new uint256[](0))
        );
    }

    /// @dev Claim start -> fin over 2m steps, a challenge, the claimer's checkpoint `mid` (step m) and
    ///      the challenger's pick of segment `index` (0 = [0, m], 1 = [m, 2m]). Returns the game id.
    function _playToLeaf(DisputeGame game, bytes32 start, bytes32 mid, bytes32 fin, uint64 m, uint256 index)
        internal
        returns (uint256 gameId)
    {
        bytes32 ph = game.binding().programHash();
        vm.deal(claimer, CLAIM_BOND);
        vm.prank(claimer);
        uint256 claimId = game.claim{value: CLAIM_BOND}(ph, hex"", bytes32(0), start, fin, 2 * m);
        vm.deal(challenger, CHALLENGE_BOND);
        vm.prank(challenger);
        gameId = game.challenge{value: CHALLENGE_BOND}(claimId);
        bytes32[] memory cps = new bytes32[](1);
        cps[0] = mid;
        vm.prank(claimer);
        game.postCheckpoints(gameId, start, fin, cps);
        DisputeGame.Pick memory p;
        (p.pre, p.post, p.cpRoot, p.index) = (start, fin, mid, index);
        if (index == 0) p.right = mid;
        else p.left = mid;
        vm.prank(challenger);
        game.chooseSegment(gameId, p);
    }

    /// @dev A dishonest challenger disputes the honest leaf [m, 2m]; the claimer's proof of [0, m] is
    ///      rejected there, the right proof wins, and the bonds are paid out.
    function _honestClaimerWins(IArbitrator arb, bytes32[] memory roots, bytes[] memory proofs, uint64 m) internal {
        DisputeGame game = _game(arb, m);
        uint256 gameId = _playToLeaf(game, roots[0], roots[m], roots[2 * m], m, 1);
        DisputeGame.Game memory g = game.games(gameId);
        assertEq(g.lo, m);
        assertEq(g.hi, 2 * m);
        assertEq(g.level, 0);

        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(ArbitrationRejected.selector, gameId, roots[m], roots[2 * m], m));
        game.proveLeaf(gameId, roots[m], roots[2 * m], proofs[0]);

        vm.prank(claimer);
        game.proveLeaf(gameId, roots[m], roots[2 * m], proofs[1]);
        assertEq(uint8(game.games(gameId).status), uint8(DisputeGame.GameStatus.ClaimerWon));

        uint256 burn = uint256(CHALLENGE_BOND) * BURN_BPS / 10_000;
        assertEq(game.credit(claimer), CHALLENGE_BOND - burn);
        uint256 before = claimer.balance;
        vm.prank(claimer);
        game.withdraw();
        assertEq(claimer.balance - before, CHALLENGE_BOND - burn);
        assertEq(game.burned(), burn);
        vm.warp(block.timestamp + 2 hours);
        game.finalizeClaim(1);
        assertEq(game.credit(claimer), CLAIM_BOND);
    }

    /// @dev The claimer lies about the final root; at the leaf [m, 2m] no proof of its post-root exists,
    ///      so the honest proof is rejected for it and the challenger wins on the claimer's clock.
    function _dishonestClaimerLoses(IArbitrator arb, bytes32[] memory roots, bytes[] memory proofs, uint64 m) internal {
        DisputeGame game = _game(arb, m);
        bytes32 lie = bytes32(uint256(roots[2 * m]) ^ 1);
        uint256 gameId = _playToLeaf(game, roots[0], roots[m], lie, m, 1);
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(ArbitrationRejected.selector, gameId, roots[m], lie, m));
        game.proveLeaf(gameId, roots[m], lie, proofs[1]);
        vm.warp(block.timestamp + CLOCK + 1);
        game.timeout(gameId);
        assertEq(uint8(game.games(gameId).status), uint8(DisputeGame.GameStatus.ChallengerWon));
        uint256 burn = uint256(CLAIM_BOND) * BURN_BPS / 10_000;
        assertEq(game.credit(challenger), CHALLENGE_BOND + CLAIM_BOND - burn);
        assertEq(uint8(game.claims(1).status), uint8(DisputeGame.ClaimStatus.Rejected));
    }
}
