# The Windows Installer packages, built with wixl from installer/ofnotify.wxs. Included by the
# top-level Makefile after EXE and the icon rules; B, VERSION and say come from there.
#
#   make installer    $(B)/ofnotify-$(VERSION)-x64.msi          per-user (the default package)
#                     $(B)/ofnotify-$(VERSION)-x64-machine.msi  per-machine (ALLUSERS=1)
#
# An older package for the upgrade test is the same sources with other values:
#   make B=build/installer-test/v0.0.9 VERSION=0.0.9 installer

MSI_USER := $(B)/ofnotify-$(VERSION)-x64.msi
MSI_MACHINE := $(B)/ofnotify-$(VERSION)-x64-machine.msi
MSI_SOURCE := installer/ofnotify.wxs
# The icon Add/Remove Programs shows: the same drawing as the exe's own icon (IDI_APP).
MSI_ICON := $(ICON_DIR)/app.ico

# wixl comes from Debian's wixl package, which tests/setup installs with everything else.
WIXL := wixl
WIXL_FLAGS := -a x64 -D Version=$(VERSION) -D ExeSource=$(EXE) -D IconSource=$(MSI_ICON)

installer: $(MSI_USER) $(MSI_MACHINE)

# wixl writes straight to its output, so a failed run would leave a broken package that looks
# up to date: it writes to a temporary name, renamed when complete.
$(B)/ofnotify-$(VERSION)-x64.msi: $(MSI_SOURCE) $(EXE) $(MSI_ICON) | wixl-present
	$(call say,WIXL,$@)$(WIXL) $(WIXL_FLAGS) -D Scope=user -o $@.tmp $< && mv $@.tmp $@

$(B)/ofnotify-$(VERSION)-x64-machine.msi: $(MSI_SOURCE) $(EXE) $(MSI_ICON) | wixl-present
	$(call say,WIXL,$@)$(WIXL) $(WIXL_FLAGS) -D Scope=machine -o $@.tmp $< && mv $@.tmp $@

# Order-only and silent: costs one `command -v` when wixl is there.
.PHONY: wixl-present
wixl-present:
	@command -v $(WIXL) >/dev/null 2>&1 || tests/setup
