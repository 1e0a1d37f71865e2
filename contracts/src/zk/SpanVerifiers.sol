// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./Errors.sol";

/// @notice The constants zkfp adds to every generated verifier: the setup's (zk/setup/ceremony.ts
///         `decorateVerifier`) and the circuit's (zk/prover/snark.ts `withCircuitConstants`).
interface IZkfpVerifier {
    function SETUP_TRANSCRIPT_HASH() external view returns (bytes32);
    function SETUP_INSECURE() external view returns (bool);
    function CIRCUIT_ID() external view returns (bytes32);
    function CIRCUIT_STEPS() external view returns (uint256);
    function CIRCUIT_COMPLETE() external view returns (bool);
}

/// @title SpanVerifiers
/// @notice Immutable table span -> SET of verifier contracts, and the one `arbitrate` path shared by the
///         zk arbitrators (Groth16Arbitrator, PlonkArbitrator, FflonkArbitrator). One circuit (one verifying key) proves
///         exactly m steps, so every span the game may ask for needs its own keys; and a span may hold
///         several keys for circuits of the same statement (preRoot -> postRoot after m steps): the
///         cheap table circuit RvStepsMem (zk/circuits/mem) has no witness for windows that overflow its
///         tables, so it is registered BESIDE the complete RvSteps, never alone. Each key is sound for the
///         statement on its own, so accepting a proof valid under any one of them is sound.
///         Proof calldata: abi.encodePacked(uint256 keyIndex, proof bytes of that key's verifier):
///
///             | keyIndex (32 bytes) | snark proof (PROOF_BYTES of the arbitrator) |
///
///         keyIndex selects `verifiers(span)[keyIndex]`; an index out of range, a wrong length, a root
///         >= R, or a proof the selected verifier rejects all return false (never revert).
/// @dev    Constructor: `spans_[i]` registers `verifiers_[i]`; a span may appear several times, its set is
///         its verifiers in argument order (that order is the keyIndex). Deploy-time sanity checks, read
///         from the constants of zkfp's generated verifiers (labels the deployer's tooling wrote, NOT a
///         proof of what the key proves: an auditor checks the key against its setup transcript,
///         `setupTranscriptHash`): every verifier's CIRCUIT_STEPS equals its span, and every span's set
///         holds at least one verifier with CIRCUIT_COMPLETE (RvSteps full, or the dev counter circuit), every
///         verifier answers the arbitrator's verifyProof call (its proof system), and
///         all of a span's verifiers are circuits of ONE statement family (CIRCUIT_ID up to its first '_':
///         `rv32im` for RvSteps and its table variants, `counter` for the dev chain): a complete key of
///         another statement (CounterChain beside RvStepsMem) would satisfy the completeness check while
///         proving no RV32IM window (contracts/test/attack/KeySetOtherStatement.t.sol).
abstract contract SpanVerifiers {
    /// @dev BN254 scalar field: state roots are Poseidon outputs, so a root >= R is never a state.
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @dev Gas handed to the verifier: an honest check needs ~0.2M (Groth16, FFLONK) / ~0.3M (PLONK); malformed
    ///      points make the pairing precompile consume everything it is given, so without a cap a bad
    ///      proof would burn 63/64 of the caller's gas before returning false.
    uint256 public constant VERIFY_GAS = 1_000_000;

    /// @notice Bytes of the key index in front of the snark proof.
    uint256 public constant KEY_INDEX_BYTES = 32;

    mapping(uint256 span => address[]) private _verifiers;
    uint256[] private _spans;

    /// @param selector_ / proofBytes_ the arbitrator's verifier call (its proof system): every verifier must
    ///        answer it (a probe with an all-zero proof returns a bool), else VerifierOtherBackend.
    constructor(uint256[] memory spans_, address[] memory verifiers_, bytes4 selector_, uint256 proofBytes_) {
        if (spans_.length != verifiers_.length) revert SpanVerifierLengthMismatch(spans_.length, verifiers_.length);
        for (uint256 i; i < spans_.length; ++i) {
            uint256 s = spans_[i];
            address v = verifiers_[i];
            if (s == 0) revert ZeroSpan();
            if (v.code.length == 0) revert VerifierWithoutCode(s, v);
            uint256 steps = abi.decode(_read(s, v, IZkfpVerifier.CIRCUIT_STEPS.selector), (uint256));
            if (steps != s) revert VerifierSpanMismatch(s, v, steps);
            // a verifier of another proof system (a PLONK verifier in a Groth16 arbitrator) has no function
            // for this selector: its proofs can never pass `_arbitrate`, so its completeness label is void
            (bool answered, bytes memory ret) =
                v.staticcall{gas: VERIFY_GAS}(abi.encodePacked(selector_, new bytes(proofBytes_ + 64)));
            if (!answered || ret.length != 32) revert VerifierOtherBackend(s, v);
            _read(s, v, IZkfpVerifier.CIRCUIT_ID.selector);
            address[] storage set = _verifiers[s];
            if (set.length == 0) _spans.push(s);
            for (uint256 j; j < set.length; ++j) {
                if (set[j] == v) revert DuplicateVerifier(s, v);
            }
            set.push(v);
        }
        for (uint256 i; i < _spans.length; ++i) {
            uint256 s = _spans[i];
            address[] storage set = _verifiers[s];
            bytes32 id0 = abi.decode(_read(s, set[0], IZkfpVerifier.CIRCUIT_ID.selector), (bytes32));
            for (uint256 j = 1; j < set.length; ++j) {
                bytes32 id = abi.decode(_read(s, set[j], IZkfpVerifier.CIRCUIT_ID.selector), (bytes32));
                if (_statement(id) != _statement(id0)) revert MixedStatements(s, id0, id);
            }
            bool complete;
            for (uint256 j; j < set.length && !complete; ++j) {
                complete = abi.decode(_read(s, set[j], IZkfpVerifier.CIRCUIT_COMPLETE.selector), (bool));
            }
            if (!complete) revert NoCompleteVerifier(s);
        }
    }

    /// @notice The spans with a verifier set, in registration order.
    function spans() external view returns (uint256[] memory) {
        return _spans;
    }

    /// @notice The verifier set of `span` (index = the proof's keyIndex); empty if the span has none.
    function verifiers(uint256 span) external view returns (address[] memory) {
        return _verifiers[span];
    }

    /// @notice The verifier at `index` of `span`'s set.
    function verifierAt(uint256 span, uint256 index) public view returns (address) {
        address[] storage set = _verifiers[span];
        if (set.length == 0) revert NoVerifierForSpan(span);
        if (index >= set.length) revert NoVerifierAtIndex(span, index);
        return set[index];
    }

    /// @notice The setup transcript hash of a verifier (its SETUP_TRANSCRIPT_HASH, the sha256 of the
    ///         zkfp-setup-transcript/1 file the key comes from; zk/setup/ceremony.ts), so a user can check
    ///         which setup a deployment uses: `zkfp setup verify --transcript`.
    function setupTranscriptHash(uint256 span, uint256 index) external view returns (bytes32) {
        return abi.decode(_readAt(span, index, IZkfpVerifier.SETUP_TRANSCRIPT_HASH.selector), (bytes32));
    }

    /// @notice Whether a verifier was generated from a setup zkfp calls INSECURE (its SETUP_INSECURE
    ///         constant: not a verified public ceremony ptau, or phase 2 without a verified secret
    ///         contribution).
    function setupInsecure(uint256 span, uint256 index) external view returns (bool) {
        return abi.decode(_readAt(span, index, IZkfpVerifier.SETUP_INSECURE.selector), (bool));
    }

    /// @notice The circuit id a verifier is labelled with (zk/prover/circuits.ts CircuitId, as bytes32 text).
    function circuitId(uint256 span, uint256 index) external view returns (bytes32) {
        return abi.decode(_readAt(span, index, IZkfpVerifier.CIRCUIT_ID.selector), (bytes32));
    }

    /// @notice Whether a verifier is labelled complete (a witness exists for every transition).
    function circuitComplete(uint256 span, uint256 index) external view returns (bool) {
        return abi.decode(_readAt(span, index, IZkfpVerifier.CIRCUIT_COMPLETE.selector), (bool));
    }

    /// @dev The arbitrate path of every zk arbitrator: `proof` = keyIndex ++ `proofBytes` bytes forwarded
    ///      to verifier `selector`(proof words..., preRoot, postRoot) (the static arrays' ABI encoding is
    ///      their words in order, so the bytes are forwarded as they are).
    function _arbitrate(
        bytes32 preRoot,
        bytes32 postRoot,
        uint256 span,
        bytes calldata proof,
        uint256 proofBytes,
        bytes4 selector
    ) internal view returns (bool) {
        address v = _selected(span, proof, proofBytes);
        if (v == address(0) || uint256(preRoot) >= R || uint256(postRoot) >= R) return false;
        (bool ok, bytes memory ret) =
            v.staticcall{gas: VERIFY_GAS}(abi.encodePacked(selector, proof[KEY_INDEX_BYTES:], preRoot, postRoot));
        return ok && ret.length == 32 && abi.decode(ret, (bool));
    }

    /// @dev The verifier the calldata's key index selects; address(0) for a wrong length or an index out of range.
    function _selected(uint256 span, bytes calldata proof, uint256 proofBytes) private view returns (address) {
        if (proof.length != KEY_INDEX_BYTES + proofBytes) return address(0);
        address[] storage set = _verifiers[span];
        uint256 index = uint256(bytes32(proof[:KEY_INDEX_BYTES]));
        return index < set.length ? set[index] : address(0);
    }

    /// @dev The statement family of a circuit id (bytes32 text): its text up to the first '_'
    ///      ("rv32im", "rv32im_mem", "rv32im_blk" -> "rv32im"; "counter" -> "counter").
    function _statement(bytes32 id) private pure returns (bytes32 f) {
        for (uint256 i; i < 32; ++i) {
            bytes1 c = id[i];
            if (c == "_" || c == 0) break;
            f |= bytes32(c) >> (8 * i);
        }
    }

    function _readAt(uint256 span, uint256 index, bytes4 selector) private view returns (bytes memory ret) {
        address v = verifierAt(span, index);
        bool ok;
        (ok, ret) = v.staticcall(abi.encodeWithSelector(selector));
        if (!ok || ret.length != 32) revert VerifierWithoutTranscript(span, v);
    }

    /// @dev One constant of a verifier being registered; a missing one is VerifierWithoutCircuitId.
    function _read(uint256 span, address v, bytes4 selector) private view returns (bytes memory ret) {
        bool ok;
        (ok, ret) = v.staticcall(abi.encodeWithSelector(selector));
        if (!ok || ret.length != 32) revert VerifierWithoutCircuitId(span, v);
    }
}
