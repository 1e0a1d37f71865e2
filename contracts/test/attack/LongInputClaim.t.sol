// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {OutputCorrect, InputTooLong} from "../../src/game/Errors.sol";
import {MnistRv32imClaimBase} from "./MnistRv32imClaim.sol";

/// @notice Red-team attack (issue 11 follow-up), now tests the liar LOSES.
///         Attack: RV32IMClaimBinding.startRoot hashes the whole input in one call (~5.3k gas per byte),
///         so a 32 KiB input made the winning `disputeStart` need ~159M gas (more than any block) and
///         a 2 KiB one cost the disputer more than the (1 - b) D it was paid; the liar claimed
///         "mnist-i8.elf on I outputs O" with ANOTHER program's true run (echo_input, bindings.json
///         rv32im[0]) as start/final root, so no game could reject it.
///         Fix: every binding states the longest input it takes (`maxInputBytes`; RV32IM: 2 KiB);
///         `claim` and `publishInput` refuse longer inputs (`InputTooLong`), a committed claim over a
///         longer input is rejected as withheld once requested, and startRoot derives NO_START for
///         it. At the cap the winning disputeStart fits one transaction (< 2^24) and is paid.
contract LongInputClaimTest is MnistRv32imClaimBase {
    using stdJson for string;

    uint256 internal constant BLOCK_GAS = 100_000_000; // the project's anvil block gas limit (protocol/chain/anvil.ts)

    function test_longInput_cannotBePosted_andACommittedOneIsRejectedAsWithheld() public {
        bytes memory input = _ones(32 * 1024);
        string memory o = ".rv32im[0]"; // echo_input.elf's true run
        bytes32 start = bj.readBytes32(string.concat(o, ".startRoot"));
        bytes32 fin = bj.readBytes32(string.concat(o, ".finalRoot"));
        bytes32 output = bj.readBytes32(string.concat(o, ".output"));
        uint64 steps = uint64(bj.readUint(string.concat(o, ".steps")));
        bytes32 ph = binding.programHash();
        uint256 max = binding.maxInputBytes();
        assertEq(max, 2048);
        vm.deal(liar, 2 * uint256(S));
        vm.prank(liar);
        vm.expectRevert(abi.encodeWithSelector(InputTooLong.selector, input.length, max));
        game.claim{value: S}(ph, input, output, start, fin, steps);
        // committed: the liar cannot publish it when asked, so the claim is rejected as withheld
        vm.prank(liar);
        uint256 id = game.claimCommitted{value: S}(ph, keccak256(input), output, start, fin, steps);
        vm.deal(honest, B);
        vm.prank(honest);
        game.requestInput{value: B}(id);
        vm.prank(liar);
        vm.expectRevert(abi.encodeWithSelector(InputTooLong.selector, input.length, max));
        game.publishInput(id, input);
        vm.warp(block.timestamp + 30 minutes + 1);
        game.resolveWithheld(id);
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        uint256 d = uint256(S) / 4;
        assertEq(game.credit(honest), B + d - (d * 7500) / 10_000, "the requester is paid B + (1 - b) D");
        // and the binding itself derives NO_START for it
        assertEq(binding.startRoot(input, ""), bytes32(type(uint256).max));
    }

    /// At the cap (2 KiB) the winning disputeStart fits one transaction and is paid at 50 gwei.
    function test_inputAtTheCap_disputeStartRejects_withinATransaction_andPaid() public {
        bytes memory input = _ones(binding.maxInputBytes());
        string memory o = ".rv32im[0]";
        bytes32 start = bj.readBytes32(string.concat(o, ".startRoot"));
        bytes32 fin = bj.readBytes32(string.concat(o, ".finalRoot"));
        bytes32 output = bj.readBytes32(string.concat(o, ".output"));
        uint64 steps = uint64(bj.readUint(string.concat(o, ".steps")));
        bytes32 ph = binding.programHash();
        vm.deal(liar, S);
        vm.prank(liar);
        uint256 id = game.claim{value: S}(ph, input, output, start, fin, steps);
        bytes memory cd = abi.encodeCall(DisputeGame.disputeStart, (id, input, ""));
        uint256 cdGas;
        for (uint256 i; i < cd.length; ++i) {
            cdGas += cd[i] == 0 ? 4 : 16;
        }
        vm.prank(honest);
        uint256 g0 = gasleft();
        (bool ok,) = address(game).call{gas: 1 << 24}(cd);
        uint256 gas = g0 - gasleft() + 21_000 + cdGas;
        assertTrue(ok, "fits the 2^24 per-transaction cap");
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        uint256 paid = game.credit(honest);
        console.log("disputeStart gas (2 KiB input, incl. intrinsic + calldata)", gas);
        assertEq(paid, (uint256(S) / 4) * 2500 / 10_000, "(1 - b) D");
        assertLe(gas * 50 gwei, paid, "the winning move is paid its gas at 50 gwei");
        assertLe(gas, 1 << 24);
    }
}
