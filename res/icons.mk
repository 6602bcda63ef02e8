# ofnotify icons, drawn by tools/icongen at build time: no image file is committed.
# The top Makefile includes this after RES_OBJ is defined; B, NATIVE_CC, WARN, DEPFLAGS and say come
# from there.
#
#   make icons         every .ico in $(ICON_DIR), plus preview.png (all icons at 1:1 and enlarged, for people)
#   make icons-check   icongen --verify re-reads them: image counts, sizes, offsets, and
#                      decodes every PNG (each icon image is one, and the preview)

# icongen runs on the build machine, not the target: on Linux that is the system gcc, on MSYS2 the
# MinGW gcc, which makes a Windows program, hence the .exe there.
HOST_CC ?= $(NATIVE_CC)
HOST_CFLAGS ?= -std=c11 $(WARN) -O2
ifeq ($(OS),Windows_NT)
HOST_EXE := .exe
else
HOST_EXE :=
endif

ICONGEN := $(B)/host/icongen$(HOST_EXE)
# icongen's own sources and core's CRC-32, which its PNG chunks use. zlib deflates the PNGs; it is a
# library of the build host only (zlib1g-dev on Debian, mingw-w64-x86_64-zlib on MSYS2).
ICONGEN_SRC := $(wildcard tools/icongen/*.c) src/core/crc32.c
ICONGEN_OBJ := $(ICONGEN_SRC:%.c=$(B)/host/obj/%.o)
ICON_DIR := $(B)/gen/icons
# The same names, in the same order, as the icon table in tools/icongen/glyphs.c.
ICON_NAMES := app \
  tray-idle-light tray-idle-dark tray-syncing-light tray-syncing-dark \
  tray-off-light tray-off-dark tray-reconnecting-light tray-reconnecting-dark \
  dir-unspecified dir-two-way dir-to-server dir-from-server dir-fill-sparse
ICON_FILES := $(ICON_NAMES:%=$(ICON_DIR)/%.ico)
ICON_PREVIEW := $(ICON_DIR)/preview.png

$(B)/host/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call say,HOSTCC,$@)$(HOST_CC) $(HOST_CFLAGS) -Iinclude $(DEPFLAGS) -c -o $@ $<

$(ICONGEN): $(ICONGEN_OBJ)
	@mkdir -p $(@D)
	$(call say,HOSTLD,$@)$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ -lz -lm

-include $(wildcard $(ICONGEN_OBJ:.o=.d))

# One run writes every file. A failed run removes them all, so the next make cannot mistake a
# half-written set for an up-to-date one.
$(ICON_FILES) $(ICON_PREVIEW) &: $(ICONGEN)
	@mkdir -p $(ICON_DIR)
	$(call say,ICONGEN,$(ICON_DIR))$(ICONGEN) $(ICON_DIR) || { rm -f $(ICON_DIR)/*.ico $(ICON_PREVIEW); exit 1; }

.PHONY: icons icons-check
icons: $(ICON_FILES) $(ICON_PREVIEW)

icons-check: $(ICON_FILES) $(ICON_PREVIEW)
	$(call say,CHECK,$(ICON_DIR))$(ICONGEN) --verify $(ICON_DIR)

# app.rc embeds the icons, so the resource object is rebuilt when they change.
ifeq ($(RES_OBJ),)
$(error res/icons.mk: include it after RES_OBJ is defined)
endif
$(RES_OBJ): $(ICON_FILES)
