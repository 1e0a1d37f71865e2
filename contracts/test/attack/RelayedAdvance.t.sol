// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {stdJson} from "forge-std/StdJson.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {GraphClaimBinding} from "../../src/link/GraphClaimBinding.sol";
import {LongPromptClaimBase} from "./LongPromptClaim.sol";

/// @notice Red-team attack (attack6), now a test the liar LOSES.
///         Attack: GraphClaimBinding stored the partial start roots of `advance` under tx.origin
///         (attack3's fix), so every mover whose transactions share an origin shares them: smart
///         wallets sent by one ERC-4337 bundler, users of one relayer (which the liar may run). The
///         honest challenger's wallet paid for the 15 `advance` chunks of a 128-token prompt
///         (~177M gas, ~8.8 ETH at 50 gwei); the liar's wallet, sent by the same bundler, then sent
///         the cheap resumed `disputeStart` and took the binding reward; and the honest wallet, sent
///         by another bundler, could not finish its own derivation (NoPartialRoot).
///         Fix: partial roots are keyed by the mover (`advance`'s msg.sender) and `startRoot` resumes
///         from those of `DisputeGame.bindingMover()`, the caller of the `disputeStart` under way.
contract RelayedAdvanceTest is LongPromptClaimBase {
    using stdJson for string;

    /// Both wallets' transactions come from one bundler (tx.origin): the liar's wallet cannot
    /// resume from the honest wallet's chunks, the honest wallet finishes and is paid.
    function test_sockWalletOnTheSameBundler_cannotResumeFromTheHonestWalletsChunks() public {
        address bundler = makeAddr("bundler");
        address honestWallet = makeAddr("honestWallet");
        address sockWallet = makeAddr("sockWallet");
        _honestChunks(honestWallet, bundler);
        vm.prank(sockWallet, bundler);
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        g.disputeStart(id, input, _resume());
        vm.prank(sockWallet, bundler);
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        b.advance(input, 120, 128, _slice(aux, 120 * per, 128 * per));
        vm.prank(honestWallet, bundler);
        g.disputeStart(id, input, _resume());
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(g.credit(honestWallet), SLOT - (SLOT * BURN_BPS) / 10_000, "the honest wallet is paid (1 - b) D");
        assertEq(g.credit(sockWallet), 0);
        assertEq(g.credit(bundler), 0);
    }

    /// The honest wallet's chunks and its final move are included by different bundlers: the move
    /// still resumes from its own chunks (it used to revert NoPartialRoot).
    function test_honestWallet_finishesThroughAnotherBundler() public {
        address honestWallet = makeAddr("honestWallet");
        _honestChunks(honestWallet, makeAddr("bundlerA"));
        vm.prank(honestWallet, makeAddr("bundlerB"));
        g.disputeStart(id, input, _resume());
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(g.credit(honestWallet), SLOT - (SLOT * BURN_BPS) / 10_000);
    }

    /// A contract that calls `startRoot` itself (not a game under a `disputeStart`) resumes from its
    /// own partial roots only: it cannot name another mover's.
    function test_directCaller_resumesOnlyFromItsOwnChunks() public {
        address honestWallet = makeAddr("honestWallet");
        _honestChunks(honestWallet, honestWallet);
        address other = makeAddr("other");
        vm.prank(other, honestWallet);
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        b.startRoot(input, _resume());
        vm.prank(honestWallet, other);
        assertEq(b.startRoot(input, _resume()), j.readBytes32(".graphs[2].startRoot"));
    }
}
