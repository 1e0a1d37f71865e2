// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GameBase, AlphabetView} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";

/// @notice ATTACK (red team, minor): a winning binding move goes unpaid although it frees a slot.
///         `_bindingWon` decides `paid = slotsUsed < slots` BEFORE `_reject`, and `_reject` then
///         releases the slot of a pending input request and burns its D. With the 4 slots held by
///         the liar's socks (one input request + three challenges), the honest party whose
///         disputeOutput rejects the false claim is paid 0, while after its own move a slot is free
///         and that slot's D = 1 ETH goes to the burn. The rule (SECURITY.md) says "caller: (1 - b) D
///         if a slot is free". Smallest fix: settle the pending request first (or count its slot as
///         free) and then decide `paid`.
contract BindingMoveUnpaidTest is GameBase {
    function test_attack_bindingMoveUnpaid_whileItsRejectionFreesASlot() public {
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
        assertEq(c.slotsUsed, SLOTS - 1, "the move itself freed the request's slot");
        assertEq(game.credit(honest), 0, "ATTACK: the winning binding move is not paid");
        assertEq(game.burned() - burned0, SLOT, "the freed slot's D was burned instead");
    }
}
