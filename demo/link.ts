/** The graph/VM link moved to protocol/link/graph.ts; re-exported for the demo's callers. */
export * from "../protocol/link/graph.ts";
