/** What the statement, extern, parser, control and deparser renderers share while they write one C file. */
import type { DatapathModel, DStmt, EmitStmt, HeaderLayout } from "../../compiler/ir/datapath.js";
import type { ExprCtx } from "./cexpr.js";
import type { CWriter } from "./writer.js";

export interface Emitter extends ExprCtx {
  readonly w: CWriter;
  readonly dp: DatapathModel;
  stmt(s: DStmt): void;
  /** Renders an `emit` met among the deparser's statements (the deparser sets it while it renders them). */
  onEmit?: ((s: EmitStmt) => void) | undefined;
}

export function layoutOf(dp: DatapathModel, name: string): HeaderLayout {
  const h = dp.headers.find((x) => x.name === name);
  if (!h) throw new Error(`internal: no layout for header ${name}`);
  return h;
}
