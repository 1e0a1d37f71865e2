// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {GraphVmLink} from "../../src/link/GraphVmLink.sol";

/// @notice GraphVmLink against its TS twin (demo/link.ts, demo/world.ts) on the real MNIST model.
///         Fixture: contracts/test/fixtures/demo_link.json, written by `npx tsx demo/fixtures.ts`:
///         the honest opening of every op node (graph roots before/after, node.elf start/end roots,
///         steps padded to m = 2, link proof) and a consistent liar's opening of the last op.
contract GraphVmLinkTest is Test {
    using stdJson for string;

    string internal j;
    GraphVmLink internal link;
    uint256 internal n;

    function setUp() public {
        j = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/demo_link.json"));
        link = new GraphVmLink(
            j.readBytes32(".opsRoot"),
            j.readUint(".opCount"),
            j.readUint(".depth"),
            j.readUint(".m"),
            uint256(j.readBytes32(".core0")),
            uint256(j.readBytes32(".mem0")),
            uint256(j.readBytes32(".code0"))
        );
        n = j.readUint(".opCount");
    }

    struct Case {
        bytes32 pre;
        bytes32 post;
        bytes32 start;
        bytes32 end;
        uint256 steps;
        bytes proof;
    }

    function _case(string memory p) internal view returns (Case memory c) {
        c.pre = j.readBytes32(string.concat(p, ".pre"));
        c.post = j.readBytes32(string.concat(p, ".post"));
        c.start = j.readBytes32(string.concat(p, ".start"));
        c.end = j.readBytes32(string.concat(p, ".end"));
        c.steps = j.readUint(string.concat(p, ".steps"));
        c.proof = j.readBytes(string.concat(p, ".proof"));
    }

    function _at(uint256 t) internal view returns (Case memory) {
        return _case(string.concat(".cases[", vm.toString(t), "]"));
    }

    function test_verifyLink_honestOpeningOfEveryNode_accepted() public view {
        for (uint256 t; t < n; ++t) {
            Case memory c = _at(t);
            assertTrue(link.verifyLink(c.pre, c.post, c.start, c.end, c.steps, c.proof), "honest opening");
        }
    }

    function test_verifyLink_wrongStepsOrRoots_rejected() public view {
        Case memory c = _at(n - 1);
        assertFalse(link.verifyLink(c.pre, c.post, c.start, c.end, c.steps + 2, c.proof), "steps");
        assertFalse(link.verifyLink(c.pre, c.post, c.start, c.end, c.steps - 1, c.proof), "steps unpadded");
        assertFalse(link.verifyLink(c.post, c.pre, c.start, c.end, c.steps, c.proof), "swapped graph roots");
        assertFalse(link.verifyLink(c.pre, c.post, c.end, c.start, c.steps, c.proof), "swapped vm roots");
        assertFalse(link.verifyLink(c.pre, c.post, c.start, bytes32(uint256(c.end) ^ 1), c.steps, c.proof), "end");
    }

    function test_verifyLink_openingMovedToAnotherNode_rejected() public view {
        for (uint256 t = 1; t < n; ++t) {
            Case memory a = _at(t - 1);
            Case memory b = _at(t);
            // node t-1's VM sub-game presented for the graph step of node t, and vice versa
            assertFalse(link.verifyLink(b.pre, b.post, a.start, a.end, a.steps, a.proof), "earlier node");
            assertFalse(link.verifyLink(a.pre, a.post, b.start, b.end, b.steps, b.proof), "later node");
        }
    }

    function test_verifyLink_liarsOpening_acceptedButDisputedRootDiffers() public view {
        Case memory l = _case(".liar");
        Case memory h = _at(n - 1);
        assertTrue(link.verifyLink(l.pre, l.post, l.start, l.end, l.steps, l.proof), "liar's opening is consistent");
        assertEq(l.pre, h.pre);
        assertEq(l.start, h.start);
        assertTrue(l.post != h.post && l.end != h.end, "the lie is in the disputed roots");
        assertFalse(link.verifyLink(h.pre, h.post, l.start, l.end, l.steps, l.proof), "liar's VM end under the true root");
    }

    function test_verifyLink_gas() public {
        Case memory c = _at(1);
        uint256 g = gasleft();
        link.verifyLink(c.pre, c.post, c.start, c.end, c.steps, c.proof);
        emit log_named_uint("verifyLink gas, MNIST 784x64 int8 matmul node", g - gasleft());
    }
}
