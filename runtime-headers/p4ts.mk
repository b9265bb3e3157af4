# p4ts.mk - build a P4 (PNA) program for Linux P4TC with p4ts and clang.
#
# Two lines in a Makefile:
#
#     P4SRC := redirect_l2.p4
#     include /path/to/p4ts/runtime-headers/p4ts.mk
#
# (installed from npm: include node_modules/p4ts/runtime-headers/p4ts.mk).
# `make` then runs `$(P4TS) $(P4SRC) -o $(OUTDIR)` and compiles
# NAME_parser.c and NAME_control_blocks.c into NAME_parser.o and
# NAME_control_blocks.o (NAME is the stem of P4SRC). p4ts also writes a make
# dependency file (-MD), so editing any file the program includes rebuilds.
#
# Variables (set before the include, on the command line or in the
# environment):
#   P4SRC         the P4 program (required)
#   P4TS          the compiler command   (default: the p4ts this file came with,
#                                          run with $(NODE); else p4ts on PATH)
#   NODE          the node to run it with (default: node)
#   P4TS_FLAGS    extra p4ts options, e.g. -I dirs  (default: none)
#   CLANG         a clang with the BPF target  (default: the one `p4ts --build`
#                 uses: $CLANG, else clang, clang-24 ... clang-14 on PATH with
#                 the BPF target, else the clang-wasm package)
#   P4TS_INCLUDE  the p4ts runtime headers          (default: this file's directory)
#   OUTDIR        where outputs and objects go      (default: out)
#   P4TS_CFLAGS   clang flags                       (default: see below)
#   P4TS_EMULATE  1: build for a stock kernel, the P4TC kfuncs emulated on
#                 BPF maps (-DP4TS_EMULATE_P4TC; see README.md)
#
# Targets: p4ts (the default goal unless the Makefile set one before the
# include), p4ts-generate, p4ts-clean (objects), p4ts-realclean (all outputs).
# Written for the p4ts project.

ifndef P4SRC
$(error p4ts.mk: set P4SRC to the P4 program before including p4ts.mk)
endif

P4TS_MK_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

NODE ?= node
P4TS ?= $(if $(wildcard $(P4TS_MK_DIR)/../bin/p4ts.js),$(NODE) $(P4TS_MK_DIR)/../bin/p4ts.js,p4ts)
P4TS_FLAGS ?=
# Asked once, and only when something is built: p4ts finds clang as --build does.
ifndef CLANG
CLANG = $(eval CLANG := $(shell $(P4TS) --print-clang))$(CLANG)
endif
P4TS_INCLUDE ?= $(P4TS_MK_DIR)
OUTDIR ?= out
P4TS_CFLAGS ?= -O2 -g --target=bpf -mcpu=v3 -Wall -Werror
P4TS_EMULATE ?=
P4TS_EMU_FLAGS := $(if $(filter 1,$(P4TS_EMULATE)),-DP4TS_EMULATE_P4TC)

P4NAME := $(basename $(notdir $(P4SRC)))
P4TS_STAMP := $(OUTDIR)/.$(P4NAME).p4ts-stamp
P4TS_DEPS := $(OUTDIR)/$(P4NAME).d
P4TS_CSRCS := $(OUTDIR)/$(P4NAME)_parser.c $(OUTDIR)/$(P4NAME)_control_blocks.c
P4TS_OUTPUTS := $(P4TS_CSRCS) $(OUTDIR)/$(P4NAME)_parser.h \
	$(OUTDIR)/$(P4NAME).template $(OUTDIR)/$(P4NAME).json
P4TS_OBJS := $(P4TS_CSRCS:.c=.o)

ifeq ($(.DEFAULT_GOAL),)
.DEFAULT_GOAL := p4ts
endif

.PHONY: p4ts p4ts-generate p4ts-clean p4ts-realclean

p4ts: $(P4TS_OBJS)

p4ts-generate: $(P4TS_STAMP)

# One p4ts run writes every output; the stamp stands for all of them. The
# dependency file names every file the program included (-MP: a deleted
# include is not an error).
$(P4TS_STAMP): $(P4SRC)
	@mkdir -p $(OUTDIR)
	$(P4TS) $(P4SRC) -o $(OUTDIR) -MD -MF $(P4TS_DEPS) -MT $(P4TS_STAMP) -MP $(P4TS_FLAGS)
	@touch $@

-include $(P4TS_DEPS)

$(P4TS_OUTPUTS): $(P4TS_STAMP) ;

$(P4TS_OBJS): $(OUTDIR)/%.o: $(OUTDIR)/%.c $(OUTDIR)/$(P4NAME)_parser.h $(P4TS_STAMP)
	$(CLANG) $(P4TS_CFLAGS) $(P4TS_EMU_FLAGS) -I$(P4TS_INCLUDE) -I$(OUTDIR) -c $< -o $@

p4ts-clean:
	rm -f $(P4TS_OBJS)

p4ts-realclean: p4ts-clean
	rm -f $(P4TS_OUTPUTS) $(P4TS_STAMP) $(P4TS_DEPS)
