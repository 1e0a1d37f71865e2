// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GameBase, AlphabetView} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";

/// @notice Red-team attack (issue 11 follow-up, minor), now a test the liar LOSES.
///         Attack: with the 4 slots held by the liar's socks (one input request + three challenges),
///         the honest party whose disputeOutput rejects the false claim was paid 0: `_bindingWon`
///         decided `paid = slotsUsed < slots` BEFORE `_reject` released the pending request's slot,
///         and that slot's D went to the burn. Fix: `_bindingWon` settles the pending request first
///         (refund, slot released), then decides `paid`, so the move takes the freed slot.
contract BindingMoveUnpaidTest is GameBase {
    function test_bindingMove_isPaid_whenItsRejectionFreesTheRequestSlot() public {
        DisputeGame game = _single(1, 1);
        uint256 n = 10;
        bytes32 ph = game.binding().programHash();
        address liar = makeAddr("liar");
        vm.deal(liar, CLAIM_BOND);
        vm.prank(liar);
        // false output n + 1 for the true final state after n steps
        uint256 id = game.claimCommitted{value: CLAIM_BOND}(
            ph, keccak256(hex"c0ffee"), bytes32(n + 1), AlphabetView.state(0), AlphabetView.state(n), uint64(n)
        );
        address req = makeAddr("sockRequester");
        vm.deal(req, CHALLENGE_BOND);
        vm.prank(req);
        game.requestInput{value: CHALLENGE_BOND}(id);
        for (uint256 i; i < 3; ++i) {
            _challenge(game, makeAddr(string.concat("sock", vm.toString(i))), id);
        }
        assertEq(game.claims(id).slotsUsed, SLOTS, "all slots held by socks");

        address honest = makeAddr("honest");
        uint256 burned0 = game.burned();
        vm.prank(honest);
        game.disputeOutput(id, abi.encode(n));
        DisputeGame.Claim memory c = game.claims(id);
        assertEq(uint8(c.status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(c.slotsUsed, SLOTS - 1, "the three sock games hold their slots");
        assertEq(game.credit(honest), SLOT - SLOT * BURN_BPS / 10_000, "the winning binding move is paid (1 - b) D");
        assertEq(game.credit(req), CHALLENGE_BOND, "the moot request is refunded");
        assertEq(
            game.burned() - burned0,
            SLOT * BURN_BPS / 10_000,
            "only b D of the move's slot is burned (no unlocked stake left)"
        );
    }
}
