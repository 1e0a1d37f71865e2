// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Custom errors of the zkfp dispute game (contracts/src/game), grouped by concern. Each carries the
// offending value. The TS model (protocol/game/model.ts) throws errors with the same names so the
// differential test compares failures by name.

// ---- configuration (constructor) ----
error BadPhaseCount(uint256 count);
error BadPhase(uint256 phase, uint256 k, uint256 m);
error MissingArbitrator(uint256 phase);
error MissingLink(uint256 phase);
error BadBurnShare(uint256 burnBps);
error BadClock(uint256 budget);
error BadSlots(uint256 slots, uint256 claimBond);
error MissingBinding();

// ---- claims, challenges and data availability ----
error WrongBond(uint256 expected, uint256 got);
error BadSteps(uint256 steps);
error ClaimNotPending(uint256 claimId, uint8 status);
error ChallengeWindowClosed(uint256 claimId, uint256 deadline);
error ChallengeWindowOpen(uint256 claimId, uint256 deadline);
error GamesOpen(uint256 claimId, uint256 openGames);
error InputAlreadyPublished(uint256 claimId);
error InputAlreadyRequested(uint256 claimId);
error InputNotRequested(uint256 claimId);
error InputMismatch(uint256 claimId, bytes32 expected, bytes32 got);
error InputWithheld(uint256 claimId, uint256 deadline);
error DataDeadlineNotPassed(uint256 claimId, uint256 deadline);
error NoFreeSlot(uint256 claimId);
error QueueNotEmpty(uint256 claimId, uint256 length);
error ClaimNotRejected(uint256 claimId, uint8 status);
error NotQueued(uint256 claimId, uint256 position);
error WrongProgram(bytes32 expected, bytes32 got);
error BadOutput(bytes32 output);
error BadStartRoot(bytes32 startRoot);
error InputTooLong(uint256 length, uint256 max);

// ---- binding moves (IClaimBinding) ----
error StartRootCorrect(uint256 claimId, bytes32 startRoot);
error OutputCorrect(uint256 claimId, bytes32 output);

// ---- moves ----
error NoSuchGame(uint256 gameId);
error NotYourTurn(uint256 gameId, address caller, uint8 status);
error ClockExpired(uint256 gameId, uint256 elapsed, uint256 remaining);
error ClockNotExpired(uint256 gameId, uint256 elapsed, uint256 remaining);
error RootsMismatch(uint256 gameId, bytes32 commit);
error WrongCheckpointCount(uint256 gameId, uint256 expected, uint256 got);
error SegmentOutOfRange(uint256 gameId, uint256 index, uint256 count);
error BadCheckpointProof(uint256 gameId, uint256 leafIndex);
error NotAtLeaf(uint256 gameId, uint256 level);
error AtLeaf(uint256 gameId);
error NotLastPhase(uint256 gameId, uint256 phase);
error LastPhase(uint256 gameId, uint256 phase);
error ArbitrationRejected(uint256 gameId, bytes32 preRoot, bytes32 postRoot, uint256 span);
error LinkRejected(uint256 gameId, bytes32 innerStart, bytes32 innerEnd, uint256 innerSteps);

// ---- payments ----
error NothingToWithdraw(address account);
error TransferFailed(address account, uint256 amount);
error Reentrancy();
