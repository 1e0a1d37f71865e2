// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {stdJson} from "forge-std/StdJson.sol";
import {GameBase} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {GraphClaimBinding} from "../../src/link/GraphClaimBinding.sol";

/// @notice Set-up shared by the long-prompt binding red-team tests (AdvanceFrontRun, RelayedAdvance,
///         BindingMoverSpoof): the GraphClaimBinding of stories260K (bindings.json graphs[2]), a
///         one-phase game over it, the 128-token prompt with its `advance` siblings (`aux`, `per`
///         bytes per node), and the liar's claim `id` on that prompt with a wrong start root.
abstract contract LongPromptClaimBase is GameBase {
    using stdJson for string;

    string internal j;
    GraphClaimBinding internal b;
    DisputeGame internal g;
    bytes internal input;
    bytes internal aux;
    uint256 internal per;
    uint256 internal id;

    function setUp() public virtual {
        j = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/bindings.json"));
        string memory p = ".graphs[2]"; // stories260K, 128-token prompt
        b = new GraphClaimBinding(
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
        g = new DisputeGame(_config(), ph, b);
        input = j.readBytes(string.concat(p, ".input"));
        aux = j.readBytes(string.concat(p, ".aux"));
        per = 96 * b.depth();
        // the liar's claim: the published prompt with a wrong start root
        address liar = makeAddr("liar");
        vm.deal(liar, CLAIM_BOND);
        vm.prank(liar, liar);
        id = g.claim{value: CLAIM_BOND}(
            b.programHash(), input, bytes32(uint256(1)), bytes32(uint256(7)), bytes32(uint256(8)), 79
        );
    }

    function _slice(bytes memory x, uint256 from, uint256 to) internal pure returns (bytes memory c) {
        c = new bytes(to - from);
        for (uint256 i; i < c.length; ++i) {
            c[i] = x[from + i];
        }
    }

    /// @dev The honest wallet's 15 chunks over nodes [0, 120), each sent by `origin`.
    function _honestChunks(address wallet, address origin) internal {
        for (uint256 from; from < 120; from += 8) {
            vm.prank(wallet, origin);
            b.advance(input, from, from + 8, _slice(aux, from * per, (from + 8) * per));
        }
    }

    /// @dev The resumed `disputeStart` aux once nodes [0, 120) are advanced: node 120, then its siblings.
    function _resume() internal view returns (bytes memory) {
        return bytes.concat(bytes32(uint256(120)), _slice(aux, 120 * per, 128 * per));
    }
}
