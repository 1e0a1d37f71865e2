// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {GraphClaimBinding} from "../../src/link/GraphClaimBinding.sol";
import {LongPromptClaimBase} from "./LongPromptClaim.sol";

/// @notice Red-team attack (attack3), now a test the liar LOSES.
///         Attack: a long prompt's start root needs several `advance` transactions before the
///         resumed `disputeStart`. Partial roots were stored per input only, so after the honest
///         challenger paid for the chunks (15 x ~11.8M gas for stories260K's 128-token prompt), the
///         liar's sock sent the cheap resumed disputeStart first and took the binding reward; the
///         honest challenger was left with its gas spent and nothing paid (TS twin on anvil:
///         protocol/actors/attack/long-prompt.test.ts). Fix: GraphClaimBinding keys partial roots by
///         tx.origin (since attack6: by the mover, RelayedAdvance.t.sol), so only whoever paid for
///         the chunks can finish the move from them.
contract AdvanceFrontRunTest is LongPromptClaimBase {
    function test_sockCannotResumeFromTheHonestChallengersChunks() public {
        address honest = makeAddr("honest");
        address sock = makeAddr("sock");
        _honestChunks(honest, honest);
        bytes memory resume = _resume();
        // the sock's resumed move finds no partial root of its own
        vm.prank(sock, sock);
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        g.disputeStart(id, input, resume);
        // nor can it extend the honest challenger's chunks
        vm.prank(sock, sock);
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        b.advance(input, 120, 128, _slice(aux, 120 * per, 128 * per));
        // the honest challenger finishes its own derivation and is paid
        vm.prank(honest, honest);
        g.disputeStart(id, input, resume);
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertGt(g.credit(honest), 0, "the honest challenger is paid for the binding move");
        assertEq(g.credit(sock), 0);
    }
}
