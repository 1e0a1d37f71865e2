// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title LibSpacing
/// @notice Where the k checkpoints of a round go. Twin: protocol/game/spacing.ts (same formulas,
///         bigint); both are tested against each other through the differential test.
/// @dev    A phase of N steps (N >= 1) with k checkpoints per round and leaves of at most m steps is
///         an aligned, clamped (k+1)-ary tree:
///
///           R      = min { r >= 0 : m (k+1)^r >= N }          (= ceil(log_(k+1)(N/m)), 0 if N <= m)
///           s(l)   = m (k+1)^(l-1)                            segment width at level l >= 1
///           c(l)   = min(k, ceil((hi - lo) / s(l)) - 1)       checkpoints posted at level l
///           cp_j   = lo + j s(l),  j = 1..c(l)                their step indices
///           seg_i  = [lo + i s(l), min(lo + (i+1) s(l), hi)], i = 0..c(l)
///
///         The game starts at [0, N] on level R and every round (checkpoints, then a segment choice)
///         goes down exactly one level, so a phase takes exactly R rounds on every path. Invariant:
///         1 <= hi - lo <= (k+1) s(l), hence c(l) <= k and every segment is non-empty.
///
///           N = 10, k = 2, m = 1: R = 3 (27 >= 10 > 9), s(3) = 9
///           level 3:  [0 ................ 9 | 10]        c = 1 (cp at 9; 18 would be past hi)
///           level 2:  [0 .. 3 .. 6 .. 9]  or  [9, 10]    c = 2 resp. 0 (one segment: an empty round)
///
///         Pitfall: when N is not m (k+1)^R, intervals on the right spine are shorter than a full
///         subtree; a level whose interval fits in one segment has c = 0 (a round with no roots). That
///         is the price of exactly R rounds on every path: with k = 1 and N = 5 no spacing gives every
///         path 3 non-empty rounds.
library LibSpacing {
    /// @notice R = min { r : m (k+1)^r >= n }.
    function rounds(uint256 n, uint256 k, uint256 m) internal pure returns (uint256 r) {
        uint256 cap = m;
        while (cap < n) {
            cap *= k + 1;
            ++r;
        }
    }

    /// @notice s(level) = m (k+1)^(level-1), level >= 1.
    function width(uint256 level, uint256 k, uint256 m) internal pure returns (uint256) {
        return m * (k + 1) ** (level - 1);
    }

    /// @notice c = min(k, ceil(len / s) - 1) for an interval of len >= 1 steps.
    function checkpointCount(uint256 len, uint256 s, uint256 k) internal pure returns (uint256) {
        uint256 c = (len + s - 1) / s - 1;
        return c < k ? c : k;
    }
}
