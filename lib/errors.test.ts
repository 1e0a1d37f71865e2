import { describe, expect, it } from "vitest";
import { ZkfpError } from "./errors.ts";
import { ZkfpError as FromVm } from "../vm/errors.ts";

class OuterError extends ZkfpError {
  override readonly name = "OuterError";
}

describe("ZkfpError", () => {
  it("keeps its cause and walks the chain to the deepest cause or the first match", () => {
    const root = new RangeError("bad byte");
    const mid = new ZkfpError("cannot decode", { at: 3 }, { cause: root });
    const top = new OuterError("cannot load", { path: "x" }, { cause: mid });
    expect(top.cause).toBe(mid);
    expect(top.walk()).toBe(root);
    expect(top.walk((e) => e instanceof ZkfpError && e.detail.at === 3)).toBe(mid);
    expect(top.walk((e) => e instanceof TypeError)).toBeNull();
    expect(new ZkfpError("alone").walk()).toBeInstanceOf(ZkfpError);
  });

  it("serialises the cause chain and stops on a cyclic one", () => {
    const inner = new ZkfpError("inner", { v: 1 }, { cause: new Error("io") });
    const outer = new OuterError("outer", {}, { cause: inner });
    expect(outer.toJSON()).toEqual({
      name: "OuterError",
      message: "outer",
      detail: {},
      cause: { name: "ZkfpError", message: "inner", detail: { v: 1 }, cause: { name: "Error", message: "io" } },
    });
    const a = new ZkfpError("a") as ZkfpError & { cause: unknown };
    const b = new ZkfpError("b", {}, { cause: a });
    Object.defineProperty(a, "cause", { value: b });
    expect([a, b]).toContain(b.walk());
  });

  it("is the class vm/errors.ts exports", () => {
    expect(FromVm).toBe(ZkfpError);
  });
});
