#!/usr/bin/env bash
# Every translatable string (_(), N_(), Tr()) of a program's sources has a
# Chinese translation in its catalogue (po/common.zh_CN.po joined with
# po/<program>.zh_CN.po): a string added in English only fails here.
#   catalogue_test.sh SOURCE_DIR PROGRAM SOURCE...
set -euo pipefail
export LC_ALL=C.UTF-8
root="$1" program="$2"
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sources=()
for source in "$@"; do sources+=("$root/$source"); done
xgettext --from-code=UTF-8 --language=C++ -k_ -kN_ -kTr --omit-header -o "$work/program.pot" "${sources[@]}"
catalogues=("$root/po/common.zh_CN.po")
[[ -f "$root/po/$program.zh_CN.po" ]] && catalogues+=("$root/po/$program.zh_CN.po")
msgcat --use-first -o "$work/program.po" "${catalogues[@]}"
# msgcmp names each string without a translation and fails.
msgcmp "$work/program.po" "$work/program.pot" 2>&1 | grep -v "this message is not used" >&2 || true
msgcmp "$work/program.po" "$work/program.pot" >/dev/null 2>&1
echo "$program: every string has its Chinese"
