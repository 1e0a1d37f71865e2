import { compileMem } from "../build.ts";
import { r1csInfo } from "../harness.ts";
const [m, C, KR, KW, H, A] = process.argv.slice(2).map(Number);
const a = await compileMem(m!, { C: C!, KR: KR!, KW: KW!, H: H!, A: A ?? 0 });
console.log(a.name, r1csInfo(a.r1cs).nConstraints, a.compileSeconds.toFixed(1));
