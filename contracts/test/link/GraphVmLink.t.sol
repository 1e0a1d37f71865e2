// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {GraphVmLink} from "../../src/link/GraphVmLink.sol";
import {LibPoseidon} from "../../src/rv32im/LibPoseidon.sol";
import {MalformedProof} from "../../src/link/Errors.sol";

/// @notice GraphVmLink against its TS twin (protocol/link/graph.ts) on the real MNIST model.
///         Fixture: contracts/test/fixtures/graph_link_mnist.json, written by `npx tsx protocol/link/fixtures.ts`:
///         the honest opening of every op node (graph roots before/after, node.elf start/end roots,
///         steps padded to m = 2, link proof) and a consistent liar's opening of the last op.
contract GraphVmLinkTest is Test {
    using stdJson for string;

    string internal j;
    GraphVmLink internal link;
    uint256 internal n;

    function setUp() public {
        j = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/graph_link_mnist.json"));
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
        assertFalse(
            link.verifyLink(h.pre, h.post, l.start, l.end, l.steps, l.proof), "liar's VM end under the true root"
        );
    }

    function test_verifyLink_gas() public {
        Case memory c = _at(1);
        uint256 g = gasleft();
        link.verifyLink(c.pre, c.post, c.start, c.end, c.steps, c.proof);
        emit log_named_uint("verifyLink gas, MNIST 784x64 int8 matmul node", g - gasleft());
    }

    // ------------------------------------------------------------------ malformed proofs (typed)

    function test_verifyLink_malformedProof_revertsTyped() public {
        Case memory c = _at(1);
        bytes memory p = c.proof;
        // truncated by one word
        bytes memory cut = new bytes(p.length - 32);
        for (uint256 i; i < cut.length; ++i) {
            cut[i] = p[i];
        }
        vm.expectRevert(abi.encodeWithSelector(MalformedProof.selector, cut.length, cut.length));
        link.verifyLink(c.pre, c.post, c.start, c.end, c.steps, cut);
        // one trailing word
        bytes memory longer = bytes.concat(p, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(MalformedProof.selector, p.length, longer.length));
        link.verifyLink(c.pre, c.post, c.start, c.end, c.steps, longer);
        // not a whole number of words
        bytes memory odd = bytes.concat(p, hex"00");
        vm.expectRevert(abi.encodeWithSelector(MalformedProof.selector, odd.length, odd.length));
        link.verifyLink(c.pre, c.post, c.start, c.end, c.steps, odd);
        // an absurd parameter count (word 4)
        bytes memory big = bytes.concat(p);
        assembly ("memory-safe") {
            mstore(add(big, add(32, 128)), 1000000)
        }
        vm.expectRevert(abi.encodeWithSelector(MalformedProof.selector, 128, big.length));
        link.verifyLink(c.pre, c.post, c.start, c.end, c.steps, big);
        // empty
        vm.expectRevert(abi.encodeWithSelector(MalformedProof.selector, 0, 0));
        link.verifyLink(c.pre, c.post, c.start, c.end, c.steps, "");
    }
}

/// @notice GraphVmLink on stories260K (prompt [1]), whose graph has 25 parallel pairs (op t+1 does not
///         read op t): the shown attack opens op t+1 at the graph step of op t with prevLeaf = p, which
///         passed `prevLeaf != 0` and hashed like an empty slot. Fixture graph_link_stories.json
///         (protocol/link/fixtures.ts): for every pair the honest opening at t, the attack, the attack
///         with prevLeaf = 0, and a sample of other misplaced openings (t' < t and t' > t + 1).
contract GraphVmLinkStoriesTest is Test {
    using stdJson for string;

    uint256 internal constant P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    GraphVmLink internal link;

    function _json() internal view returns (string memory) {
        return vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/graph_link_stories.json"));
    }

    function setUp() public {
        string memory j = _json();
        link = new GraphVmLink(
            j.readBytes32(".opsRoot"),
            j.readUint(".opCount"),
            j.readUint(".depth"),
            j.readUint(".m"),
            uint256(j.readBytes32(".core0")),
            uint256(j.readBytes32(".mem0")),
            uint256(j.readBytes32(".code0"))
        );
    }

    function _call(string memory j, string memory p) internal view returns (bool ok, bytes memory ret) {
        return address(link)
            .staticcall(
                abi.encodeCall(
                    GraphVmLink.verifyLink,
                    (
                        j.readBytes32(string.concat(p, ".pre")),
                        j.readBytes32(string.concat(p, ".post")),
                        j.readBytes32(string.concat(p, ".start")),
                        j.readBytes32(string.concat(p, ".end")),
                        j.readUint(string.concat(p, ".steps")),
                        j.readBytes(string.concat(p, ".proof"))
                    )
                )
            );
    }

    function _verify(string memory j, string memory p) internal view returns (bool) {
        (bool ok, bytes memory ret) = _call(j, p);
        assertTrue(ok, "no revert expected");
        return abi.decode(ret, (bool));
    }

    /// @dev One pair per external call, so each starts with fresh memory.
    function checkPair(uint256 i) external view {
        string memory j = _json();
        string memory k = vm.toString(i);
        assertTrue(_verify(j, string.concat(".honest[", k, "]")), "honest opening at t");
        (bool ok, bytes memory ret) = _call(j, string.concat(".attacks[", k, "]"));
        assertFalse(ok, "prevLeaf = p must not pass");
        assertEq(ret, abi.encodeWithSelector(LibPoseidon.NotAFieldElement.selector, P));
        assertFalse(_verify(j, string.concat(".zeroPrev[", k, "]")), "op t+1 at t with the true (empty) prev leaf");
    }

    function checkSample(uint256 i) external view {
        assertFalse(_verify(_json(), string.concat(".sample[", vm.toString(i), "]")), "op t' at step t != t'");
    }

    function test_everyParallelPair_honestAccepted_prevLeafPAliasReverts_zeroPrevRejected() public view {
        uint256[] memory pairs = _json().readUintArray(".pairs");
        assertEq(pairs.length, 25, "stories260K has 25 parallel pairs");
        for (uint256 i; i < pairs.length; ++i) {
            this.checkPair(i);
        }
    }

    function test_misplacedOpenings_sample_rejected() public view {
        for (uint256 i; i < 5; ++i) {
            this.checkSample(i);
        }
    }
}
