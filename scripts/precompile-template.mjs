#!/usr/bin/env node
// Writes codegen/template/compiled.ts: the template script's Handlebars source
// (codegen/template/source.ts) precompiled, so that a compile loads only the
// Handlebars runtime. Run after changing source.ts (and `npm run build`, as it
// reads dist/); test/unit/codegen/hbs.test.ts fails while the file is stale.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { TEMPLATE_SOURCE } = await import(path.join(root, "dist/codegen/template/source.js"));
const { compiledTemplateModule } = await import(path.join(root, "dist/codegen/template/precompile.js"));
fs.writeFileSync(path.join(root, "codegen/template/compiled.ts"), compiledTemplateModule(TEMPLATE_SOURCE));
