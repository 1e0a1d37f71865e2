/**
 * The demo's deployer is protocol/chain/deployer.ts; the builder is contracts/build.ts. Re-exported
 * here for callers written against the old demo/contracts.ts.
 */
export { Deployer } from "../protocol/chain/deployer.ts";
