// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {stdJson} from "forge-std/StdJson.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {GraphClaimBinding} from "../../src/link/GraphClaimBinding.sol";
import {LongPromptClaimBase} from "./LongPromptClaim.sol";

/// @dev The liar's contract: it names the honest wallet as the mover of whatever it asks the binding
///      (GraphClaimBinding `_mover` believes any caller's `bindingMover()`), and forwards binding moves.
contract SpoofMover {
    address public immutable named;

    constructor(address named_) {
        named = named_;
    }

    function bindingMover() external view returns (address) {
        return named;
    }

    function read(GraphClaimBinding b, bytes calldata input, bytes calldata aux) external view returns (bytes32) {
        return b.startRoot(input, aux);
    }

    function move(DisputeGame g, uint256 id, bytes calldata input, bytes calldata aux) external {
        g.disputeStart(id, input, aux);
    }
}

/// @notice Red team (attack7), a test the liar LOSES. Attack: GraphClaimBinding resumes a start root from
///         the partial roots of whatever mover its CALLER names (`bindingMover()`), and any contract can
///         name one. The liar's contract names the honest wallet that paid for the 15 `advance` chunks of
///         a 128-token prompt (~177M gas) and tries to take the binding reward with one cheap resumed move.
///         It loses: naming H reads H's root only in a view of its own (a root anyone can derive), while
///         the real game asks the binding with ITSELF as caller and names its own `disputeStart` caller,
///         so the liar's move through the game reverts NoPartialRoot; the honest wallet's move is paid.
contract BindingMoverSpoofTest is LongPromptClaimBase {
    using stdJson for string;

    function test_contractNamingTheHonestMover_cannotTakeTheBindingReward() public {
        address honest = makeAddr("honest");
        _honestChunks(honest, honest);
        bytes memory resume = _resume();
        SpoofMover spoof = new SpoofMover(honest);
        // the spoof reads the honest wallet's partial root in its own view: the true start root, nothing more
        assertEq(spoof.read(b, input, resume), j.readBytes32(".graphs[2].startRoot"));
        // through the game it is its own mover: no chunks of its own
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        spoof.move(g, id, input, resume);
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Pending));
        // the honest wallet finishes its derivation and is paid (1 - b) D
        vm.prank(honest, honest);
        g.disputeStart(id, input, resume);
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(g.credit(honest), SLOT - (SLOT * BURN_BPS) / 10_000);
        assertEq(g.credit(address(spoof)), 0);
        assertEq(g.bindingMover(), address(0), "the mover is cleared after the move");
    }
}
