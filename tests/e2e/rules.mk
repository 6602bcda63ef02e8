# End-to-end test programs: the fake Offline Files service, its control tool,
# a test subscriber and the test-only proxy/stub DLL. Included by the
# top-level Makefile; tests/e2e/scenario and tests/e2e/run-tests also pass it
# with -f themselves, hence the guard.
#
#   make e2e-build    the programs below (nothing is registered or started)
#
# Everything lands in $(B)/e2e; the proxy/stub DLL is registered only in the
# e2e Wine prefix (tests/e2e/lib.sh), never on a real system.
ifndef OFN_E2E_RULES
OFN_E2E_RULES := 1

E2E = $(B)/e2e
E2E_SRC = tests/e2e/src
# The COM pieces the Windows tests' stand-ins use too, compiled here for the fake's programs.
E2E_FAKECOM = tests/fakecom
E2E_HDR = $(wildcard $(E2E_SRC)/*.h $(E2E_FAKECOM)/*.h)
E2E_CFLAGS = $(WIN_CFLAGS) -I$(E2E_SRC) -I$(E2E_FAKECOM)
E2E_LIBS = -lole32 -loleaut32 -luuid -ladvapi32 -luser32 -lssp

E2E_COMMON = scn fakelog
E2E_FAKECSC = fakecsc_main fakecsc_obj fakecsc_fire fakecsc_items fakecsc_sync fakecom $(E2E_COMMON)
E2E_FAKECTL = fakectl $(E2E_COMMON)
E2E_TESTSINK = testsink fakecom $(E2E_COMMON)
E2E_UIPROBE = uiprobe
E2E_APPCTL = appctl
E2E_OBJ = $(patsubst %,$(E2E)/obj/%.o,$(1))

E2E_BINS = $(E2E)/fakecsc.exe $(E2E)/fakectl.exe $(E2E)/testsink.exe $(E2E)/uiprobe.exe $(E2E)/appctl.exe $(E2E)/ofnps.dll \
           $(if $(filter yes,$(NATIVE_TESTS)),$(E2E)/native/test_scn $(E2E)/native/seedhistory $(E2E)/native/storefile)

.PHONY: e2e-build
e2e-build: $(E2E_BINS)

$(E2E)/obj/%.o: $(E2E_SRC)/%.c $(E2E_HDR) $(GEN)
	@mkdir -p $(@D)
	$(WIN_CC) $(E2E_CFLAGS) -c -o $@ $<
$(E2E)/obj/%.o: $(E2E_FAKECOM)/%.c $(E2E_HDR) $(GEN)
	@mkdir -p $(@D)
	$(WIN_CC) $(E2E_CFLAGS) -c -o $@ $<

$(E2E)/fakecsc.exe: $(call E2E_OBJ,$(E2E_FAKECSC)) $(B)/win/src/core/syncflags.o $(WIN_IID_OBJ)
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(E2E_LIBS)

$(E2E)/fakectl.exe: $(call E2E_OBJ,$(E2E_FAKECTL)) $(B)/win/src/core/syncflags.o $(WIN_IID_OBJ)
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(E2E_LIBS)

$(E2E)/testsink.exe: $(call E2E_OBJ,$(E2E_TESTSINK)) $(B)/win/src/core/syncflags.o $(WIN_IID_OBJ)
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(E2E_LIBS)

$(E2E)/uiprobe.exe: $(call E2E_OBJ,$(E2E_UIPROBE))
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ -lshell32 -luser32 -lssp

$(E2E)/appctl.exe: $(call E2E_OBJ,$(E2E_APPCTL))
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ -lpsapi -lntdll -luser32 -lssp

# The proxy/stub: widl's marshalling code for our IDL, so the fake can call
# a sink in another process. The -P file must be named after the IDL.
# widl-fix.awk mends widl 7.0's type offsets of [out] pointer-to-pointer
# parameters (see the file).
E2E_GEN = $(E2E)/gen
$(E2E_GEN)/raw/offlinefiles_p.c: include/offlinefiles.idl
	@mkdir -p $(@D)
	$(WIDL) -m64 $(WIDL_INC) -Oicf -p -P $@ $<
$(E2E_GEN)/offlinefiles_p.c: $(E2E_GEN)/raw/offlinefiles_p.c tests/e2e/widl-fix.awk
	awk -f tests/e2e/widl-fix.awk $< $< > $@.tmp && mv $@.tmp $@
$(E2E_GEN)/dlldata.c:
	@mkdir -p $(@D)
	$(WIDL) --dlldata-only --dlldata=$@ offlinefiles

E2E_PS_CFLAGS = $(WIN_CFLAGS) -Wno-missing-prototypes -DUSE_COMPILER_EXCEPTIONS -DREGISTER_PROXY_DLL \
                 -include $(E2E_SRC)/ps_prelude.h
$(E2E)/obj/ps_%.o: $(E2E_GEN)/%.c $(E2E_SRC)/ps_prelude.h $(GEN)
	@mkdir -p $(@D)
	$(WIN_CC) $(E2E_PS_CFLAGS) -c -o $@ $<

$(E2E)/ofnps.dll: $(E2E)/obj/ps_offlinefiles_p.o $(E2E)/obj/ps_dlldata.o $(WIN_IID_OBJ) $(E2E_SRC)/ofnps.def
	$(WIN_CC) -shared -static -Wl,--dynamicbase,--nxcompat,--high-entropy-va -o $@ $^ \
	  -lrpcrt4 -lole32 -loleaut32 -luuid -lssp

# A month of made-up history for make demo's chart: a host tool on core/history.
$(E2E)/native/seedhistory: $(E2E_SRC)/seedhistory.c $(CORE_SRC) tests/unit/support/stdiofs.c $(HEADERS)
	@mkdir -p $(@D)
	$(NATIVE_CC) $(CORE_CFLAGS) -O1 -Itests/unit -o $@ $(E2E_SRC)/seedhistory.c $(CORE_SRC) tests/unit/support/stdiofs.c

# History and journal files byte by byte (tests/e2e/store-faults, durable.sh): a host tool on core.
$(E2E)/native/storefile: $(E2E_SRC)/storefile.c $(CORE_SRC) $(HEADERS)
	@mkdir -p $(@D)
	$(NATIVE_CC) $(CORE_CFLAGS) -o $@ $(E2E_SRC)/storefile.c $(CORE_SRC)

# The script parser also runs natively (CMocka, sanitizers), in seconds.
$(E2E)/native/test_scn: $(E2E_SRC)/test_scn.c $(E2E_SRC)/scn.c $(E2E_SRC)/scn.h src/core/syncflags.c
	@mkdir -p $(@D)
	$(NATIVE_CC) $(NATIVE_CFLAGS) -I$(E2E_SRC) $(NATIVE_LDFLAGS) -o $@ $(E2E_SRC)/test_scn.c $(E2E_SRC)/scn.c \
	  src/core/syncflags.c -lcmocka

endif
