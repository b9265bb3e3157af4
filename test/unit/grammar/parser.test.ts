// Parser unit table: one small program per construct, checked through the AST.
import { DiagnosticBag } from "../../../compiler/diagnostics/index.js";
import { parseP4, locateIn } from "../../../grammar/parse.js";
import type * as A from "../../../compiler/ast/nodes.js";
import { printProgram } from "../../../compiler/ast/print.js";
import { astDiff } from "../../../compiler/ast/equal.js";

function parse(src: string) {
  const diags = new DiagnosticBag();
  const program = parseP4(src, locateIn("t.p4", src), diags);
  return { program, diags };
}
function ok(src: string): A.Program {
  const { program, diags } = parse(src);
  expect(diags.all().map((d) => `${d.span?.line}:${d.span?.col} ${d.message}`)).toEqual([]);
  // Every accepted program also round-trips through the printer.
  const again = parse(printProgram(program));
  expect(again.diags.all()).toEqual([]);
  expect(astDiff(program, again.program)).toBeNull();
  return program;
}
function expr(src: string): A.Expression {
  const p = ok(`const bit<8> x = ${src};`);
  return (p.declarations[0] as A.ConstantDeclaration).value;
}
const errorsOf = (src: string) => parse(src).diags.all().map((d) => `${d.span?.line}:${d.span?.col} ${d.message}`);

describe("declarations", () => {
  test.each([
    ["header", "header h_t { bit<8> a; varbit<32> v; }", "HeaderDeclaration"],
    ["struct with stack", "header h_t { bit<8> a; } struct s { h_t[4] hs; }", "StructDeclaration"],
    ["header_union", "header a_t {} header b_t {} header_union u { a_t a; b_t b; }", "HeaderUnionDeclaration"],
    ["enum", "enum E { A, B, }", "EnumDeclaration"],
    ["serializable enum", "enum bit<8> E { A = 1, B = 2 }", "EnumDeclaration"],
    ["typedef", "typedef bit<48> mac_t;", "TypedefDeclaration"],
    ["type", "type bit<32> id_t;", "TypedefDeclaration"],
    ["typedef of inline struct", "typedef struct s { bit<1> a; } s_t;", "TypedefDeclaration"],
    ["error", "error { Oops, Other }", "ErrorDeclaration"],
    ["match_kind", "match_kind { exact, range, }", "MatchKindDeclaration"],
    ["extern object", "extern E<T> { E(bit<32> n); T get<U>(in U u); abstract void cb(); }", "ExternDeclaration"],
    ["extern function", "extern T f<T>(in T x);", "ExternFunctionDeclaration"],
    ["function", "bit<8> inc(in bit<8> x) { return x + 1; }", "FunctionDeclaration"],
    ["generic function", "T id<T>(in T x) { return x; }", "FunctionDeclaration"],
    ["action", "action a(inout bit<8> x, bit<8> y) { x = y; }", "ActionDeclaration"],
    ["package", "control C(); package P(C c);", "PackageTypeDeclaration"],
    ["const", "const bit<16> X = 16w0x800;", "ConstantDeclaration"],
  ])("%s", (_name, src, kind) => {
    const p = ok(src);
    expect(p.declarations[p.declarations.length - 1].kind).toBe(kind);
  });

  test("a parser with states, select, value set and sub-parser instance", () => {
    const p = ok(`
      header h_t { bit<16> t; }
      parser Sub(packet_in p);
      parser P(packet_in pkt, out h_t h) {
        value_set<bit<16>>(4) pvs;
        Sub() sub;
        state start {
          pkt.extract(h);
          transition select(h.t, h.t[7:0]) {
            (0x800, _): next;
            (0x86dd &&& 0xffff, 0 .. 7): accept;
            (pvs, default): accept;
            default: reject;
          }
        }
        state next { sub.apply(pkt); transition accept; }
      }`);
    const parser = p.declarations[2] as A.ParserDeclaration;
    expect(parser.locals.map((l) => l.kind)).toEqual(["ValueSetDeclaration", "Instantiation"]);
    const sel = parser.states[0].transition!.target as A.SelectExpression;
    expect(sel.cases.map((c) => c.keyset.kind)).toEqual(["TupleKeysetExpression", "TupleKeysetExpression", "TupleKeysetExpression", "DefaultExpression"]);
  });

  test("a control with a table: keys, actions, entries with priorities, custom properties", () => {
    const p = ok(`
      control C(inout bit<32> a) {
        action set(bit<32> v) { a = v; }
        table t {
          key = { a: ternary @name("addr"); a[7:0]: exact; }
          actions = { set; @defaultonly NoAction; }
          const entries = {
            priority=10: (32w1 &&& 0xff, 1): set(2);
            (_, 2): set(3) @tc_data;
          }
          default_action = NoAction();
          size = 1024;
          pna_direct_counter = cnt;
        }
        apply { switch (t.apply().action_run) { set: { } default: } if (t.apply().hit) { exit; } }
      }`);
    const t = (p.declarations[0] as A.ControlDeclaration).locals[1] as A.TableDeclaration;
    expect(t.properties.map((x) => x.kind)).toEqual(["KeyProperty", "ActionsProperty", "EntriesProperty", "ValueProperty", "ValueProperty", "ValueProperty"]);
    const entries = t.properties[2] as A.EntriesProperty;
    expect(entries.isConst).toBe(true);
    expect(entries.entries[0].priority?.kind).toBe("IntLiteral");
  });

  test("type names are tracked: a declared type starts a declaration, a value shadows it", () => {
    const p = ok(`
      header h_t { bit<8> a; }
      control C() {
        apply {
          h_t h;
          bit<8> h_t_copy = h.a;
        }
      }`);
    const body = (p.declarations[1] as A.ControlDeclaration).body.body;
    expect(body.map((s) => s.kind)).toEqual(["VariableDeclaration", "VariableDeclaration"]);
  });
});

describe("expressions", () => {
  test.each([
    ["8w0xFF", 255n, 8, false],
    ["4s1", 1n, 4, true],
    ["0b1010", 10n, null, false],
    ["0o17", 15n, null, false],
    ["1_000", 1000n, null, false],
    ["32w0x0A_0B", 0x0a0bn, 32, false],
  ])("integer literal %s", (src, value, width, signed) => {
    const e = expr(src) as A.IntLiteral;
    expect(e.kind).toBe("IntLiteral");
    expect(e.value).toBe(value);
    expect(e.width).toBe(width);
    expect(e.signed).toBe(signed);
  });

  test("precedence follows the grammar", () => {
    const e = expr("1 + 2 * 3 << 1 | 4 & 5") as A.BinaryExpression;
    expect(e.op).toBe("|");
    expect((e.left as A.BinaryExpression).op).toBe("<<");
    expect((e.right as A.BinaryExpression).op).toBe("&");
  });

  test("`>>` is a shift in expressions and two closers in types", () => {
    expect((expr("8 >> 1") as A.BinaryExpression).op).toBe(">>");
    const p = ok("extern E<T> { E(); } control C() { E<bit<8>>() e; apply {} }");
    const inst = (p.declarations[1] as A.ControlDeclaration).locals[0] as A.Instantiation;
    expect(inst.type.kind).toBe("TypeSpecialized");
  });

  test.each([
    ["cast", "(bit<8>) 3", "CastExpression"],
    ["conditional", "true ? 1 : 2", "ConditionalExpression"],
    ["slice", "x[7:0]", "SliceExpression"],
    ["plus slice", "x[2 +: 4]", "PlusSliceExpression"],
    ["concat", "x ++ y", "BinaryExpression"],
    ["saturating", "x |+| y", "BinaryExpression"],
    ["list", "{ 1, 2 }", "ListExpression"],
    ["struct", "{ a = 1, b = 2 }", "StructExpression"],
    ["struct with dots", "{ a = 1, ... }", "StructExpression"],
    ["invalid header", "{#}", "InvalidExpression"],
    ["error member", "error.NoError", "TypeMemberExpression"],
    ["generic call", "f<bit<8>>(1)", "CallExpression"],
    ["comparison, not a generic call", "a < b", "BinaryExpression"],
  ])("%s", (_n, src, kind) => {
    expect(expr(src).kind).toBe(kind);
  });

  test("spans are exact", () => {
    const e = expr("a + bb") as A.BinaryExpression;
    expect([e.span.line, e.span.col, e.span.endCol]).toEqual([1, 18, 24]);
    expect([e.right.span.col, e.right.span.endCol]).toEqual([22, 24]);
  });
});

describe("annotations", () => {
  test("unstructured bodies keep their tokens and parse as expressions when they can", () => {
    const p = ok('@name(".a.b") @tc_type("macaddr") @hidden @pragma foo bar\nconst bit<8> x = 1;');
    const as = (p.declarations[0] as A.ConstantDeclaration).annotations;
    expect(as.map((a) => a.name.text)).toEqual(["name", "tc_type", "hidden", "pragma"]);
    const b = as[0].body;
    expect(b.form === "unstructured" && b.exprs?.[0].kind).toBe("StringLiteral");
  });
  test("structured bodies", () => {
    const p = ok("@a[1, 2] @b[k=1, j=\"s\"] const bit<8> x = 1;");
    const as = (p.declarations[0] as A.ConstantDeclaration).annotations;
    expect(as.map((a) => a.body.form)).toEqual(["expressions", "kv"]);
  });
});

describe("syntax errors", () => {
  test("missing ';' is reported at the next token", () => {
    expect(errorsOf("header h { bit<8> a }")).toEqual(['1:21 syntax error, unexpected \'}\', expecting ";"']);
  });
  test("missing '}' at end of file", () => {
    expect(errorsOf("control C() { apply {\n")[0]).toMatch(/^1:\d+ syntax error, unexpected end of file/);
  });
  test("several errors in one run", () => {
    expect(errorsOf("header h { bit<8> a }\nconst bit<8> x = ;\nstruct s { bit<8> }\n").map((e) => e.split(" ")[0])).toEqual(["1:21", "2:18", "3:19"]);
  });
  test("a call of a call is not a statement", () => {
    expect(errorsOf("control C() { apply { t.apply()(); } }")[0]).toMatch(/^1:32 syntax error, unexpected '\('/);
  });
  test("a type name alone is not an expression", () => {
    expect(errorsOf("header H {} const bit<8> x = H;")[0]).toMatch(/unexpected ';', expecting "\("/);
  });
});
