// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GameBase, AlphabetView} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {AlphabetClaimBinding} from "../../src/alphabet/AlphabetClaimBinding.sol";

/// @notice Red-team attack (attack8) on the challenge queue's promises (SECURITY.md "Challenge queue").
///
///         1. The wait bound. SECURITY.md bounded the queued honest challenger H's wait by
///            ceil((q + 1) / slots) (2T + 1) seconds, "a game ends within both clocks". But a slot can
///            also be held by an input request, which ends within `daWindow`, not 2T + 1, and costs
///            the liar nothing (the bond comes back when it answers, or at the rejection). With
///            daWindow > 2T + 1 the liar's sock requests the input of its committed claim, its socks
///            hold the other slots and q = 3 of its entries queue before H: the stated bound is 2T + 1,
///            H's game opens only at 2 (2T + 1). H still wins and is paid B + (1 - b) D; the bound now
///            reads + daWindow when a request is open as H queues (no new request can open while H
///            waits: a queue means every slot is held). The liar still loses.
///
///         2. The liar's fraction with queued bonds counted. A queued sock's bond is refunded in full
///            after the rejection, so counted as a deposit it dilutes the liar's loss below half: with
///            every slot a winning sock, an answered request and 2 queued socks the liar deposits
///            S + 7 B = 17 ETH and loses b S = 7.5 ETH. The loss itself is exactly b S (queued bonds
///            neither pay nor cost it anything): the rule "loses >= 1/2" holds over the deposits the
///            payout rule counts, S + (n_w + n_t + n_r) B, not over queued bonds (SECURITY.md, P7 now
///            say so).
contract QueueWaitBoundTest is GameBase {
    uint256 internal constant N = 40;
    uint32 internal constant LONG_DA = 7 days;

    function _committedGame(uint32 daWindow) internal returns (DisputeGame) {
        DisputeGame.PhaseConfig[] memory ph = new DisputeGame.PhaseConfig[](1);
        ph[0] = DisputeGame.PhaseConfig(3, 1, IArbitrator(address(arbitrator)), IPhaseLink(address(0)));
        DisputeGame.Config memory cfg = DisputeGame.Config(
            CLAIM_BOND, CHALLENGE_BOND, BURN_BPS, CLOCK, WINDOW, daWindow, SLOTS, CHALLENGER_BURN_BPS
        );
        return new DisputeGame(cfg, ph, new AlphabetClaimBinding(new uint256[](0)));
    }

    /// @dev A committed claim, false from step 5 (its final root is not the run's).
    function _lyingCommitted(DisputeGame game, address liar) internal returns (uint256) {
        bytes32 ph = game.binding().programHash();
        vm.deal(liar, CLAIM_BOND);
        vm.prank(liar);
        return game.claimCommitted{value: CLAIM_BOND}(
            ph,
            keccak256(hex"c0ffee"),
            bytes32(N),
            AlphabetView.root(0, 0, 0, 5),
            AlphabetView.root(0, N, 0, 5),
            uint64(N)
        );
    }

    function _ctx(DisputeGame game, uint256 gameId, address claimer) internal view returns (Ctx memory c) {
        c.game = game;
        c.gameId = gameId;
        c.claimer = claimer;
        c.challenger = game.games(gameId).challenger;
        c.claimerLie = 5;
        c.challengerLie = type(uint256).max;
    }

    /// @dev The liar's slowest thrown game: its claimer posts at the last second of its clock, its sock
    ///      never answers, the game ends by `timeout` at opening + 2T + 1.
    function _throwSlowly(DisputeGame game, uint256[] memory ids, address liar) internal {
        uint256 opened = game.games(ids[0]).lastMove;
        vm.warp(opened + CLOCK);
        for (uint256 i; i < ids.length; ++i) {
            _post(_ctx(game, ids[i], liar));
        }
        vm.warp(opened + 2 * uint256(CLOCK) + 1);
        for (uint256 i; i < ids.length; ++i) {
            game.timeout(ids[i]);
        }
    }

    function test_openRequestHoldsASlot_queuedHonestWaitsPastTheGameBound_stillWinsAndIsPaid() public {
        DisputeGame game = _committedGame(LONG_DA);
        address liar = makeAddr("liar");
        uint256 id = _lyingCommitted(game, liar);
        // the liar's sock asks for the input: one slot held until daWindow, at no cost to the liar
        address asker = makeAddr("askerSock");
        vm.deal(asker, CHALLENGE_BOND);
        vm.prank(asker);
        game.requestInput{value: CHALLENGE_BOND}(id);
        uint256[] memory socks = new uint256[](SLOTS - 1);
        for (uint256 i; i < SLOTS - 1; ++i) {
            socks[i] = _challenge(game, address(uint160(0x50c0 + i)), id);
        }
        // q = SLOTS - 1 liar entries queue before H
        uint256 q = SLOTS - 1;
        for (uint256 i; i < q; ++i) {
            assertEq(_challenge(game, address(uint160(0x5100 + i)), id), 0);
        }
        address h = makeAddr("honest");
        uint256 t0 = block.timestamp;
        assertEq(_challenge(game, h, id), 0, "H queued");
        assertEq(game.queued(id, q), h);

        uint256 period = 2 * uint256(CLOCK) + 1;
        uint256 oldBound = ((q + 1 + SLOTS - 1) / SLOTS) * period; // ceil((q + 1) / slots) (2T + 1)
        _throwSlowly(game, socks, liar);
        assertEq(block.timestamp, t0 + oldBound);
        assertEq(game.queued(id, q), h, "past the old bound H still waits: the request's slot did not cycle");

        // the liar's queued entries got the freed slots; it throws them as slowly
        uint256[] memory next = new uint256[](q);
        for (uint256 i; i < q; ++i) {
            next[i] = game.gameCount() - (q - 1) + i;
            assertEq(game.games(next[i]).challenger, address(uint160(0x5100 + i)));
        }
        _throwSlowly(game, next, liar);
        uint256 hg = game.gameCount(); // the first pop of this round is H's, the others free their slots
        assertEq(game.games(hg).challenger, h, "H's game opened");
        uint256 waited = game.games(hg).lastMove - t0;
        assertGt(waited, oldBound, "the old statement undercounted an open request");
        // SECURITY.md's bound with an open request: daWindow + ceil((q + 1) / slots) (2T + 1)
        assertLe(waited, uint256(LONG_DA) + oldBound);
        assertEq(uint8(game.claims(id).availability), uint8(DisputeGame.Availability.Requested));

        // H wins against the lying claimer (it cannot prove its false leaf and stalls) and is paid
        vm.warp(block.timestamp + CLOCK + 1);
        game.timeout(hg);
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(game.credit(h), CHALLENGE_BOND + SLOT - (SLOT * BURN_BPS) / 10_000, "H: B + (1 - b) D");
        // the request cost the liar nothing: its bond is back
        assertEq(game.credit(asker), CHALLENGE_BOND);
    }

    /// With a short DA window (<= 2T + 1) the request's slot cycles like a game's: the old bound holds.
    function test_shortDaWindow_requestSlotCyclesWithinTheGameBound() public {
        DisputeGame game = _committedGame(uint32(2 * uint256(CLOCK) + 1));
        address liar = makeAddr("liar");
        uint256 id = _lyingCommitted(game, liar);
        address asker = makeAddr("askerSock");
        vm.deal(asker, CHALLENGE_BOND);
        vm.prank(asker);
        game.requestInput{value: CHALLENGE_BOND}(id);
        uint256[] memory socks = new uint256[](SLOTS - 1);
        for (uint256 i; i < SLOTS - 1; ++i) {
            socks[i] = _challenge(game, address(uint160(0x50c0 + i)), id);
        }
        uint256 q = SLOTS - 1;
        for (uint256 i; i < q; ++i) {
            _challenge(game, address(uint160(0x5100 + i)), id);
        }
        address h = makeAddr("honest");
        uint256 t0 = block.timestamp;
        _challenge(game, h, id);
        _throwSlowly(game, socks, liar); // pops the q liar entries at t0 + 2T + 1
        // the liar must answer by its DA deadline (= now): publishing frees the request's slot for H
        vm.prank(liar);
        game.publishInput(id, hex"c0ffee");
        uint256 hg = game.gameCount();
        assertEq(game.games(hg).challenger, h);
        assertLe(game.games(hg).lastMove - t0, 2 * uint256(CLOCK) + 1);
    }

    function test_queuedSockBonds_refundedExactly_liarLossIsBS() public {
        DisputeGame game = _committedGame(DA_WINDOW);
        address liar = makeAddr("liar");
        uint256 id = _lyingCommitted(game, liar);
        uint256 deposits = CLAIM_BOND;
        // an answered request (refunded)
        address asker = makeAddr("askerSock");
        vm.deal(asker, CHALLENGE_BOND);
        vm.prank(asker);
        game.requestInput{value: CHALLENGE_BOND}(id);
        vm.prank(liar);
        game.publishInput(id, hex"c0ffee");
        deposits += CHALLENGE_BOND;
        // every slot a sock that wins, two more socks queued
        address[] memory socks = new address[](SLOTS + 2);
        uint256[] memory games = new uint256[](SLOTS);
        for (uint256 i; i < SLOTS + 2; ++i) {
            socks[i] = address(uint160(0x50c0 + i));
            uint256 gid = _challenge(game, socks[i], id);
            if (i < SLOTS) games[i] = gid;
            else assertEq(gid, 0);
            deposits += CHALLENGE_BOND;
        }
        uint256 queuedDeposits = 2 * uint256(CHALLENGE_BOND);
        // the claimer never moves: every sock wins on the clock
        vm.warp(block.timestamp + CLOCK + 1);
        for (uint256 i; i < SLOTS; ++i) {
            game.timeout(games[i]);
        }
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        game.refundQueued(id, 0);
        game.refundQueued(id, 1);
        uint256 back = game.credit(liar) + game.credit(asker);
        for (uint256 i; i < SLOTS + 2; ++i) {
            back += game.credit(socks[i]);
        }
        for (uint256 i; i < 2; ++i) {
            assertEq(game.credit(socks[SLOTS + i]), CHALLENGE_BOND, "queued sock: B back, nothing more");
        }
        uint256 loss = deposits - back;
        assertEq(loss, (uint256(CLAIM_BOND) * BURN_BPS) / 10_000, "the liar loses exactly b S");
        // the payout rule's deposits (queued bonds excluded): the liar loses at least half of them
        assertGe(2 * loss, deposits - queuedDeposits);
        // counted as deposits, refundable queued bonds dilute the fraction (why SECURITY.md excludes them)
        assertLt(2 * loss, deposits);
    }
}
