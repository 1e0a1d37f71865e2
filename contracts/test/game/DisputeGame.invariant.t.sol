// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {GameHandler} from "../actors/GameHandler.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";

/// @notice Invariants of the dispute game under random actors (contracts/test/actors/GameHandler.sol).
contract DisputeGameInvariantTest is StdInvariant, Test {
    GameHandler internal handler;
    DisputeGame internal game;

    function setUp() public {
        handler = new GameHandler();
        game = handler.game();
        targetContract(address(handler));
    }

    /// Total bonds in = paid out + burned + still locked (stakes of pending claims, bonds of open games).
    function invariant_bondsIn_equal_paidOut_plus_burned_plus_locked() public view {
        assertEq(handler.ghostDeposited(), handler.ghostWithdrawn() + address(game).balance);
        assertEq(address(game).balance, handler.locked() + handler.credits() + game.burned());
    }

    function invariant_honestParty_neverLoses() public view {
        assertEq(handler.ghostHonestLosses(), 0);
    }

    function invariant_noMove_outOfTurn_orAfterClock() public view {
        assertEq(handler.ghostBadMovesAccepted(), 0);
    }

    /// Funded slots: a pending claim holds its whole stake, a rejected one exactly the collateral of
    /// the slots its still-open games lock, an accepted one nothing; slots in use = open games.
    function invariant_stakeIsTheLockedSlots() public view {
        uint256 d = game.slotCollateral();
        for (uint256 c = 1; c <= game.claimCount(); ++c) {
            DisputeGame.Claim memory cl = game.claims(c);
            assertEq(cl.slotsUsed, cl.openGames);
            if (cl.status == DisputeGame.ClaimStatus.Pending) assertEq(cl.stake, game.claimBond());
            else if (cl.status == DisputeGame.ClaimStatus.Rejected) assertEq(cl.stake, uint256(cl.slotsUsed) * d);
            else assertEq(cl.stake, 0);
        }
    }

    /// The challenge queue: while a claim is pending a non-empty queue means every slot is held, an
    /// accepted claim never has one, and queued challengers get their games first come, first served.
    function invariant_queueOnlyBehindFullSlots_neverFinalized() public view {
        for (uint256 c = 1; c <= game.claimCount(); ++c) {
            DisputeGame.Claim memory cl = game.claims(c);
            uint256 len = cl.queueTail - cl.queueHead;
            if (cl.status == DisputeGame.ClaimStatus.Pending && len > 0) assertEq(cl.slotsUsed, game.slots());
            if (cl.status == DisputeGame.ClaimStatus.Accepted) assertEq(len, 0);
        }
        assertEq(handler.ghostQueueOrderBroken(), 0);
    }

    /// Open-game counters agree with the games.
    function invariant_openGames_matchGames() public view {
        uint256 n = handler.gameCountLocal();
        uint256[] memory open = new uint256[](9);
        for (uint256 i; i < n; ++i) {
            (uint256 gid,, uint256 claimId) = handler.ctxAt(i);
            DisputeGame.GameStatus s = game.games(gid).status;
            if (s == DisputeGame.GameStatus.ClaimerToMove || s == DisputeGame.GameStatus.ChallengerToMove) {
                open[claimId]++;
            }
        }
        for (uint256 c = 1; c <= game.claimCount(); ++c) {
            assertEq(game.claims(c).openGames, open[c]);
        }
    }
}
