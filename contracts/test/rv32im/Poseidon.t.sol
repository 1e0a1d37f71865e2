// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";
import {PoseidonT5} from "poseidon-solidity/PoseidonT5.sol";
import {LibPoseidon} from "../../src/rv32im/LibPoseidon.sol";

/// @notice Poseidon P2 / P4 on chain against circomlibjs (the reference): vectors for the chosen
///         implementation (npm poseidon-solidity, linked libraries) and for the alternative
///         (circomlibjs `poseidonContract.createCode`), and the gas comparison that decided the choice
///         (`forge test --match-contract PoseidonTest -vv` prints it).
contract PoseidonTest is Test {
    string internal constant FILE = "contracts/test/fixtures/poseidon.json";

    address internal circomT3;
    address internal circomT5;
    uint256[] internal in2;
    uint256[] internal out2;
    uint256[] internal in4;
    uint256[] internal out4;

    function setUp() public {
        string memory json = vm.readFile(FILE);
        circomT3 = _deploy(vm.parseJsonBytes(json, ".circomlibjsT3"));
        circomT5 = _deploy(vm.parseJsonBytes(json, ".circomlibjsT5"));
        in2 = vm.parseJsonUintArray(json, ".in2");
        out2 = vm.parseJsonUintArray(json, ".out2");
        in4 = vm.parseJsonUintArray(json, ".in4");
        out4 = vm.parseJsonUintArray(json, ".out4");
    }

    function _deploy(bytes memory initCode) internal returns (address a) {
        assembly {
            a := create(0, add(initCode, 0x20), mload(initCode))
        }
        require(a != address(0), "deploy");
    }

    function _callGas(address target, bytes memory data) internal view returns (uint256 out, uint256 gasUsed) {
        uint256 g = gasleft();
        (bool ok, bytes memory ret) = target.staticcall(data);
        gasUsed = g - gasleft();
        require(ok, "call");
        out = abi.decode(ret, (uint256));
    }

    function test_poseidonSolidity_matchesCircomlibjs() public view {
        assertGt(out2.length, 5);
        for (uint256 i = 0; i < out2.length; i++) {
            assertEq(LibPoseidon.p2(in2[2 * i], in2[2 * i + 1]), out2[i]);
        }
        for (uint256 i = 0; i < out4.length; i++) {
            assertEq(LibPoseidon.p4(in4[4 * i], in4[4 * i + 1], in4[4 * i + 2], in4[4 * i + 3]), out4[i]);
        }
    }

    function test_circomlibjsContract_matchesCircomlibjs() public view {
        for (uint256 i = 0; i < out2.length; i++) {
            (uint256 h,) =
                _callGas(circomT3, abi.encodeWithSignature("poseidon(uint256[2])", [in2[2 * i], in2[2 * i + 1]]));
            assertEq(h, out2[i]);
        }
        for (uint256 i = 0; i < out4.length; i++) {
            uint256[4] memory x = [in4[4 * i], in4[4 * i + 1], in4[4 * i + 2], in4[4 * i + 3]];
            (uint256 h,) = _callGas(circomT5, abi.encodeWithSignature("poseidon(uint256[4])", x));
            assertEq(h, out4[i]);
        }
    }

    /// The choice in LibPoseidon's header: same call site (a warm STATICCALL from this contract with
    /// the same ABI-encoded input), poseidon-solidity's library vs circomlibjs' generated contract.
    function test_gas_poseidonSolidityIsCheaperThanCircomlibjs() public {
        uint256[2] memory a = [in2[6], in2[7]];
        uint256[4] memory b = [in4[12], in4[13], in4[14], in4[15]];
        uint256 gc2 = _warmGas(circomT3, abi.encodeWithSignature("poseidon(uint256[2])", a), out2[3]);
        uint256 gs2 = _warmGas(address(PoseidonT3), abi.encodeWithSignature("hash(uint256[2])", a), out2[3]);
        uint256 gc4 = _warmGas(circomT5, abi.encodeWithSignature("poseidon(uint256[4])", b), out4[3]);
        uint256 gs4 = _warmGas(address(PoseidonT5), abi.encodeWithSignature("hash(uint256[4])", b), out4[3]);
        emit log_named_uint("P2 circomlibjs createCode(2), warm call", gc2);
        emit log_named_uint("P2 poseidon-solidity PoseidonT3, warm call", gs2);
        emit log_named_uint("P4 circomlibjs createCode(4), warm call", gc4);
        emit log_named_uint("P4 poseidon-solidity PoseidonT5, warm call", gs4);
        assertLt(gs2, gc2);
        assertLt(gs4, gc4);
        // as used inside the verifier: LibPoseidon -> linked-library DELEGATECALL (warm by now)
        uint256 g = gasleft();
        LibPoseidon.p2(a[0], a[1]);
        emit log_named_uint("P2 LibPoseidon.p2 in-contract (delegatecall)", g - gasleft());
        g = gasleft();
        LibPoseidon.p4(b[0], b[1], b[2], b[3]);
        emit log_named_uint("P4 LibPoseidon.p4 in-contract (delegatecall)", g - gasleft());
    }

    /// Gas of the second of two identical calls (the first warms the account), checking the result.
    function _warmGas(address target, bytes memory data, uint256 want) internal view returns (uint256 gasUsed) {
        _callGas(target, data);
        uint256 h;
        (h, gasUsed) = _callGas(target, data);
        assertEq(h, want);
    }
}
