// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Custom errors of the RV32IM one-step verifier (contracts/src/rv32im). Each carries the offending
// value. They correspond one to one to the WitnessError rejections of the TS twin vm/verify.ts
// (same checks, same order), so a witness is rejected by one iff by the other. Offsets are witness
// element indices (vm/STATE.md "Step witness").

// ---- RV32IMStepVerifier: malformed witness ----
/// An element is not a BN254 scalar field element (>= p).
error WitnessNotAFieldElement(uint256 offset, uint256 value);
/// A counter (pc, step, status, inputLen, inputPos, preimageOffset) is >= 2^53.
error WitnessCounterOutOfRange(uint256 offset, uint256 value);
/// A slot where a 32-bit word is expected holds a value >= 2^32.
error WitnessNotAWord(uint256 offset, uint256 value);

// ---- RV32IMStepVerifier: witness inconsistent with the pre-state ----
/// The 12 pre-state fields do not hash to the pre-root.
error PreRootMismatch(bytes32 preRoot, bytes32 computed);
/// The instruction word and its proof do not match the code root.
error CodeProofMismatch(uint256 pc, uint256 insn);
/// Register slot `slot` (0..3 reads, 4 the write slot) names another register than the step dictates.
error WrongRegisterIndex(uint256 slot, uint256 index, uint256 expected);
/// Register slot `slot` (value and proof) does not match the registers root.
error RegisterProofMismatch(uint256 slot, uint256 index);
/// A register slot claims a non-zero value for x0.
error NonZeroX0(uint256 slot, uint256 value);
/// The memory slot holds another word address than the step dictates.
error WrongMemoryAddress(uint256 addr, uint256 expected);
/// The memory word and its proof do not match the memory root.
error MemoryProofMismatch(uint256 addr);
/// The input word and its proof do not match the input root.
error InputProofMismatch(uint256 index);
/// P2(blobRoot, blobLen) differs from the preimage key (fd 5 reads only).
error BlobKeyMismatch(uint256 preimageKey, uint256 computed);
/// The blob word and its proof do not match the blob root (fd 5 reads only).
error BlobProofMismatch(uint256 offset);

// ---- RV32IMOneStepArbitrator ----
/// The one-step arbitrator only settles span = 1.
error OneStepWrongSpan(uint256 span);
/// The proof is not a 165-word step witness.
error OneStepWrongProofLength(uint256 length, uint256 expected);
