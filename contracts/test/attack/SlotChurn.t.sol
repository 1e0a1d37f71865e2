// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/console.sol";
import {GameBase} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {GamesOpen, ClaimNotRejected, NotQueued} from "../../src/game/Errors.sol";

/// @notice A liar's contract that holds a claim's slots: it ends one of its own thrown games
///         (`timeout`, its clock ran out) and challenges again in the SAME transaction.
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

    receive() external payable {}
}

/// @notice Red-team attack (attack6) on slot churn, which the liar now LOSES. Before the queue, a
///         liar's contract holding every slot re-took each freed slot in the transaction that freed
///         it, so the honest challenger H was refused (NoFreeSlot) at every block and the false claim
///         stayed pending for as long as the liar paid b_c B per thrown game. Now H's refused
///         `challenge` queues it (bond locked), and a slot freed while the claim is pending goes to
///         the queue's head in the same transaction: the liar's atomic re-challenge lands BEHIND H,
///         H's game opens, H wins and is paid B + (1 - b) D; the liar's queued bonds are refunded
///         (pull) once the claim is rejected.
contract SlotChurnTest is GameBase {
    uint256 internal constant N = 40;

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

    function _queueLength(DisputeGame game, uint256 id) internal view returns (uint256) {
        DisputeGame.Claim memory c = game.claims(id);
        return c.queueTail - c.queueHead;
    }

    /// the queue invariant: while the claim is pending, a non-empty queue means every slot is held
    function _checkQueueInvariant(DisputeGame game, uint256 id) internal view {
        DisputeGame.Claim memory c = game.claims(id);
        if (c.status == DisputeGame.ClaimStatus.Pending && c.queueTail != c.queueHead) {
            assertEq(c.slotsUsed, SLOTS, "queued only behind a full set of slots");
        }
    }

    function test_atomicSlotChurn_honestQueuedFirst_getsTheFreedSlot_claimRejected() public {
        DisputeGame game = _single(3, 1);
        address liar = makeAddr("liar");
        uint256 id = _claim(game, liar, N, 0, 5); // false from step 5
        Churner ch = new Churner{value: 100 ether}(game, id);
        uint256[] memory games = new uint256[](SLOTS);
        for (uint256 i; i < SLOTS; ++i) {
            games[i] = ch.take();
        }
        // H finds every slot held: its challenge is queued, its bond locked
        address h = makeAddr("honest");
        vm.deal(h, CHALLENGE_BOND);
        vm.expectEmit(address(game));
        emit DisputeGame.ChallengeQueued(id, h, 0);
        vm.prank(h);
        assertEq(game.challenge{value: CHALLENGE_BOND}(id), 0, "queued: no game yet");
        assertEq(game.queued(id, 0), h);
        _checkQueueInvariant(game, id);
        // the liar's claimer posts its (lying) roots in its socks' games; the socks never answer
        for (uint256 i; i < SLOTS; ++i) {
            _post(_ctx(game, games[i], liar, address(ch)));
        }
        vm.warp(block.timestamp + CLOCK + 1);
        // the atomic end-and-rechallenge: the freed slot goes to H, the liar's sock queues behind H
        assertEq(ch.churn(games[0]), 0, "the liar's re-challenge is queued");
        uint256 hg = game.gameCount();
        DisputeGame.Game memory g = game.games(hg);
        assertEq(g.challenger, h, "H's game opened in the liar's transaction");
        assertEq(uint8(g.status), uint8(DisputeGame.GameStatus.ClaimerToMove));
        assertEq(g.lastMove, block.timestamp, "clocks start when the game opens");
        assertEq(g.clockClaimer, CLOCK);
        assertEq(g.clockChallenger, CLOCK);
        assertEq(game.queued(id, 0), address(0));
        assertEq(game.queued(id, 1), address(ch));
        _checkQueueInvariant(game, id);
        // the liar churns its other slots: each freed slot goes to its own queued sock, never ahead of H
        for (uint256 i = 1; i < SLOTS; ++i) {
            ch.churn(games[i]);
            _checkQueueInvariant(game, id);
        }
        assertEq(_queueLength(game, id), 1);
        // a claim with a queue cannot finalize: every slot is held by an open game
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(GamesOpen.selector, id, SLOTS));
        game.finalizeClaim(id);
        vm.expectRevert(abi.encodeWithSelector(ClaimNotRejected.selector, id, 1));
        game.refundQueued(id, SLOTS);
        // the liar cannot prove its false leaf in H's game: it stalls and loses on its clock
        vm.warp(g.lastMove + CLOCK + 1);
        game.timeout(hg);
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(game.credit(h), CHALLENGE_BOND + SLOT - (SLOT * BURN_BPS) / 10_000, "H: B + (1 - b) D");
        // the liar's queued sock gets its bond back (pull), once
        uint256 pos = game.claims(id).queueTail - 1;
        uint256 before = game.credit(address(ch));
        game.refundQueued(id, pos);
        assertEq(game.credit(address(ch)) - before, CHALLENGE_BOND);
        vm.expectRevert(abi.encodeWithSelector(NotQueued.selector, id, pos));
        game.refundQueued(id, pos);
        // a popped position (H's) is not refundable
        vm.expectRevert(abi.encodeWithSelector(NotQueued.selector, id, 0));
        game.refundQueued(id, 0);
    }

    /// A liar's 10^4 queued socks cost nobody's `timeout` more than a one-entry queue: every pop is O(1).
    function test_tenThousandQueued_popAndRejectionCostConstantGas() public {
        (uint256 popSmall, uint256 rejectSmall) = _queueRun(1);
        (uint256 popBig, uint256 rejectBig) = _queueRun(10_000);
        console.log("timeout that opens the queue head's game, queue of 1:", popSmall);
        console.log("timeout that opens the queue head's game, queue of 10^4:", popBig);
        console.log("timeout that rejects the claim, queue of 1:", rejectSmall);
        console.log("timeout that rejects the claim, queue of 10^4:", rejectBig);
        assertEq(popBig, popSmall, "pop gas independent of the queue's length");
        assertEq(rejectBig, rejectSmall, "rejection gas independent of the queue's length");
        assertLt(popBig, 150_000);
        assertLt(rejectBig, 150_000);
    }

    /// @dev Socks hold every slot, `queued` socks wait, H queued last. Returns the gas of the
    ///      `timeout` that ends a thrown sock game (opening the head's game) and of the one that
    ///      ends the head's game against the lying claimer (rejection).
    function _queueRun(uint256 queued) internal returns (uint256 pop, uint256 reject) {
        DisputeGame game = _single(3, 1);
        address liar = makeAddr("liar");
        uint256 id = _claim(game, liar, N, 0, 5);
        uint256[] memory games = new uint256[](SLOTS);
        for (uint256 i; i < SLOTS; ++i) {
            games[i] = _challenge(game, address(uint160(0x50c0 + i)), id);
        }
        vm.pauseGasMetering();
        for (uint256 i; i < queued; ++i) {
            _challenge(game, address(uint160(0x100000 + i)), id);
        }
        vm.resumeGasMetering();
        assertEq(_queueLength(game, id), queued);
        _post(_ctx(game, games[0], liar, address(uint160(0x50c0))));
        vm.warp(block.timestamp + CLOCK + 1);
        uint256 g0 = gasleft();
        game.timeout(games[0]); // the sock's clock ran out: the claimer wins, the head's game opens
        pop = g0 - gasleft();
        uint256 head = game.gameCount();
        assertEq(game.games(head).challenger, address(uint160(0x100000)));
        assertEq(_queueLength(game, id), queued - 1);
        vm.warp(block.timestamp + CLOCK + 1);
        g0 = gasleft();
        game.timeout(head); // the head (honest) wins on the liar's clock: the claim is rejected
        reject = g0 - gasleft();
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        if (queued > 1) {
            game.refundQueued(id, queued - 1);
            assertEq(game.credit(address(uint160(0x100000 + queued - 1))), CHALLENGE_BOND);
        }
    }

    /// The gas the head's game-open adds to whoever ends a game (protocol/GAS.md).
    function test_gasAddedByOpeningTheQueueHead() public {
        uint256 empty = _endThrownGame(false);
        uint256 withHead = _endThrownGame(true);
        console.log("timeout of a thrown game, empty queue:", empty);
        console.log("timeout of a thrown game, queue head's game opened:", withHead);
        console.log("added:", withHead - empty);
        assertLt(withHead - empty, 100_000);
    }

    function _endThrownGame(bool queueOne) internal returns (uint256 used) {
        DisputeGame game = _single(3, 1);
        address liar = makeAddr("liar");
        uint256 id = _claim(game, liar, N, 0, 5);
        uint256 first;
        for (uint256 i; i < SLOTS; ++i) {
            uint256 gid = _challenge(game, address(uint160(0x50c0 + i)), id);
            if (i == 0) first = gid;
        }
        if (queueOne) _challenge(game, makeAddr("honest"), id);
        _post(_ctx(game, first, liar, address(uint160(0x50c0))));
        vm.warp(block.timestamp + CLOCK + 1);
        uint256 g0 = gasleft();
        game.timeout(first);
        used = g0 - gasleft();
    }

    /// A published input frees the request's slot while the claim is pending: it goes to the queue's head.
    function test_publishInput_handsTheRequestSlotToTheQueueHead() public {
        DisputeGame game = _single(3, 1);
        address liar = makeAddr("liar");
        bytes32 ph = game.binding().programHash();
        vm.deal(liar, CLAIM_BOND);
        vm.prank(liar);
        uint256 id = game.claimCommitted{value: CLAIM_BOND}(
            ph, keccak256(hex"c0ffee"), bytes32(N), AlphabetView_state0(), keccak256(abi.encode(uint256(N))), uint64(N)
        );
        address r = makeAddr("requester");
        vm.deal(r, CHALLENGE_BOND);
        vm.prank(r);
        game.requestInput{value: CHALLENGE_BOND}(id);
        for (uint256 i = 1; i < SLOTS; ++i) {
            _challenge(game, address(uint160(0x50c0 + i)), id);
        }
        address h = makeAddr("honest");
        assertEq(_challenge(game, h, id), 0, "queued behind the request and the games");
        _checkQueueInvariant(game, id);
        vm.prank(liar);
        game.publishInput(id, hex"c0ffee");
        assertEq(game.games(game.gameCount()).challenger, h, "the request's slot opened H's game");
        assertEq(game.claims(id).slotsUsed, SLOTS);
        assertEq(_queueLength(game, id), 0);
        assertEq(game.credit(r), CHALLENGE_BOND, "requester refunded");
    }

    function AlphabetView_state0() internal pure returns (bytes32) {
        return keccak256(abi.encode(uint256(0)));
    }
}
