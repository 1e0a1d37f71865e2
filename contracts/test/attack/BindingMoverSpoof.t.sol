// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {stdJson} from "forge-std/StdJson.sol";
import {GameBase} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {GraphClaimBinding} from "../../src/link/GraphClaimBinding.sol";

/// @dev The liar's contract: it names the honest wallet as the mover of whatever it asks the binding
///      (GraphClaimBinding `_mover` believes any caller's `bindingMover()`), and forwards binding moves.
contract SpoofMover {
    address public immutable named;

    constructor(address named_) {
        named = named_;
    }

    function bindingMover() external view returns (address) {
        return named;
    }

    function read(GraphClaimBinding b, bytes calldata input, bytes calldata aux) external view returns (bytes32) {
        return b.startRoot(input, aux);
    }

    function move(DisputeGame g, uint256 id, bytes calldata input, bytes calldata aux) external {
        g.disputeStart(id, input, aux);
    }
}

/// @notice Red team (attack7), a test the liar LOSES. Attack: GraphClaimBinding resumes a start root from
///         the partial roots of whatever mover its CALLER names (`bindingMover()`), and any contract can
///         name one. The liar's contract names the honest wallet that paid for the 15 `advance` chunks of
///         a 128-token prompt (~177M gas) and tries to take the binding reward with one cheap resumed move.
///         It loses: naming H reads H's root only in a view of its own (a root anyone can derive), while
///         the real game asks the binding with ITSELF as caller and names its own `disputeStart` caller,
///         so the liar's move through the game reverts NoPartialRoot; the honest wallet's move is paid.
contract BindingMoverSpoofTest is GameBase {
    using stdJson for string;

    string internal j;
    GraphClaimBinding internal b;
    DisputeGame internal g;
    bytes internal input;
    bytes internal aux;
    uint256 internal per;
    uint256 internal id;

    function setUp() public {
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

    function test_contractNamingTheHonestMover_cannotTakeTheBindingReward() public {
        address honest = makeAddr("honest");
        for (uint256 from; from < 120; from += 8) {
            vm.prank(honest, honest);
            b.advance(input, from, from + 8, _slice(aux, from * per, (from + 8) * per));
        }
        bytes memory resume = bytes.concat(bytes32(uint256(120)), _slice(aux, 120 * per, 128 * per));
        SpoofMover spoof = new SpoofMover(honest);
        // the spoof reads the honest wallet's partial root in its own view: the true start root, nothing more
        assertEq(spoof.read(b, input, resume), j.readBytes32(".graphs[2].startRoot"));
        // through the game it is its own mover: no chunks of its own
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        spoof.move(g, id, input, resume);
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Pending));
        // the honest wallet finishes its derivation and is paid (1 - b) D
        vm.prank(honest, honest);
        g.disputeStart(id, input, resume);
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(g.credit(honest), SLOT - (SLOT * BURN_BPS) / 10_000);
        assertEq(g.credit(address(spoof)), 0);
        assertEq(g.bindingMover(), address(0), "the mover is cleared after the move");
    }
}
