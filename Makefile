# revisit - build, test, demo and install.
#
#   make            build ./revisit
#   make test       build and run every test (SAN=1: ASan+UBSan, VALGRIND=1: memcheck)
#   make demo       build a demo store and print its due-list
#   make install    install under $(DESTDIR)$(PREFIX)

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/revisit
MANDIR  ?= $(PREFIX)/share/man

CC      ?= cc
BISON   ?= bison
FLEX    ?= flex
B       := build

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 -Wundef \
           -Wno-unused-parameter
ifdef WERROR
WARN    += -Werror
endif
OPT     ?= -O2 -g
CFLAGS  ?= $(OPT)
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) \
              -I$(B)/grammar -Igrammar -Iinterp -DREVISIT_DATADIR='"$(DATADIR)"'
LDLIBS  := -lsqlite3 -lreadline -lcrypto -lm -lpthread

ifdef SAN
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS    += -fsanitize=address,undefined
B := build-san
endif

# generated code gets a relaxed warning list: it is not ours
GEN_CFLAGS := $(filter-out -Wmissing-prototypes -Wshadow -Wcast-qual -Wundef,$(ALL_CFLAGS)) -Wno-sign-compare

INTERP_SRC := $(wildcard interp/*.c)
REPL_SRC   := $(wildcard repl/*.c)
LIB_OBJ := $(B)/grammar/parser.o $(B)/grammar/lexer.o $(B)/grammar/ast.o \
           $(patsubst %.c,$(B)/%.o,$(filter-out interp/main.c,$(INTERP_SRC))) \
           $(patsubst %.c,$(B)/%.o,$(REPL_SRC))
MAIN_OBJ := $(B)/interp/main.o

.PHONY: all test demo install uninstall clean crash-test fuzz deps
all: revisit

ifdef SAN
revisit: $(B)/revisit
	@true
TEST_BIN := $(B)/revisit
else
revisit: $(B)/revisit
	cp $< $@.tmp && mv -f $@.tmp $@
TEST_BIN := ./revisit
endif

$(B)/revisit: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# one bison run makes both files: parser.h comes with parser.c (two targets
# of one rule would let `make -j` run bison twice into the same file)
$(B)/grammar/parser.h: $(B)/grammar/parser.c
	@test -f $@ || { rm -f $<; $(MAKE) --no-print-directory $<; }

$(B)/grammar/parser.c: grammar/parser.y
	@mkdir -p $(B)/grammar
	@$(BISON) --version | awk 'NR==1 { split($$NF, v, "."); if (v[1] < 3) { print "bison >= 3 is required"; exit 1 } }'
	$(BISON) -Wall -Werror -d -o $(B)/grammar/parser.c $<

$(B)/grammar/lexer.c: grammar/lexer.l $(B)/grammar/parser.h
	@mkdir -p $(B)/grammar
	$(FLEX) -o $@ $<

$(B)/grammar/parser.o: $(B)/grammar/parser.c
	$(CC) $(GEN_CFLAGS) -MMD -MP -c -o $@ $<
$(B)/grammar/lexer.o: $(B)/grammar/lexer.c
	$(CC) $(GEN_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/%.o: %.c $(B)/grammar/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---- tests ----
$(B)/unit_tests: tests/unit/unit.c $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# the fuzz corpus replayed by an ordinary build of the harnesses
FUZZ_TARGETS := parse check eval
$(B)/fuzz_replay_%: tests/fuzz/fuzz.c $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -DFUZZ_REPLAY -DFUZZ_$(shell echo $* | tr a-z A-Z) -o $@ $^ $(LDLIBS)

# the build's tools and libraries, installed with apt-get when missing
deps:
	@sh .ci/deps

test: deps revisit $(B)/unit_tests $(addprefix $(B)/fuzz_replay_,$(FUZZ_TARGETS))
	@LC_ALL=C REVISIT=$(TEST_BIN) UNIT=$(B)/unit_tests FUZZ_REPLAY=$(B)/fuzz_replay_ VALGRIND=$(VALGRIND) sh tests/run.sh

# libFuzzer (clang): make fuzz FUZZ_SECONDS=1800 runs each harness that long
# on tests/fuzz/corpus/<target>, then merges the corpus down to what adds coverage
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(filter-out interp/main.c,$(INTERP_SRC)) grammar/ast.c
fuzz: $(B)/grammar/parser.c $(B)/grammar/lexer.c
	@mkdir -p build-fuzz
	@for t in $(FUZZ_TARGETS); do \
	  T=$$(echo $$t | tr a-z A-Z); \
	  clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	    -DFUZZ_$$T -I$(B)/grammar -Igrammar -Iinterp -o build-fuzz/fuzz_$$t tests/fuzz/fuzz.c $(FUZZ_SRC) \
	    $(B)/grammar/parser.c $(B)/grammar/lexer.c $(LDLIBS) || exit 1; \
	done
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/new-$$t tests/fuzz/corpus/$$t; \
	  /usr/bin/time -f "cpu seconds: %U user + %S system, peak RSS %M KB" -o build-fuzz/$$t.cpu \
	  build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 build-fuzz/new-$$t tests/fuzz/corpus/$$t > build-fuzz/$$t.full 2>&1; \
	  tail -n 12 build-fuzz/$$t.full > build-fuzz/$$t.log; cat build-fuzz/$$t.cpu >> build-fuzz/$$t.log; \
	  rm -rf build-fuzz/min-$$t && mkdir -p build-fuzz/min-$$t; \
	  build-fuzz/fuzz_$$t -merge=1 build-fuzz/min-$$t tests/fuzz/corpus/$$t build-fuzz/new-$$t > /dev/null 2>&1; \
	  cp tests/fuzz/corpus/$$t/regress_* build-fuzz/min-$$t/ 2>/dev/null; \
	  rm -rf tests/fuzz/corpus/$$t && mv build-fuzz/min-$$t tests/fuzz/corpus/$$t; \
	  echo "== $$t"; cat build-fuzz/$$t.log; \
	done

# the full crash-safety test: 100 SIGKILLs at random moments (make test runs 10)
crash-test: revisit
	@rm -rf build/crash && mkdir -p build/crash
	@cd build/crash && CRASH_KILLS=100 T=$$PWD TOP=$(CURDIR) RV=$(CURDIR)/revisit sh $(CURDIR)/tests/cli/crash.sh

# ---- demo ----
demo: deps revisit
	@rm -f demo/demo.db demo/demo.db-wal demo/demo.db-shm
	@./revisit init demo/demo.db
	@sqlite3 -bail demo/demo.db < demo/demo.sql
	@./revisit run -s demo/demo.db --as-of 2026-11-20 -o demo/duelist.txt policies/
	@echo
	@head -n 25 demo/duelist.txt
	@echo "... (the whole due-list, $$(($$(wc -l < demo/duelist.txt) - 1)) rows, is in demo/duelist.txt;"
	@echo "     try: ./revisit explain -s demo/demo.db $$(sed -n 2p demo/duelist.txt | cut -d' ' -f1))"

install: revisit
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/stdlib $(DESTDIR)$(MANDIR)/man1
	install -m 755 revisit $(DESTDIR)$(BINDIR)/revisit
	cp -R stdlib/. $(DESTDIR)$(DATADIR)/stdlib/
	install -m 644 docs/revisit.1 $(DESTDIR)$(MANDIR)/man1/revisit.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/revisit $(DESTDIR)$(MANDIR)/man1/revisit.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-fuzz revisit demo/demo.db demo/demo.db-wal demo/demo.db-shm demo/duelist.txt
