// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {stdJson} from "forge-std/StdJson.sol";
import {GameBase} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {GraphClaimBinding} from "../../src/link/GraphClaimBinding.sol";

/// @notice Red-team attack (attack6), now a test the liar LOSES.
///         Attack: GraphClaimBinding stored the partial start roots of `advance` under tx.origin
///         (attack3's fix), so every mover whose transactions share an origin shares them: smart
///         wallets sent by one ERC-4337 bundler, users of one relayer (which the liar may run). The
///         honest challenger's wallet paid for the 15 `advance` chunks of a 128-token prompt
///         (~177M gas, ~8.8 ETH at 50 gwei); the liar's wallet, sent by the same bundler, then sent
///         the cheap resumed `disputeStart` and took the binding reward; and the honest wallet, sent
///         by another bundler, could not finish its own derivation (NoPartialRoot).
///         Fix: partial roots are keyed by the mover (`advance`'s msg.sender) and `startRoot` resumes
///         from those of `DisputeGame.bindingMover()`, the caller of the `disputeStart` under way.
contract RelayedAdvanceTest is GameBase {
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

    function _resume() internal view returns (bytes memory) {
        return bytes.concat(bytes32(uint256(120)), _slice(aux, 120 * per, 128 * per));
    }

    /// Both wallets' transactions come from one bundler (tx.origin): the liar's wallet cannot
    /// resume from the honest wallet's chunks, the honest wallet finishes and is paid.
    function test_sockWalletOnTheSameBundler_cannotResumeFromTheHonestWalletsChunks() public {
        address bundler = makeAddr("bundler");
        address honestWallet = makeAddr("honestWallet");
        address sockWallet = makeAddr("sockWallet");
        _honestChunks(honestWallet, bundler);
        vm.prank(sockWallet, bundler);
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        g.disputeStart(id, input, _resume());
        vm.prank(sockWallet, bundler);
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        b.advance(input, 120, 128, _slice(aux, 120 * per, 128 * per));
        vm.prank(honestWallet, bundler);
        g.disputeStart(id, input, _resume());
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(g.credit(honestWallet), SLOT - (SLOT * BURN_BPS) / 10_000, "the honest wallet is paid (1 - b) D");
        assertEq(g.credit(sockWallet), 0);
        assertEq(g.credit(bundler), 0);
    }

    /// The honest wallet's chunks and its final move are included by different bundlers: the move
    /// still resumes from its own chunks (it used to revert NoPartialRoot).
    function test_honestWallet_finishesThroughAnotherBundler() public {
        address honestWallet = makeAddr("honestWallet");
        _honestChunks(honestWallet, makeAddr("bundlerA"));
        vm.prank(honestWallet, makeAddr("bundlerB"));
        g.disputeStart(id, input, _resume());
        assertEq(uint8(g.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(g.credit(honestWallet), SLOT - (SLOT * BURN_BPS) / 10_000);
    }

    /// A contract that calls `startRoot` itself (not a game under a `disputeStart`) resumes from its
    /// own partial roots only: it cannot name another mover's.
    function test_directCaller_resumesOnlyFromItsOwnChunks() public {
        address honestWallet = makeAddr("honestWallet");
        _honestChunks(honestWallet, honestWallet);
        address other = makeAddr("other");
        vm.prank(other, honestWallet);
        vm.expectRevert(abi.encodeWithSelector(GraphClaimBinding.NoPartialRoot.selector, keccak256(input), 120));
        b.startRoot(input, _resume());
        vm.prank(honestWallet, other);
        assertEq(b.startRoot(input, _resume()), j.readBytes32(".graphs[2].startRoot"));
    }
}
