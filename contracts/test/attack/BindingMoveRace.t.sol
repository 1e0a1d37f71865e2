// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {NoFreeSlot} from "../../src/game/Errors.sol";
import {MnistRv32imClaimBase} from "./MnistRv32imClaim.sol";

/// @notice Red-team attack (attack6), now a test the liar LOSES.
///         Attack: a binding move was paid only if a slot was free when it landed, and rejected the
///         claim unpaid otherwise, after deriving everything. The liar posts "mnist-i8.elf on a 2 KiB
///         input" with another program's run (a wrong start root), holds three of the four slots with
///         sock challenges, and when the honest challenger H sends its disputeStart (a slot was free
///         when it looked) front-runs it in the same block with a fourth sock challenge. H's move ran
///         its whole ~10.4M gas (0.52 ETH at 50 gwei) and was paid nothing; the liar, having lost the
///         claim anyway, lets its socks win their games and loses exactly the half SECURITY.md allows,
///         while H is left out of pocket.
///         Fix: a binding move needs its slot (a free one, or the open request's) and reverts
///         NoFreeSlot before deriving anything; H's front-run move costs a cheap revert and H sends it
///         again once a game ends (every game's end frees its slot; finalization needs every slot
///         free), then is paid (1 - b) D, which covers both transactions at 50 gwei.
contract BindingMoveRaceTest is MnistRv32imClaimBase {
    using stdJson for string;

    function _sock(uint256 id, uint256 i) internal returns (uint256 gameId) {
        address sock = makeAddr(string.concat("sock", vm.toString(i)));
        vm.deal(sock, B);
        vm.prank(sock);
        gameId = game.challenge{value: B}(id);
    }

    /// @dev H's disputeStart as a transaction: execution + 21,000 + calldata.
    function _hMove(uint256 id, bytes memory input) internal returns (bool ok, uint256 gas) {
        bytes memory cd = abi.encodeCall(DisputeGame.disputeStart, (id, input, ""));
        uint256 cdGas;
        for (uint256 i; i < cd.length; ++i) {
            cdGas += cd[i] == 0 ? 4 : 16;
        }
        vm.prank(honest);
        uint256 g0 = gasleft();
        (ok,) = address(game).call{gas: 1 << 24}(cd);
        gas = g0 - gasleft() + 21_000 + cdGas;
    }

    function test_lastSlotFrontRun_bindingMoveRevertsCheaply_thenPaidFromAFreedSlot() public {
        bytes memory input = _ones(binding.maxInputBytes());
        string memory o = ".rv32im[0]"; // echo_input.elf's true run: not mnist-i8's start root
        bytes32 ph = binding.programHash();
        vm.deal(liar, S);
        vm.prank(liar);
        uint256 id = game.claim{value: S}(
            ph,
            input,
            bj.readBytes32(string.concat(o, ".output")),
            bj.readBytes32(string.concat(o, ".startRoot")),
            bj.readBytes32(string.concat(o, ".finalRoot")),
            uint64(bj.readUint(string.concat(o, ".steps")))
        );
        uint256[4] memory socks;
        for (uint256 i; i < 3; ++i) {
            socks[i] = _sock(id, i);
        }
        assertLt(game.claims(id).slotsUsed, 4, "H sees a free slot");
        // the fourth sock's challenge lands first in the same block
        socks[3] = _sock(id, 3);
        (bool ok1, uint256 gas1) = _hMove(id, input);
        assertFalse(ok1, "no slot: the move reverts (NoFreeSlot) instead of rejecting unpaid");
        vm.prank(honest);
        vm.expectRevert(abi.encodeWithSelector(NoFreeSlot.selector, id));
        game.disputeStart(id, input, "");
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Pending));
        console.log("front-run disputeStart gas (reverted, incl. intrinsic + calldata)", gas1);
        // the liar throws sock 0's game (posts anything, the sock never answers): its slot frees
        (, uint256 count) = game.roundLayout(socks[0]);
        bytes32[] memory roots = new bytes32[](count);
        bytes32 pre = bj.readBytes32(string.concat(o, ".startRoot"));
        bytes32 post = bj.readBytes32(string.concat(o, ".finalRoot"));
        vm.prank(liar);
        game.postCheckpoints(socks[0], pre, post, roots);
        vm.warp(block.timestamp + CLOCK + 1);
        game.timeout(socks[0]);
        (bool ok2, uint256 gas2) = _hMove(id, input);
        assertTrue(ok2);
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        uint256 d = uint256(S) / 4;
        assertEq(game.credit(honest), d - (d * 7500) / 10_000, "H is paid (1 - b) D");
        assertLe((gas1 + gas2) * 50 gwei, game.credit(honest), "both of H's transactions are paid at 50 gwei");
    }
}
