// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {MerklePhaseLink} from "../../src/link/MerklePhaseLink.sol";
import {AlphabetArbitrator} from "../../src/alphabet/AlphabetArbitrator.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {IClaimBinding} from "../../src/interfaces/IClaimBinding.sol";
import {AlphabetClaimBinding} from "../../src/alphabet/AlphabetClaimBinding.sol";

/// @notice Views of the alphabet machine (TS twin: protocol/trace/alphabet.ts) and helpers that
///         build a game's calldata from a party's view. A view lies from innermost step `lieFrom`
///         (type(uint256).max = honest); outer roots of a two-phase game commit to the inner ones
///         (MerklePhaseLink, depth 1), so a liar is consistent across phases.
library AlphabetView {
    uint256 internal constant HONEST = type(uint256).max;

    function state(uint256 g) internal pure returns (bytes32) {
        return keccak256(abi.encode(g));
    }

    function lie(bytes32 r) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes3("lie"), r));
    }

    /// @dev Root of phase `p` at phase-global index x; `inner` = steps per outer step (two phases)
    ///      or 0 (one phase).
    function root(uint256 p, uint256 x, uint256 inner, uint256 lieFrom) internal pure returns (bytes32) {
        if (inner == 0 || p == 1) {
            bytes32 s = state(x);
            return x >= lieFrom ? lie(s) : s;
        }
        uint256 g = x * inner;
        return keccak256(abi.encodePacked(root(1, g, inner, lieFrom), bytes32(g)));
    }
}

library MerkleTestLib {
    function layer(bytes32[] memory leaves) internal pure returns (bytes32[] memory l) {
        uint256 w = 1;
        while (w < leaves.length) w <<= 1;
        l = new bytes32[](w);
        for (uint256 i; i < leaves.length; ++i) {
            l[i] = leaves[i];
        }
    }

    function proof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory p) {
        bytes32[] memory l = layer(leaves);
        uint256 d;
        while ((uint256(1) << d) < l.length) ++d;
        p = new bytes32[](d);
        for (uint256 lv; lv < d; ++lv) {
            p[lv] = l[index ^ 1];
            bytes32[] memory next = new bytes32[](l.length / 2);
            for (uint256 i; i < next.length; ++i) {
                next[i] = keccak256(abi.encodePacked(l[2 * i], l[2 * i + 1]));
            }
            l = next;
            index >>= 1;
        }
    }

    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        if (leaves.length == 0) return bytes32(0);
        bytes32[] memory l = layer(leaves);
        while (l.length > 1) {
            bytes32[] memory next = new bytes32[](l.length / 2);
            for (uint256 i; i < next.length; ++i) {
                next[i] = keccak256(abi.encodePacked(l[2 * i], l[2 * i + 1]));
            }
            l = next;
        }
        return l[0];
    }
}

/// @notice Deploys games and plays rounds from views; shared by unit, fuzz and invariant tests.
abstract contract GameBase is Test {
    // the payout defaults (protocol/economics/payout.ts): S = 10 ETH in 4 slots of D = 2.5 ETH, B = 1 ETH,
    // b = 75 %, b_c = 50 %
    uint96 internal constant CLAIM_BOND = 10 ether;
    uint96 internal constant CHALLENGE_BOND = 1 ether;
    uint16 internal constant BURN_BPS = 7500;
    uint16 internal constant CHALLENGER_BURN_BPS = 5000;
    uint16 internal constant SLOTS = 4;
    uint96 internal constant SLOT = CLAIM_BOND / SLOTS;
    uint32 internal constant CLOCK = 1 days;
    uint32 internal constant WINDOW = 1 hours;
    uint32 internal constant DA_WINDOW = 30 minutes;

    AlphabetArbitrator internal arbitrator = new AlphabetArbitrator();
    MerklePhaseLink internal link = new MerklePhaseLink(1);

    function _config() internal pure returns (DisputeGame.Config memory) {
        return
            DisputeGame.Config(
                CLAIM_BOND, CHALLENGE_BOND, BURN_BPS, CLOCK, WINDOW, DA_WINDOW, SLOTS, CHALLENGER_BURN_BPS
            );
    }

    function _single(uint8 k, uint64 m) internal returns (DisputeGame) {
        DisputeGame.PhaseConfig[] memory ph = new DisputeGame.PhaseConfig[](1);
        ph[0] = DisputeGame.PhaseConfig(k, m, IArbitrator(address(arbitrator)), IPhaseLink(address(0)));
        return new DisputeGame(_config(), ph, new AlphabetClaimBinding(new uint256[](0)));
    }

    /// @dev `inner` = alphabet steps per outer step (the binding's root layout).
    function _twoPhase(uint8 k0, uint64 m0, uint8 k1, uint64 m1, uint256 inner) internal returns (DisputeGame) {
        DisputeGame.PhaseConfig[] memory ph = new DisputeGame.PhaseConfig[](2);
        ph[0] = DisputeGame.PhaseConfig(k0, m0, IArbitrator(address(0)), IPhaseLink(address(link)));
        ph[1] = DisputeGame.PhaseConfig(k1, m1, IArbitrator(address(arbitrator)), IPhaseLink(address(0)));
        uint256[] memory inners = new uint256[](1);
        inners[0] = inner;
        return new DisputeGame(_config(), ph, new AlphabetClaimBinding(inners));
    }

    /// @dev Per-game context the tests keep: the claimer's view (all roots in a game are the
    ///      claimer's), the challenger's view, the inner size and the current phase offset.
    struct Ctx {
        DisputeGame game;
        uint256 gameId;
        address claimer;
        address challenger;
        uint256 claimerLie;
        uint256 challengerLie;
        uint256 inner; // 0 = single phase
        uint256 off; // phase-global index of the current (sub)game's step 0
        bool contrarian; // challenger disputes everything: always segment 0
    }

    function _root(Ctx memory c, uint256 lieFrom, uint256 localIdx) internal view returns (bytes32) {
        DisputeGame.Game memory g = c.game.games(c.gameId);
        return AlphabetView.root(g.phase, c.off + localIdx, c.inner, lieFrom);
    }

    function _claim(DisputeGame game, address who, uint256 steps, uint256 inner, uint256 lieFrom)
        internal
        returns (uint256)
    {
        bytes32 ph = game.binding().programHash();
        vm.deal(who, who.balance + CLAIM_BOND);
        vm.prank(who);
        return game.claim{value: CLAIM_BOND}(
            ph,
            hex"c0ffee",
            bytes32(steps),
            AlphabetView.root(0, 0, inner, lieFrom),
            AlphabetView.root(0, steps, inner, lieFrom),
            uint64(steps)
        );
    }

    function _challenge(DisputeGame game, address who, uint256 claimId) internal returns (uint256) {
        vm.deal(who, who.balance + CHALLENGE_BOND);
        vm.prank(who);
        return game.challenge{value: CHALLENGE_BOND}(claimId);
    }

    function _checkpoints(Ctx memory c) internal view returns (bytes32[] memory roots) {
        DisputeGame.Game memory g = c.game.games(c.gameId);
        (uint256 w, uint256 n) = c.game.roundLayout(c.gameId);
        roots = new bytes32[](n);
        for (uint256 j; j < n; ++j) {
            roots[j] = _root(c, c.claimerLie, g.lo + (j + 1) * w);
        }
    }

    function _post(Ctx memory c) internal {
        DisputeGame.Game memory g = c.game.games(c.gameId);
        bytes32[] memory roots = _checkpoints(c);
        bytes32 pre = _root(c, c.claimerLie, g.lo);
        bytes32 post = _root(c, c.claimerLie, g.hi);
        vm.prank(c.claimer); // after every view call: a call in the arguments would consume the prank
        c.game.postCheckpoints(c.gameId, pre, post, roots);
    }

    /// @dev The challenger's pick by its view: first segment whose post-root it disputes, else the last.
    function _chooseIndex(Ctx memory c) internal view returns (uint256 index) {
        if (c.contrarian) return 0;
        DisputeGame.Game memory g = c.game.games(c.gameId);
        (uint256 w, uint256 n) = c.game.roundLayout(c.gameId);
        index = n;
        for (uint256 j; j < n; ++j) {
            uint256 x = g.lo + (j + 1) * w;
            if (_root(c, c.challengerLie, x) != _root(c, c.claimerLie, x)) return j;
        }
    }

    function _pick(Ctx memory c, uint256 index) internal view returns (DisputeGame.Pick memory p) {
        DisputeGame.Game memory g = c.game.games(c.gameId);
        bytes32[] memory roots = _checkpoints(c);
        uint256 n = roots.length;
        p.pre = _root(c, c.claimerLie, g.lo);
        p.post = _root(c, c.claimerLie, g.hi);
        p.cpRoot = MerkleTestLib.root(roots);
        p.index = index;
        if (index > 0 && index <= n) {
            p.left = roots[index - 1];
            p.leftProof = MerkleTestLib.proof(roots, index - 1);
        }
        if (index < n) {
            p.right = roots[index];
            p.rightProof = MerkleTestLib.proof(roots, index);
        }
    }

    function _choose(Ctx memory c) internal {
        DisputeGame.Pick memory p = _pick(c, _chooseIndex(c));
        vm.prank(c.challenger);
        c.game.chooseSegment(c.gameId, p);
    }

    /// @dev Claimer's leaf move: prove (last phase) or open the sub-game; false if its view can't.
    function _leaf(Ctx memory c) internal returns (bool ok) {
        DisputeGame.Game memory g = c.game.games(c.gameId);
        bytes32 pre = _root(c, c.claimerLie, g.lo);
        bytes32 post = _root(c, c.claimerLie, g.hi);
        if (g.phase + 1 == c.game.phaseCount()) {
            vm.prank(c.claimer);
            try c.game.proveLeaf(c.gameId, pre, post, abi.encode(c.off + g.lo)) {
                return true;
            } catch {
                return false;
            }
        }
        _open(c, pre, post, (c.off + g.lo) * c.inner, (c.off + g.hi) * c.inner);
        return true;
    }

    function _open(Ctx memory c, bytes32 pre, bytes32 post, uint256 a, uint256 b) internal {
        bytes32 start = AlphabetView.root(1, a, c.inner, c.claimerLie);
        bytes32 end = AlphabetView.root(1, b, c.inner, c.claimerLie);
        bytes memory proof = abi.encode(a, new bytes32[](0), b, new bytes32[](0));
        vm.prank(c.claimer);
        c.game.openSubgame(c.gameId, pre, post, start, end, uint64(b - a), proof);
        c.off = a;
    }

    /// @dev One prompt move (1 s after the last) of whoever is to move. Returns 0 moved, 1 the
    ///      claimer cannot prove its leaf (stuck), 2 the game is over; counts rounds per phase.
    function _step(Ctx memory c, uint256[2] memory roundsPerPhase) internal returns (uint256) {
        DisputeGame.Game memory g = c.game.games(c.gameId);
        if (g.status == DisputeGame.GameStatus.ClaimerToMove) {
            vm.warp(block.timestamp + 1);
            if (g.level > 0) _post(c);
            else if (!_leaf(c)) return 1;
            return 0;
        }
        if (g.status == DisputeGame.GameStatus.ChallengerToMove) {
            vm.warp(block.timestamp + 1);
            _choose(c);
            roundsPerPhase[g.phase]++;
            return 0;
        }
        return 2;
    }

    /// @dev Plays all games at once (their clocks run together); when every open game is stuck,
    ///      time runs until the first stuck claimer's clock is out and it is timed out.
    function _playAll(Ctx[] memory cs) internal returns (uint256[2][] memory rounds) {
        rounds = new uint256[2][](cs.length);
        for (uint256 guard; guard < 5000; ++guard) {
            bool moved;
            bool open;
            for (uint256 i; i < cs.length; ++i) {
                uint256 r = _step(cs[i], rounds[i]);
                if (r == 0) moved = true;
                if (r != 2) open = true;
            }
            if (!open) return rounds;
            if (moved) continue;
            uint256 first = type(uint256).max;
            uint256 which;
            for (uint256 i; i < cs.length; ++i) {
                DisputeGame.Game memory g = cs[i].game.games(cs[i].gameId);
                if (g.status != DisputeGame.GameStatus.ClaimerToMove) continue;
                if (g.lastMove + g.clockClaimer < first) (first, which) = (g.lastMove + g.clockClaimer, i);
            }
            vm.warp(first + 1);
            cs[which].game.timeout(cs[which].gameId);
        }
        revert("games did not end");
    }

    function _playOut(Ctx memory c) internal returns (uint256[2] memory) {
        Ctx[] memory cs = new Ctx[](1);
        cs[0] = c;
        return _playAll(cs)[0];
    }
}
