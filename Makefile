# ofnotify: build, test and package.
#
#   make            build/ofnotify.exe (cross-built on Linux, native on MSYS2 MinGW 64-bit)
#   make check      set up what is missing, then every test suite; ends with "N passed, N failed"
#   make demo       the app against the fake service on a virtual desktop; results in build/demo
#   make e2e        only the end-to-end suite (tests/e2e)
#   make bench      the history window with 1,000,000 records under Wine: open, sort, filter, search times
#   make installer  the Windows Installer packages (per-user and per-machine), see installer/README.md
#   make clean
#
# Everything built or fetched goes to build/.

VERSION := 0.1.0
B := build

ifeq ($(OS),Windows_NT)
# MSYS2 MinGW 64-bit: the compiler makes Windows programs directly; tests run without Wine.
WIN_PREFIX :=
WIDL := widl
WIDL_INC := -I$(MINGW_PREFIX)/include
NATIVE_TESTS := no
else
WIN_PREFIX := x86_64-w64-mingw32-
WIDL := $(WIN_PREFIX)widl
WIDL_INC := -I/usr/include/wine/wine/windows
NATIVE_TESTS := yes
endif

WIN_CC := $(WIN_PREFIX)gcc
WINDRES := $(WIN_PREFIX)windres
NATIVE_CC := gcc

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CORE_CFLAGS := -std=c11 $(WARN) -Iinclude

WIN_CFLAGS := $(CORE_CFLAGS) -I$(B)/gen -Ires -DOFNOTIFY_VERSION=\"$(VERSION)\" -O2 -g -DUNICODE -D_UNICODE -DCOBJMACROS \
              -D_WIN32_WINNT=0x0A00 -DWINVER=0x0A00 -D__USE_MINGW_ANSI_STDIO=1 \
              -D_FORTIFY_SOURCE=2 -fstack-protector-strong
WIN_LDFLAGS := -static -municode -Wl,--dynamicbase,--nxcompat,--high-entropy-va
WIN_LIBS := -lole32 -loleaut32 -luuid -lshell32 -lcomctl32 -lgdi32 -luser32 -ladvapi32 -lssp

NATIVE_CFLAGS := $(CORE_CFLAGS) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                 -fno-sanitize-recover=all
NATIVE_LDFLAGS := -fsanitize=address,undefined

# ---- sources ----------------------------------------------------------------
CORE_SRC := $(wildcard src/core/*.c)
APP_SRC := $(wildcard src/app/*.c)
APP_SRC += $(wildcard src/app/history/*.c)
UNIT_TESTS := $(wildcard tests/unit/test_*.c)
UNIT_SUPPORT := $(wildcard tests/unit/support/*.c)
WIN_TESTS := $(wildcard tests/win/test_*.c)
HEADERS := $(wildcard include/ofnotify/*.h src/app/*.h src/app/history/*.h tests/unit/support/*.h)

GEN := $(B)/gen/offlinefiles.h $(B)/gen/offlinefiles_i.c

# ---- the program ------------------------------------------------------------
EXE := $(B)/ofnotify.exe
WIN_CORE_OBJ := $(CORE_SRC:%.c=$(B)/win/%.o)
WIN_APP_OBJ := $(APP_SRC:%.c=$(B)/win/%.o)
WIN_IID_OBJ := $(B)/win/gen/offlinefiles_i.o
RES_OBJ := $(B)/win/res/app.o

# Intermediate objects stay, so a second run relinks nothing. V=1 shows every command.
.SECONDARY:
Q := $(if $(V),,@)
say = $(if $(V),,@printf '  %-8s %s\n' $(1) $(2);)

.PHONY: all check unit-native unit-win e2e demo bench setup clean installer
all: $(EXE)

$(EXE): $(WIN_APP_OBJ) $(WIN_CORE_OBJ) $(WIN_IID_OBJ) $(RES_OBJ)
	$(call say,CC,$@)$(WIN_CC) $(WIN_LDFLAGS) -mwindows -s -o $@ $^ $(WIN_LIBS)

$(B)/gen/offlinefiles.h $(B)/gen/offlinefiles_i.c &: include/offlinefiles.idl
	@mkdir -p $(B)/gen
	$(call say,WIDL,$@)$(WIDL) -m64 $(WIDL_INC) -h -H $(B)/gen/offlinefiles.h -u -U $(B)/gen/offlinefiles_i.c $<

$(B)/win/%.o: %.c $(HEADERS) $(GEN)
	@mkdir -p $(@D)
	$(call say,CC,$@)$(WIN_CC) $(WIN_CFLAGS) -c -o $@ $<

$(B)/win/gen/offlinefiles_i.o: $(B)/gen/offlinefiles_i.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(WIN_CC) $(WIN_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(RES_OBJ): res/app.rc $(filter-out res/app.rc,$(wildcard res/*))
	@mkdir -p $(@D)
	$(call say,RC,$@)$(WINDRES) -Ires -I$(B)/gen/icons -DOFNOTIFY_VERSION_STR=\\\"$(VERSION)\\\" \
	  -DOFNOTIFY_VERSION_NUM=$(VERSION_NUM) -O coff -o $@ $<

# VERSION (x.y.z) is compiled into cli.o and the resources (VERSIONINFO wants it as x,y,z,0).
# $(B)/version holds the one they were built with and changes only when make runs with another
# VERSION=, which rebuilds them. (A stamp target would not do: .SECONDARY skips missing files.)
comma := ,
VERSION_NUM := $(subst .,$(comma),$(VERSION))$(comma)0
VERSION_FILE := $(B)/version
$(shell mkdir -p $(B) && [ "$$(cat $(VERSION_FILE) 2>/dev/null)" = "$(VERSION)" ] || echo "$(VERSION)" > $(VERSION_FILE))
$(B)/win/src/app/cli.o $(RES_OBJ): $(VERSION_FILE)

include res/icons.mk
include installer/rules.mk

# ---- CMocka for the Windows target (built from the upstream source that tests/setup fetched) ----
CMOCKA_DIR := $(B)/cmocka
ifeq ($(OS),Windows_NT)
# MSYS2 packages CMocka (mingw-w64-x86_64-cmocka).
CMOCKA_WIN :=
CMOCKA_LIB := -lcmocka
else
CMOCKA_WIN := $(CMOCKA_DIR)/win/libcmocka.a
CMOCKA_LIB := $(CMOCKA_WIN)
endif
$(CMOCKA_DIR)/win/libcmocka.a: $(CMOCKA_DIR)/src/src/cmocka.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(WIN_CC) -std=gnu99 -O2 -I$(CMOCKA_DIR)/src/include -DHAVE_MALLOC_H -DHAVE_INTTYPES_H \
	  -DHAVE_SIGNAL_H -DHAVE_STRINGS_H -DHAVE_STRUCT_TIMESPEC -DHAVE_GCC_THREAD_LOCAL_STORAGE \
	  -D__USE_MINGW_ANSI_STDIO=1 -c -o $(CMOCKA_DIR)/win/cmocka.o $<
	$(call say,AR,$@)$(WIN_PREFIX)ar rcs $@ $(CMOCKA_DIR)/win/cmocka.o
$(CMOCKA_DIR)/src/src/cmocka.c:
	tests/setup

# ---- unit tests: every tests/unit/test_*.c against all of src/core, twice ----
NATIVE_TEST_BINS := $(UNIT_TESTS:tests/unit/%.c=$(B)/native/tests/%)
$(B)/native/tests/%: tests/unit/%.c $(CORE_SRC) $(UNIT_SUPPORT) $(HEADERS)
	@mkdir -p $(@D)
	$(call say,CC-NAT,$@)$(NATIVE_CC) $(NATIVE_CFLAGS) -Itests/unit $(NATIVE_LDFLAGS) -o $@ $< $(CORE_SRC) $(UNIT_SUPPORT) -lcmocka

WIN_UNIT_BINS := $(UNIT_TESTS:tests/unit/%.c=$(B)/win/tests/%.exe)
WIN_SUPPORT_OBJ := $(UNIT_SUPPORT:%.c=$(B)/win/%.o)
WIN_TEST_CFLAGS := $(WIN_CFLAGS) -Isrc/app -Isrc/app/history -Itests/unit -I$(CMOCKA_DIR)/src/include
$(B)/win/tests/unit/support/%.o: tests/unit/support/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(call say,CC,$@)$(WIN_CC) $(WIN_TEST_CFLAGS) -c -o $@ $<
$(B)/win/tests/%.exe: tests/unit/%.c $(WIN_CORE_OBJ) $(WIN_SUPPORT_OBJ) $(CMOCKA_WIN) $(HEADERS)
	@mkdir -p $(@D)
	$(call say,CC,$@)$(WIN_CC) $(WIN_TEST_CFLAGS) -static -o $@ $< $(WIN_CORE_OBJ) $(WIN_SUPPORT_OBJ) $(CMOCKA_LIB)

# tests/win: Windows-only tests of src/app modules and the IDL, linked with every app object but main.
WIN_APP_LIB_OBJ := $(filter-out $(B)/win/src/app/main.o,$(WIN_APP_OBJ))
WIN_WIN_BINS := $(WIN_TESTS:tests/win/%.c=$(B)/win/wintests/%.exe)
$(B)/win/wintests/%.exe: tests/win/%.c $(WIN_APP_LIB_OBJ) $(WIN_CORE_OBJ) $(WIN_IID_OBJ) $(WIN_SUPPORT_OBJ) $(CMOCKA_WIN) $(HEADERS) $(GEN)
	@mkdir -p $(@D)
	$(call say,CC,$@)$(WIN_CC) $(WIN_TEST_CFLAGS) -Itests/win -static -o $@ $< $(WIN_APP_LIB_OBJ) $(WIN_CORE_OBJ) \
	  $(WIN_IID_OBJ) $(WIN_SUPPORT_OBJ) $(WIN_TEST_RES) $(CMOCKA_LIB) $(WIN_LIBS)

# These tests show the program's own dialogs and strings, so they link its resources.
RES_TESTS := $(B)/win/wintests/test_aboutdlg.exe $(B)/win/wintests/test_settings_reg.exe $(B)/win/wintests/test_winutil.exe
$(RES_TESTS): WIN_TEST_RES := $(RES_OBJ)
$(RES_TESTS): $(RES_OBJ)

# The history window's tests link the program's resources (strings, icons, manifest) so that the
# window is tested as it ships.
HIST_TEST_BINS := $(filter $(B)/win/wintests/test_historywnd%,$(WIN_WIN_BINS))
$(HIST_TEST_BINS): $(B)/win/wintests/%.exe: tests/win/%.c $(WIN_APP_LIB_OBJ) $(WIN_CORE_OBJ) $(WIN_IID_OBJ) $(WIN_SUPPORT_OBJ) $(RES_OBJ) $(CMOCKA_WIN) $(HEADERS) $(GEN)
	@mkdir -p $(@D)
	$(call say,CC,$@)$(WIN_CC) $(WIN_TEST_CFLAGS) -Itests/win -static -o $@ $< $(WIN_APP_LIB_OBJ) $(WIN_CORE_OBJ) \
	  $(WIN_IID_OBJ) $(WIN_SUPPORT_OBJ) $(RES_OBJ) $(CMOCKA_LIB) $(WIN_LIBS)

# test_strings and test_syncnow read strings from the shipped program's resources.
$(B)/win/wintests/test_strings.exe: | $(EXE)
$(B)/win/wintests/test_syncnow.exe: | $(EXE)

# ---- running the suites ----
# tests/run-suites runs each binary, keeps its CMocka summary and adds everything up.
unit-native: setup $(NATIVE_TEST_BINS)
	tests/run-suites native $(NATIVE_TEST_BINS)

unit-win: setup $(WIN_UNIT_BINS) $(WIN_WIN_BINS)
	tests/run-suites wine $(WIN_UNIT_BINS) $(WIN_WIN_BINS)

check: setup
	@rm -f $(B)/results/*.counts
	@$(MAKE) --no-print-directory $(EXE) $(if $(filter yes,$(NATIVE_TESTS)),$(NATIVE_TEST_BINS)) $(WIN_UNIT_BINS) $(WIN_WIN_BINS)
	@status=0; \
	 $(if $(filter yes,$(NATIVE_TESTS)),tests/run-suites native $(NATIVE_TEST_BINS) || status=1;) \
	 tests/run-suites wine $(WIN_UNIT_BINS) $(WIN_WIN_BINS) || status=1; \
	 tests/admx/check || status=1; \
	 tests/e2e/run-tests || status=1; \
	 tests/installer/run-tests || status=1; \
	 tests/e2e/scenario --shutdown >/dev/null 2>&1; bash -c 'source tests/wine-env; wine_env_down'; \
	 tests/run-suites --total || status=1; exit $$status

# ---- end to end: the real program against the fake Offline Files service ----
-include tests/e2e/rules.mk
e2e: setup $(EXE)
	tests/e2e/run-tests

# The app on a Wine virtual desktop against the fake service; results in build/demo.
demo: setup $(EXE)
	tests/e2e/demo

# ---- benchmarks (tests/bench): timings under Wine, printed, never asserted ----
BENCH_BINS := $(patsubst tests/bench/%.c,$(B)/win/bench/%.exe,$(wildcard tests/bench/*.c))
$(B)/win/bench/%.exe: tests/bench/%.c $(WIN_APP_LIB_OBJ) $(WIN_CORE_OBJ) $(WIN_IID_OBJ) $(WIN_SUPPORT_OBJ) $(RES_OBJ) $(HEADERS) $(GEN)
	@mkdir -p $(@D)
	$(call say,CC,$@)$(WIN_CC) $(WIN_CFLAGS) -Isrc/app -Isrc/app/history -Itests/unit -static -o $@ $< $(WIN_APP_LIB_OBJ) $(WIN_CORE_OBJ) $(WIN_SUPPORT_OBJ) \
	  $(WIN_IID_OBJ) $(RES_OBJ) $(WIN_LIBS)

bench: setup $(BENCH_BINS)
	tests/bench/run $(BENCH_BINS)

# test_sink marshals the sink across apartments with the test-only proxy/stub.
$(B)/win/wintests/test_sink.exe: | $(B)/e2e/ofnps.dll

setup:
	@tests/setup

clean:
	rm -rf $(B)
