// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {RV32IMClaimBinding} from "../../src/link/RV32IMClaimBinding.sol";
import {RV32IMOneStepArbitrator} from "../../src/rv32im/RV32IMOneStepArbitrator.sol";
import {RV32IMStepVerifier} from "../../src/rv32im/RV32IMStepVerifier.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";

/// @notice Set-up shared by the RV32IM input-binding red-team tests (BindingMoveRace, LongInputClaim):
///         the RV32IMClaimBinding of mnist-i8.elf (bindings.json rv32im[1]) and a one-phase game over
///         it with the one-step RV32IM arbitrator (stake S, bond B, 4 slots, clocks CLOCK).
abstract contract MnistRv32imClaimBase is Test {
    using stdJson for string;

    uint96 internal constant S = 10 ether; // protocol/economics/payout.ts PAYOUT
    uint96 internal constant B = 1 ether;
    uint32 internal constant CLOCK = 1 days;

    string internal bj;
    DisputeGame internal game;
    RV32IMClaimBinding internal binding;
    address internal liar = makeAddr("liar");
    address internal honest = makeAddr("honest");

    function setUp() public virtual {
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
        game = new DisputeGame(DisputeGame.Config(S, B, 7500, CLOCK, 1 hours, 30 minutes, 4, 5000), ph, binding);
    }

    /// @dev An input of `n` bytes 0x01.
    function _ones(uint256 n) internal pure returns (bytes memory input) {
        input = new bytes(n);
        for (uint256 i; i < n; ++i) {
            input[i] = 0x01;
        }
    }
}
