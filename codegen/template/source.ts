/**
 * The Handlebars source of `NAME.template`.
 *
 * Why a TypeScript string constant and not a `.hbs` file: `tsc` does not copy
 * `.hbs` files into `dist/`, and the package's `files` list ships `dist/` but
 * not `codegen/`, so a template file looked up at run time would be missing
 * from an installed package (and the lookup would differ between ts-jest,
 * which runs the sources, and `dist/`). A constant is compiled into the module
 * and behaves the same everywhere, with no file-system access.
 *
 * `String.raw` keeps the ` \` line continuations literally. The only `${` of
 * the script (the `TC` default) is inserted through a substitution.
 *
 * Layout rules it reproduces (contract §2.1): one blank line before each
 * action, extern type, extern instance and table create; none before the
 * `update` lines, the const `entry` lines or the final `state ready`; action
 * params and table lines continue with ` \` + newline + TAB, extern-instance
 * lines with ` \` + newline and no indent; no trailing newline. Lines holding
 * only a block tag (`{{#each}}`, `{{/if}}`, …) are "standalone" in Handlebars
 * and vanish with their newline.
 */
const DOLLAR_BRACE = "${";

export const TEMPLATE_SOURCE = String.raw`#!/bin/bash -x

set -e

: "${DOLLAR_BRACE}TC:="tc"}"
$TC p4template create pipeline/{{pipeline}} numtables {{numTables}}
{{#each actions}}

$TC p4template create action/{{path}} actid {{id}}{{#each params}} \
	param {{name}} type {{type}}{{/each}}
$TC p4template update action/{{path}} state active
{{/each}}
{{#each externs}}

$TC p4template create extern/root/{{name}} {{idKeyword}} {{id}} numinstances {{numInstances}} tc_acl {{permissions}}{{#if hasExecMethod}} has_exec_method{{/if}}
{{#each instances}}

$TC p4template create extern_inst/{{path}} instid {{id}} \
tc_numel {{numel}} \
{{#if tableBindable}}
tbl_bindable \
{{/if}}
{{#if hasConstructor}}
constructor{{#each constructorParams}} param {{name}} {{../../typeKeyword}} {{type}} {{value}}{{/each}} \
{{/if}}
control_path{{#each controlPath}} {{attr}} {{name}} {{../../typeKeyword}} {{type}} id {{id}}{{/each}}
{{/each}}
{{/each}}
{{#each tables}}

$TC p4template create table/{{path}} \
	tblid {{id}} \
	type {{matchType}} \
	keysz {{keySize}} permissions {{permissions}} tentries {{tentries}} nummasks {{numMasks}}{{#if numTimerProfiles}} num_timer_profiles {{numTimerProfiles}}{{/if}} \
{{#if directCounter}}
	pna_direct_counter {{directCounter}} \
{{/if}}
{{#if directMeter}}
	pna_direct_meter {{directMeter}} \
{{/if}}
	table_acts {{#each acts}}{{#unless @first}} \
	{{/unless}}act name {{path}}{{#if flag}} flags {{flag}}{{/if}}{{/each}}
{{#each defaults}}
$TC p4template update table/{{../path}} {{kind}}{{#if permissions}} permissions {{permissions}}{{/if}} action {{action}}{{#each params}} param {{name}} {{#if runtime}}flags runtime{{else}}{{value}}{{/if}}{{/each}}
{{/each}}
{{#each entries}}
$TC p4template create table/{{../path}} entry{{#each keys}} {{name}} {{value}}{{/each}}{{#if prio}} prio {{prio}}{{/if}} permissions {{permissions}} action {{action}}{{#each params}} param {{name}} {{value}}{{/each}}
{{/each}}
{{/each}}
$TC p4template update pipeline/{{pipeline}} state ready`;
