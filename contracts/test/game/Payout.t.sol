// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GameBase, AlphabetView} from "./GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import "../../src/game/Errors.sol";

/// @notice The "funded slots" payout rule (DisputeGame NatSpec, SECURITY.md) against sock puppets.
///         A lying claimer controls any number of sock addresses that challenge, request its input
///         or make binding moves, in any order, and decides the outcome of every sock game (the sock
///         wins: the claimer stalls or loses; the sock throws: it stalls, or disputes the true segment
///         and loses to the claimer's proof). One honest challenger H arrives at a random point and,
///         when no slot is free, waits until one is. Three lies: a false final root (H plays the
///         bisection game), a false start root, a false output (H makes the binding move, only when a
///         slot is free, so it is paid). Properties, for every fuzzed run:
///          - the claim ends Rejected;
///          - the liar's addresses together get back at most half of what they deposited;
///          - H, if it acted, is credited at least its bond plus its gas at 50 gwei, where its gas is
///            measured here: gasleft() deltas of its own calls + 21,000 intrinsic + 20,000 calldata per tx;
///          - an honest claimer against any number of griefers ends Accepted with its stake back.
contract PayoutTest is GameBase {
    uint256 internal constant HONEST = AlphabetView.HONEST;
    uint256 internal constant N = 40;
    uint256 internal constant GAS_PRICE = 50 gwei;
    uint256 internal constant TX_OVERHEAD = 41_000;

    enum Lie {
        FinalRoot,
        StartRoot,
        Output
    }

    enum Role {
        Challenge,
        RequestInput,
        BindingMove
    }

    enum Outcome {
        SockWins, // claimer stalls (or plays a lie and gets stuck)
        SockStalls, // thrown: the sock's clock runs out
        SockContrarian // thrown: the sock disputes a true segment and loses to the proof
    }

    struct Run {
        DisputeGame game;
        uint256 claimId;
        Lie lie;
        uint256 lieFrom;
        address liar;
        address h;
        uint256 seed;
        bool committed;
        bool withhold;
        // accounting
        uint256 liarDeposits;
        address[] liarAddrs;
        uint256 hGas;
        uint256 hTxs;
        bool hActed;
        // games
        Ctx[] ctxs;
        uint8[] stall; // 0 none, 1 claimer stalls, 2 challenger stalls
        bool[] isH;
        uint256 nGames;
    }

    function _rand(Run memory r, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(r.seed, salt)));
    }

    function _newRun(uint256 seed, Lie lie, bool committed) internal returns (Run memory r) {
        r.game = _single(3, 1);
        r.lie = lie;
        r.seed = seed;
        r.liar = makeAddr("liar");
        r.h = makeAddr("honest");
        r.committed = committed;
        r.withhold = _rand(r, 7) % 2 == 0;
        r.lieFrom = lie == Lie.FinalRoot ? 1 + _rand(r, 1) % N : HONEST;
        r.ctxs = new Ctx[](64);
        r.stall = new uint8[](64);
        r.isH = new bool[](64);
        r.liarAddrs = new address[](40);
        r.liarAddrs[0] = r.liar;
        bytes32 ph = r.game.binding().programHash();
        bytes32 start = lie == Lie.StartRoot ? AlphabetView.state(5) : AlphabetView.state(0);
        bytes32 fin = lie == Lie.StartRoot ? AlphabetView.state(N + 5) : AlphabetView.root(0, N, 0, r.lieFrom);
        bytes32 out = lie == Lie.Output ? bytes32(N + 1) : bytes32(N);
        vm.deal(r.liar, CLAIM_BOND);
        vm.prank(r.liar);
        r.claimId = committed
            ? r.game.claimCommitted{value: CLAIM_BOND}(ph, keccak256(hex"c0ffee"), out, start, fin, uint64(N))
            : r.game.claim{value: CLAIM_BOND}(ph, hex"c0ffee", out, start, fin, uint64(N));
        r.liarDeposits = CLAIM_BOND;
    }

    function _pending(Run memory r) internal view returns (bool) {
        return r.game.claims(r.claimId).status == DisputeGame.ClaimStatus.Pending;
    }

    function _slotFree(Run memory r) internal view returns (bool) {
        return r.game.claims(r.claimId).slotsUsed < SLOTS;
    }

    function _challengeAs(Run memory r, address who, bool honest, uint8 stall, bool contrarian)
        internal
        returns (bool)
    {
        // this driver keeps arrivals waiting for a free slot itself (the queue that `challenge` now
        // offers with every slot held is exercised in contracts/test/attack/SlotChurn.t.sol)
        if (!_slotFree(r)) return false;
        vm.deal(who, who.balance + CHALLENGE_BOND);
        uint256 g0 = gasleft();
        vm.prank(who);
        try r.game.challenge{value: CHALLENGE_BOND}(r.claimId) returns (uint256 gid) {
            if (honest) _hGas(r, g0 - gasleft());
            else r.liarDeposits += CHALLENGE_BOND;
            uint256 i = r.nGames++;
            // the claimer's view is its claim's (lying from lieFrom); the challenger's is honest
            // (a false start root: the claimer's run is the true machine shifted by 5 steps)
            r.ctxs[i] = Ctx(
                r.game,
                gid,
                r.liar,
                who,
                r.lieFrom,
                contrarian ? 1 : HONEST,
                0,
                r.lie == Lie.StartRoot ? 5 : 0,
                contrarian
            );
            r.stall[i] = stall;
            r.isH[i] = honest;
            return true;
        } catch {
            vm.deal(who, who.balance - CHALLENGE_BOND);
            return false;
        }
    }

    function _hGas(Run memory r, uint256 g) internal pure {
        r.hGas += g + TX_OVERHEAD;
        r.hTxs++;
        r.hActed = true;
    }

    /// @dev One sock's action; false if it must wait (no free slot) and retry.
    function _sockAct(Run memory r, address sock, uint256 salt) internal returns (bool done) {
        uint256 x = _rand(r, salt);
        Role role = Role(x % 3);
        if (role == Role.RequestInput) {
            DisputeGame.Claim memory c = r.game.claims(r.claimId);
            if (c.availability != DisputeGame.Availability.Committed) {
                role = Role.Challenge;
            } else {
                vm.deal(sock, sock.balance + CHALLENGE_BOND);
                vm.prank(sock);
                try r.game.requestInput{value: CHALLENGE_BOND}(r.claimId) {
                    r.liarDeposits += CHALLENGE_BOND;
                    return true;
                } catch {
                    vm.deal(sock, sock.balance - CHALLENGE_BOND);
                    return false;
                }
            }
        }
        if (role == Role.BindingMove) {
            if (r.lie == Lie.FinalRoot) {
                role = Role.Challenge;
            } else {
                // a binding move needs a free slot (or the open request's): without one it reverts
                // NoFreeSlot and the sock waits like a challenger (attack6)
                DisputeGame.Claim memory c = r.game.claims(r.claimId);
                if (c.slotsUsed >= SLOTS && c.availability != DisputeGame.Availability.Requested) {
                    vm.prank(sock);
                    vm.expectRevert(abi.encodeWithSelector(NoFreeSlot.selector, r.claimId));
                    if (r.lie == Lie.StartRoot) r.game.disputeStart(r.claimId, hex"c0ffee", "");
                    else r.game.disputeOutput(r.claimId, abi.encode(N));
                    return false;
                }
                vm.prank(sock);
                if (r.lie == Lie.StartRoot) r.game.disputeStart(r.claimId, hex"c0ffee", "");
                else r.game.disputeOutput(r.claimId, abi.encode(N));
                return true;
            }
        }
        Outcome o = Outcome((x >> 8) % 3);
        if (r.lie != Lie.FinalRoot && o == Outcome.SockContrarian) o = Outcome.SockStalls;
        uint8 stall = o == Outcome.SockWins ? ((x >> 16) % 2 == 0 ? 1 : 0) : (o == Outcome.SockStalls ? 2 : 0);
        if (r.lie != Lie.FinalRoot && o == Outcome.SockWins) stall = 1; // its roots are consistent: it wins only by stalling
        return _challengeAs(r, sock, false, stall, o == Outcome.SockContrarian);
    }

    function _hAct(Run memory r) internal returns (bool done) {
        if (!_slotFree(r)) return false; // H waits for a free slot (paid or nothing)
        if (r.lie == Lie.FinalRoot) {
            uint8 stall = _rand(r, 99) % 3 == 0 ? 1 : 0; // the liar may also stall in H's game
            return _challengeAs(r, r.h, true, stall, false);
        }
        uint256 g0 = gasleft();
        vm.prank(r.h);
        if (r.lie == Lie.StartRoot) r.game.disputeStart(r.claimId, hex"c0ffee", "");
        else r.game.disputeOutput(r.claimId, abi.encode(N));
        _hGas(r, g0 - gasleft());
        return true;
    }

    /// @dev Moves every game whose mover does not stall; true if anything moved.
    function _playRound(Run memory r) internal returns (bool moved) {
        for (uint256 i; i < r.nGames; ++i) {
            DisputeGame.Game memory g = r.game.games(r.ctxs[i].gameId);
            bool claimerMoves = g.status == DisputeGame.GameStatus.ClaimerToMove;
            if (!claimerMoves && g.status != DisputeGame.GameStatus.ChallengerToMove) continue;
            if ((claimerMoves && r.stall[i] == 1) || (!claimerMoves && r.stall[i] == 2)) continue;
            uint256[2] memory rr;
            uint256 g0 = gasleft();
            uint256 res = _step(r.ctxs[i], rr);
            if (r.isH[i] && !claimerMoves && res == 0) _hGas(r, g0 - gasleft());
            if (res == 0) moved = true;
            else if (res == 1) r.stall[i] = 1; // the claimer cannot prove its leaf: it stalls from now on
        }
    }

    /// @dev Time runs to the earliest expiring clock (or DA deadline) and it is enforced.
    function _expireNext(Run memory r) internal returns (bool any) {
        uint256 first = type(uint256).max;
        uint256 which;
        for (uint256 i; i < r.nGames; ++i) {
            DisputeGame.Game memory g = r.game.games(r.ctxs[i].gameId);
            uint256 edge;
            if (g.status == DisputeGame.GameStatus.ClaimerToMove) edge = g.lastMove + g.clockClaimer;
            else if (g.status == DisputeGame.GameStatus.ChallengerToMove) edge = g.lastMove + g.clockChallenger;
            else continue;
            if (edge < first) (first, which) = (edge, i);
        }
        DisputeGame.Claim memory c = r.game.claims(r.claimId);
        bool da = c.status == DisputeGame.ClaimStatus.Pending && c.availability == DisputeGame.Availability.Requested;
        if (da && c.inputDeadline < first) {
            if (!r.withhold) {
                vm.prank(r.liar);
                r.game.publishInput(r.claimId, hex"c0ffee");
            } else {
                vm.warp(c.inputDeadline + 1);
                r.game.resolveWithheld(r.claimId);
            }
            return true;
        }
        if (first == type(uint256).max) return false;
        vm.warp(first + 1);
        uint256 g0 = gasleft();
        r.game.timeout(r.ctxs[which].gameId);
        if (r.isH[which]) _hGas(r, g0 - gasleft()); // H enforces its own game's clock
        return true;
    }

    function _drive(Run memory r, uint256 nSocks) internal {
        uint256 hAt = _rand(r, 3) % (nSocks + 1);
        // waiting list: socks in order, H inserted at hAt (index nSocks = H)
        uint256[] memory queue = new uint256[](nSocks + 1);
        for (uint256 i; i <= nSocks; ++i) {
            queue[i] = i < hAt ? i : (i == hAt ? nSocks : i - 1);
        }
        uint256 next;
        bool hDone;
        for (uint256 guard; guard < 2000; ++guard) {
            // arrivals act in order while the claim is pending; one that finds no slot waits
            while (next <= nSocks && _pending(r)) {
                uint256 who = queue[next];
                bool ok;
                if (who == nSocks) {
                    ok = _hAct(r);
                    if (ok) hDone = true;
                } else {
                    address sock = makeAddr(string(abi.encodePacked("sock", who)));
                    r.liarAddrs[1 + who] = sock;
                    ok = _sockAct(r, sock, 1000 + who);
                }
                if (!ok) break;
                ++next;
            }
            if (_playRound(r)) continue;
            if (_expireNext(r)) continue;
            if (!_pending(r) || (next > nSocks)) break;
            revert("stuck: nothing to do while arrivals wait");
        }
        if (_pending(r)) {
            // H acted last (e.g. the window was open): every game is over, finalize must fail for a liar
            assertTrue(false, "a lying claim is still pending after every actor acted");
        }
        assertTrue(hDone || !_pending(r));
    }

    function _settleLiar(Run memory r, uint256 nSocks) internal view returns (uint256 back) {
        back = r.game.credit(r.liar);
        for (uint256 i; i < nSocks; ++i) {
            address a = r.liarAddrs[1 + i];
            if (a != address(0)) back += r.game.credit(a);
        }
    }

    function _checkLiar(Run memory r, uint256 nSocks) internal {
        assertEq(uint8(r.game.claims(r.claimId).status), uint8(DisputeGame.ClaimStatus.Rejected), "claim rejected");
        // every game is over and every slot released
        for (uint256 i; i < r.nGames; ++i) {
            DisputeGame.GameStatus s = r.game.games(r.ctxs[i].gameId).status;
            if (s == DisputeGame.GameStatus.ClaimerToMove || s == DisputeGame.GameStatus.ChallengerToMove) {
                // open games after rejection still end and pay; run them out
                revert("open game left");
            }
        }
        uint256 back = _settleLiar(r, nSocks);
        assertLe(2 * back, r.liarDeposits, "liar recovers at most half of its deposits");
        if (r.hActed) {
            assertGe(
                r.game.credit(r.h),
                CHALLENGE_BOND * (r.lie == Lie.FinalRoot ? 1 : 0) + r.hGas * GAS_PRICE,
                "H paid bond + gas"
            );
        }
        // accounting: the contract holds exactly the outstanding credits and the burn
        assertEq(address(r.game).balance, _allCredits(r, nSocks) + r.game.burned());
    }

    function _allCredits(Run memory r, uint256 nSocks) internal view returns (uint256) {
        return _settleLiar(r, nSocks) + r.game.credit(r.h);
    }

    function testFuzz_lyingClaimer_anySocks_rejected_liarLosesHalf_honestPaid(
        uint256 seed,
        uint8 nSocks,
        uint8 lieKind,
        bool committed
    ) public {
        uint256 n = bound(nSocks, 0, 12);
        Run memory r = _newRun(seed, Lie(lieKind % 3), committed);
        _drive(r, n);
        _checkLiar(r, n);
    }

    /// The sharpest case for the liar: every slot taken by socks that win, H never gets a game:
    /// it is queued, the socks' first win rejects the claim and H's queued bond is refunded in full.
    function test_allSlotsSocksThatWin_liarStillLosesHalf() public {
        Run memory r = _newRun(1, Lie.FinalRoot, false);
        for (uint256 i; i < SLOTS; ++i) {
            address sock = makeAddr(string(abi.encodePacked("sock", i)));
            r.liarAddrs[1 + i] = sock;
            assertTrue(_challengeAs(r, sock, false, 1, false));
        }
        vm.deal(r.h, CHALLENGE_BOND);
        vm.prank(r.h);
        assertEq(r.game.challenge{value: CHALLENGE_BOND}(r.claimId), 0, "H queued");
        vm.expectRevert(abi.encodeWithSelector(ClaimNotRejected.selector, r.claimId, 1));
        r.game.refundQueued(r.claimId, 0);
        while (_expireNext(r)) {}
        assertEq(r.game.queued(r.claimId, 0), r.h, "the socks' wins never opened H's game");
        r.game.refundQueued(r.claimId, 0);
        assertEq(r.game.credit(r.h), CHALLENGE_BOND, "queued bond refunded in full");
        vm.expectRevert(abi.encodeWithSelector(NotQueued.selector, r.claimId, 0));
        r.game.refundQueued(r.claimId, 0);
        _checkLiar(r, SLOTS);
        uint256 back = _settleLiar(r, SLOTS);
        // S + 4 B in, 4 (B + (1 - b) D) back: the liar loses b S
        assertEq(r.liarDeposits - back, CLAIM_BOND * BURN_BPS / 10_000);
    }

    /// Thrown sock games free their slot and reopen the window: the claim cannot time out into acceptance.
    function test_thrownSockGame_reopensWindow_andFreesSlot() public {
        Run memory r = _newRun(2, Lie.FinalRoot, false);
        for (uint256 i; i < SLOTS; ++i) {
            address sock = makeAddr(string(abi.encodePacked("sock", i)));
            r.liarAddrs[1 + i] = sock;
            assertTrue(_challengeAs(r, sock, false, 2, false));
        }
        uint256 dl0 = r.game.claims(r.claimId).deadline;
        assertTrue(_playRound(r)); // the claimer posts its checkpoints in every game; the socks stall
        assertTrue(_expireNext(r)); // first sock times out: claimer wins that game
        DisputeGame.Claim memory c = r.game.claims(r.claimId);
        assertEq(c.slotsUsed, SLOTS - 1);
        assertEq(c.deadline, block.timestamp + WINDOW);
        assertGt(c.deadline, dl0);
        assertTrue(_hAct(r));
    }

    /// The defaults cover protocol/economics/payout.ts's budgets at 50 gwei: an honest challenger's
    /// worst-case game (HONEST_CHALLENGER_GAS, 10M: any claim length, two k = 1 phases;
    /// attack/LongGameChallengerLoss.t.sol) and an honest claimer's costliest defence
    /// (HONEST_DEFENCE_GAS, 10M; attack/GriefHonestClaimer.t.sol), and the sock inequalities hold.
    function test_defaults_coverHonestGasBudgets() public pure {
        assertGe(SLOT - SLOT * BURN_BPS / 10_000, 10_000_000 * GAS_PRICE);
        assertGe(CHALLENGE_BOND - CHALLENGE_BOND * CHALLENGER_BURN_BPS / 10_000, 10_000_000 * GAS_PRICE);
        assertGe(2 * uint256(CHALLENGER_BURN_BPS), 10_000);
        // (2b - 1) S >= (slots + 1) B: every slot a winning sock plus one refunded input request
        assertGe((2 * uint256(BURN_BPS) - 10_000) * CLAIM_BOND, (uint256(SLOTS) + 1) * CHALLENGE_BOND * 10_000);
    }

    // ------------------------------------------------------------------ honest claimer

    function testFuzz_honestClaimer_anyGriefers_acceptedWithStake(uint256 seed, uint8 nGriefers, bool committed)
        public
    {
        uint256 n = bound(nGriefers, 0, 12);
        DisputeGame game = _single(3, 1);
        address claimer = makeAddr("honestClaimer");
        bytes32 ph = game.binding().programHash();
        vm.deal(claimer, CLAIM_BOND);
        vm.prank(claimer);
        uint256 id = committed
            ? game.claimCommitted{value: CLAIM_BOND}(
                ph, keccak256(hex"c0ffee"), bytes32(N), AlphabetView.state(0), AlphabetView.state(N), uint64(N)
            )
            : game.claim{value: CLAIM_BOND}(
                ph, hex"c0ffee", bytes32(N), AlphabetView.state(0), AlphabetView.state(N), uint64(N)
            );
        Ctx[] memory cs = new Ctx[](n);
        uint256 games;
        for (uint256 i; i < n; ++i) {
            address gr = makeAddr(string(abi.encodePacked("griefer", i)));
            uint256 x = uint256(keccak256(abi.encode(seed, i)));
            // binding moves against a true claim revert (NoFreeSlot first when every slot is held)
            DisputeGame.Claim memory c = game.claims(id);
            bool full = c.slotsUsed >= SLOTS && c.availability != DisputeGame.Availability.Requested;
            vm.prank(gr);
            vm.expectRevert(
                full
                    ? abi.encodeWithSelector(NoFreeSlot.selector, id)
                    : abi.encodeWithSelector(StartRootCorrect.selector, id, AlphabetView.state(0))
            );
            game.disputeStart(id, hex"c0ffee", "");
            vm.prank(gr);
            vm.expectRevert(
                full
                    ? abi.encodeWithSelector(NoFreeSlot.selector, id)
                    : abi.encodeWithSelector(OutputCorrect.selector, id, bytes32(N))
            );
            game.disputeOutput(id, abi.encode(N));
            if (committed && x % 4 == 0 && game.claims(id).availability == DisputeGame.Availability.Committed) {
                vm.deal(gr, CHALLENGE_BOND);
                vm.prank(gr);
                try game.requestInput{value: CHALLENGE_BOND}(id) {
                    vm.prank(claimer);
                    game.publishInput(id, hex"c0ffee");
                } catch {}
                continue;
            }
            if (game.claims(id).slotsUsed >= SLOTS) {
                // no free slot (its challenge would queue): wait for the running griefer games first
                Ctx[] memory run = new Ctx[](games);
                for (uint256 j; j < games; ++j) {
                    run[j] = cs[j];
                }
                _playAll(run);
            }
            vm.deal(gr, CHALLENGE_BOND);
            vm.prank(gr);
            uint256 gid = game.challenge{value: CHALLENGE_BOND}(id);
            assertGt(gid, 0);
            cs[games] = Ctx(game, gid, claimer, gr, HONEST, 1 + x % N, 0, 0, x % 2 == 0);
            games++;
        }
        Ctx[] memory all = new Ctx[](games);
        for (uint256 j; j < games; ++j) {
            all[j] = cs[j];
        }
        _playAll(all);
        vm.warp(block.timestamp + WINDOW + 1);
        game.finalizeClaim(id);
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Accepted));
        // stake back plus (1 - b) B per griefer game it won
        uint256 won;
        for (uint256 j; j < games; ++j) {
            assertEq(uint8(game.games(all[j].gameId).status), uint8(DisputeGame.GameStatus.ClaimerWon));
            won++;
        }
        assertEq(
            game.credit(claimer), CLAIM_BOND + won * (CHALLENGE_BOND - CHALLENGE_BOND * CHALLENGER_BURN_BPS / 10_000)
        );
    }

    // ------------------------------------------------------------------ binding moves (alphabet)

    function test_disputeStart_wrongStartRoot_rejects_andPaysCaller() public {
        Run memory r = _newRun(3, Lie.StartRoot, false);
        address h = makeAddr("h");
        vm.expectRevert(
            abi.encodeWithSelector(InputMismatch.selector, r.claimId, keccak256(hex"c0ffee"), keccak256(hex"beef"))
        );
        vm.prank(h);
        r.game.disputeStart(r.claimId, hex"beef", "");
        vm.prank(h);
        r.game.disputeStart(r.claimId, hex"c0ffee", "");
        assertEq(uint8(r.game.claims(r.claimId).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(r.game.credit(h), SLOT - SLOT * BURN_BPS / 10_000);
        assertEq(r.game.burned(), CLAIM_BOND - r.game.credit(h));
    }

    function test_disputeOutput_outputNotInFinalState_rejects() public {
        Run memory r = _newRun(4, Lie.Output, false);
        vm.expectRevert(); // an opening of another step does not reach the final root (typed OpeningMismatch)
        r.game.disputeOutput(r.claimId, abi.encode(N - 1));
        r.game.disputeOutput(r.claimId, abi.encode(N));
        assertEq(uint8(r.game.claims(r.claimId).status), uint8(DisputeGame.ClaimStatus.Rejected));
    }

    function test_claim_wrongProgram_andNoOutput_revert() public {
        DisputeGame game = _single(1, 1);
        bytes32 ph = game.binding().programHash();
        vm.deal(address(this), 2 * CLAIM_BOND);
        vm.expectRevert(abi.encodeWithSelector(WrongProgram.selector, ph, keccak256("other")));
        game.claim{value: CLAIM_BOND}(keccak256("other"), "", 0, 0, 0, 1);
        vm.expectRevert(abi.encodeWithSelector(BadOutput.selector, bytes32(type(uint256).max)));
        game.claim{value: CLAIM_BOND}(ph, "", bytes32(type(uint256).max), 0, 0, 1);
    }
}
