// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GameBase} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {NoFreeSlot, GamesOpen, ChallengeWindowOpen} from "../../src/game/Errors.sol";

/// @notice A liar's contract that holds a claim's slots: it ends one of its own thrown games
///         (`timeout`, its clock ran out) and takes the freed slot again in the SAME transaction, so
///         the slot is never free between transactions.
contract Churner {
    DisputeGame internal immutable game;
    uint256 internal immutable claimId;

    constructor(DisputeGame g, uint256 id) payable {
        game = g;
        claimId = id;
    }

    function take() external returns (uint256) {
        return game.challenge{value: game.challengeBond()}(claimId);
    }

    function churn(uint256 gameId) external returns (uint256) {
        game.timeout(gameId);
        return game.challenge{value: game.challengeBond()}(claimId);
    }
}

/// @notice Red-team attack (attack6) that LOSES (liveness only, SECURITY.md "Known cost"): a liar
///         whose contract holds every slot and re-takes each freed one atomically keeps the honest
///         challenger H out (its `challenge` reverts NoFreeSlot at every block) and its false claim
///         pending, but never Accepted: finalization needs every game over, and every game the
///         claimer wins reopens the window. Each churned game costs the liar b_c B = 0.5 ETH (its
///         claimer address gets (1 - b_c) B of the sock's B back) per at most two clocks (its own
///         and the sock's) per slot: 4 x 0.5 ETH per 2 days at the defaults with a 1-day clock.
///         When it stops, H challenges in the reopened window, wins and is paid B + (1 - b) D.
contract SlotChurnTest is GameBase {
    uint256 internal constant N = 40;

    function test_atomicSlotChurn_keepsTheClaimPending_neverAccepted_thenHonestWins() public {
        DisputeGame game = _single(3, 1);
        address liar = makeAddr("liar");
        uint256 id = _claim(game, liar, N, 0, 5); // false from step 5
        Churner ch = new Churner{value: 100 ether}(game, id);
        uint256[] memory games = new uint256[](SLOTS);
        for (uint256 i; i < SLOTS; ++i) {
            games[i] = ch.take();
        }
        address h = makeAddr("honest");
        vm.deal(h, CHALLENGE_BOND);
        uint256 cycles = 5;
        for (uint256 r; r < cycles; ++r) {
            for (uint256 i; i < SLOTS; ++i) {
                // the liar's claimer posts its (lying) roots; its sock never answers
                _post(_ctx(game, games[i], liar, address(ch)));
            }
            vm.warp(block.timestamp + CLOCK + 1);
            for (uint256 i; i < SLOTS; ++i) {
                games[i] = ch.churn(games[i]);
                // the game's end reopened the window, but between the liar's transactions every
                // slot is held: H is refused
                vm.prank(h);
                vm.expectRevert(abi.encodeWithSelector(NoFreeSlot.selector, id));
                game.challenge{value: CHALLENGE_BOND}(id);
            }
            vm.expectRevert(abi.encodeWithSelector(ChallengeWindowOpen.selector, id, game.claims(id).deadline));
            game.finalizeClaim(id);
        }
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Pending));
        // what the churn cost the liar: cycles x slots thrown games at b_c B each
        uint256 spent = 100 ether - address(ch).balance; // the bonds still locked + the thrown ones
        uint256 back = game.credit(liar); // (1 - b_c) B per thrown game
        uint256 thrown = cycles * SLOTS;
        assertEq(spent, (thrown + SLOTS) * CHALLENGE_BOND);
        assertEq(back, thrown * (CHALLENGE_BOND - (CHALLENGE_BOND * CHALLENGER_BURN_BPS) / 10_000));
        assertEq(spent - SLOTS * CHALLENGE_BOND - back, thrown * CHALLENGE_BOND / 2, "b_c B per churned game");
        // the liar stops churning: its last thrown games end, the window is open again for H
        for (uint256 i; i < SLOTS; ++i) {
            _post(_ctx(game, games[i], liar, address(ch)));
        }
        vm.warp(block.timestamp + CLOCK + 1);
        for (uint256 i; i < SLOTS; ++i) {
            game.timeout(games[i]);
        }
        vm.expectRevert(abi.encodeWithSelector(ChallengeWindowOpen.selector, id, game.claims(id).deadline));
        game.finalizeClaim(id);
        vm.prank(h);
        uint256 hg = game.challenge{value: CHALLENGE_BOND}(id);
        // the liar cannot prove its false leaf: it stalls and loses on its clock
        vm.warp(block.timestamp + CLOCK + 1);
        game.timeout(hg);
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(game.credit(h), CHALLENGE_BOND + SLOT - (SLOT * BURN_BPS) / 10_000, "H: B + (1 - b) D");
    }

    function _ctx(DisputeGame game, uint256 gameId, address claimer, address challenger)
        internal
        pure
        returns (Ctx memory c)
    {
        c.game = game;
        c.gameId = gameId;
        c.claimer = claimer;
        c.challenger = challenger;
        c.claimerLie = 5;
        c.challengerLie = type(uint256).max;
    }
}
