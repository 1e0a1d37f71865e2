// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {stdJson} from "forge-std/StdJson.sol";
import {GameBase} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {GraphClaimBinding} from "../../src/link/GraphClaimBinding.sol";

/// @notice Red-team attack (attack3), now a test the liar LOSES.
///         Attack: a long prompt's start root needs several `advance` transactions before the
///         resumed `disputeStart`. Partial roots were stored per input only, so after the honest
///         challenger paid for the chunks (15 x ~11.8M gas for stories260K's 128-token prompt), the
///         liar's sock sent the cheap resumed disputeStart first and took the binding reward; the
///         honest challenger was left with its gas spent and nothing paid (TS twin on anvil:
///         protocol/actors/attack/long-prompt.test.ts). Fix: GraphClaimBinding keys partial roots by
///         tx.origin (since attack6: by the mover, RelayedAdvance.t.sol), so only whoever paid for
///         the chunks can finish the move from them.
contract AdvanceFrontRunTest is GameBase {
    using stdJson for string;

    string internal j;

    function setUp() public {
        j = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/bindings.json"));
    }

    function _slice(bytes memory b, uint256 from, uint256 to) internal pure returns (bytes memory c) {
        c = new bytes(to - from);
        for (uint256 i; i < c.length; ++i) {
            c[i] = b[from + i];
        }
    }

    function test_sockCannotResumeFromTheHonestChallengersChunks() public {
        string memory p = ".graphs[2]"; // stories260K, 128-token prompt
        GraphClaimBinding b = new GraphClaimBinding(
            uint256(j.readBytes32(string.concat(p, ".args.baseRoot"))),
            j.readUint(string.concat(p, ".args.depth")),
            j.readUint(string.concat(p, ".args.firstInput")),
            j.readUintArray(string.concat(p, ".args.inputLens")),
            j.readUint(string.concat(p, ".args.outputNode")),
            j.readBytes32(string.concat(p, ".args.opsRoot")),
            j.readBytes32(string.concat(p, ".args.nodeProgram"))
        );
        DisputeGame.PhaseConfig[] memory ph = new DisputeGame.PhaseConfig[](1);
        ph[0] = DisputeGame.PhaseConfig(1, 1, IArbitrator(address(arbitrator)), IPhaseLink(address(0)));
        DisputeGame g = new DisputeGame(_config(), ph, b);
        bytes memory input = j.readBytes(string.concat(p, ".input"));
        bytes memory aux = j.readBytes(string.concat(p, ".aux"));
        uint256 per = 96 * b.depth();
        // the liar's claim: the published prompt with a wrong start root
        address liar = makeAddr("liar");
        vm.deal(liar, CLAIM_BOND);
        vm.prank(liar, liar);
        uint256 id = g.claim{value: CLAIM_BOND}(
            b.programHash(), input, bytes32(uint256(1)), bytes32(uint256(7)), bytes32(uint256(8)), 79
        );
        address honest = makeAddr("honest");
        address sock = makeAddr("sock");
        for (uint256 from; from < 120; from += 8) {
            vm.prank(honest, honest);
            b.advance(input, from, from + 8, _slice(aux, from * per, (from + 8) * per));
        }
        bytes memory resume = bytes.concat(bytes32(uint256(120)), _slice(aux, 120 * per, 128 * per));
        // the sock's resumed move finds no partial root of its own
        vm.prank(sock, sock);
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        g.disputeStart(id, input, resume);
        // nor can it extend the honest challenger's chunks
        vm.prank(sock, sock);
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        b.advance(input, 120, 128, _slice(aux, 120 * per, 128 * per));
        // the honest challenger finishes its own derivation and is paid
        vm.prank(honest, honest);
        g.disputeStart(id, input, resume);
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertGt(g.credit(honest), 0, "the honest challenger is paid for the binding move");
        assertEq(g.credit(sock), 0);
    }
}
