#!/bin/sh
# Checks that what actviz needs is installed, and installs what is
# missing on Debian or Ubuntu when running as root or with sudo.
#
#   sh tests/deps.sh build   compiler, cairo, pango, fontconfig, json-c,
#                            a CJK font
#   sh tests/deps.sh test    the above plus cmocka and poppler-utils
#
# Elsewhere it stops with the exact packages to install.
set -u

need=""
want() { need="$need $1"; }

mode=${1:-build}
cc=${CC:-cc}

command -v "$cc" >/dev/null 2>&1 || want gcc
command -v pkg-config >/dev/null 2>&1 || want pkg-config
command -v fc-list >/dev/null 2>&1 || want fontconfig
if command -v pkg-config >/dev/null 2>&1; then
	pkg-config --exists cairo || want libcairo2-dev
	pkg-config --exists libpng || want libpng-dev
	pkg-config --exists pangocairo pangoft2 || want libpango1.0-dev
	pkg-config --exists fontconfig || want libfontconfig-dev
	pkg-config --exists json-c || want libjson-c-dev
else
	want libcairo2-dev
	want libpango1.0-dev
	want libfontconfig-dev
	want libjson-c-dev
fi
# The default titles are Chinese: without a CJK font they cannot be set.
if ! command -v fc-list >/dev/null 2>&1 ||
    [ -z "$(fc-list :lang=zh-cn family 2>/dev/null)" ]; then
	want fonts-noto-cjk
fi
if [ "$mode" = test ]; then
	if ! command -v pkg-config >/dev/null 2>&1 ||
	    ! pkg-config --exists cmocka; then
		want libcmocka-dev
	fi
	command -v pdftotext >/dev/null 2>&1 || want poppler-utils
	# The missing-font test sets up a configuration with DejaVu only.
	[ -d /usr/share/fonts/truetype/dejavu ] || want fonts-dejavu-core
fi

[ -z "$need" ] && exit 0

if [ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo="sudo"
	else
		echo "actviz: missing packages:$need" >&2
		echo "actviz: install them with: sudo apt-get install$need" >&2
		exit 1
	fi
	echo "actviz: installing$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq >&2 &&
	    $sudo apt-get install -y -qq --no-install-recommends $need >&2 &&
	    exit 0
	echo "actviz: apt-get install$need failed" >&2
	exit 1
fi

echo "actviz: missing packages (Debian names):$need" >&2
echo "actviz: install the equivalents for this system: the cairo, pango" \
    "and fontconfig development files, a CJK font such as Noto Sans CJK," \
    "and for the tests cmocka and poppler-utils" >&2
exit 1
