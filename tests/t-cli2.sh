#!/bin/bash
# The command line's diagnostics and exit statuses, as README ("Diagnostics and exit status")
# and the man page promise them: every problem in one run, at the right file:line:column,
# with its real cause and the status of README's table. Run by tests/run.sh from the top of
# the tree with OCTAVO and OUT set; prints "ok - ..." / "not ok - ..." lines. Fixtures in
# tests/cli2/.
set -u
OCTAVO=${OCTAVO:-./octavo}
OUT=${OUT:-tests/out}
D=$(realpath -m "$OUT/cli2")
O=$(realpath "$OCTAVO")
F=tests/cli2
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$D"
mkdir -p "$D"

PREFIX="cli2: "
. tests/lib.sh
# run STATUS COMMAND...: the command's stderr in $D/err; succeeds when it exits with STATUS
run() {
	local want=$1 rc
	shift
	"$@" > "$D/out.txt" 2> "$D/err"
	rc=$?
	[ "$rc" -eq "$want" ] || { echo "exit $rc, expected $want: $*"; cat "$D/err"; return 1; }
}
# has TEXT...: each TEXT is a line of $D/err (fixed strings)
has() {
	for t in "$@"; do
		grep -qxF -- "$t" "$D/err" || { echo "stderr lacks: $t"; echo "--- stderr:"; cat "$D/err"; return 1; }
	done
}
# a file root could read: as root, those checks run as nobody
asuser=()
if [ "$(id -u)" -eq 0 ]; then asuser=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi

# ---- 13. check --strict validates too ----
strict_schema() {
	run 1 "$O" check --strict $F/strict.xml &&
		has "$F/strict.xml:5:3: warning: <chapter> without a title" \
			"$F/strict.xml:4:3: warning: schema: Did not expect element para there"
}
check "check --strict: a warning found first does not skip the schema: both reported, exit 1" strict_schema
errors_schema() {
	run 1 "$O" check $F/broken.xml && grep -q 'xref to "nowhere"' "$D/err" || return 1
	sed 's/<chapter xml:id="c1">/<para>loose<\/para>&/' $F/broken.xml > "$D/broken2.xml"
	run 1 "$O" check "$D/broken2.xml" &&
		has "$D/broken2.xml:4:3: warning: schema: Did not expect element para there" &&
		grep -q 'xref to "nowhere"' "$D/err"
}
check "check: the schema is checked also when the book has errors" errors_schema

# ---- 14. schema warnings in included files ----
schema_paths() {
	run 0 "$O" check $F/inc/book.xml &&
		has "$F/inc/ch.xml:4:3: warning: schema: Did not expect element chapter there" \
			"$F/inc/part/b.xml:4:3: warning: schema: Did not expect element chapter there" || return 1
	(cd $F && run 0 "$O" check inc/book.xml) &&
		has "inc/ch.xml:4:3: warning: schema: Did not expect element chapter there" \
			"inc/part/b.xml:4:3: warning: schema: Did not expect element chapter there"
}
check "schema warnings name an included file (and one it includes) by its path, not the book's folder twice" schema_paths

# ---- 15. the real cause of a file that cannot be read ----
mkdir -p "$D/folder.xml" "$D/perm"
cp $F/book.xml "$D/perm/book.xml"
cp $F/inc/ch.xml "$D/perm/ch.xml"
sed 's|<xi:include href="part/a.xml"/>||' $F/inc/book.xml > "$D/perm/inc.xml"
chmod 755 "$D" "$D/perm"
chmod 644 "$D/perm/inc.xml"
chmod 000 "$D/perm/book.xml" "$D/perm/ch.xml"
unreadable() {
	run 3 "$O" check "$D/folder.xml" && has "$D/folder.xml: error: cannot read $D/folder.xml: Is a directory" || return 1
	run 3 "$O" build -o "$D/o15" "$D/folder.xml" && has "$D/folder.xml: error: cannot read $D/folder.xml: Is a directory" || return 1
	run 3 "${asuser[@]}" "$O" check "$D/perm/book.xml" &&
		has "$D/perm/book.xml: error: cannot read $D/perm/book.xml: Permission denied" || return 1
	run 1 "${asuser[@]}" "$O" check "$D/perm/inc.xml" &&
		has "$D/perm/inc.xml:4:3: error: cannot read $D/perm/ch.xml: Permission denied" || return 1
	! grep -q 'Input/output error' "$D/err"
}
check "a book that is a folder, a book and an include that cannot be read: 'Is a directory', 'Permission denied'" unreadable

# ---- 16. external entities ----
entities() {
	run 1 "$O" check $F/entities.xml &&
		has "$F/entities.xml:10:11: error: external entity '&ch;' ($F/book.xml) refused: octavo reads no external entities; use xi:include" \
			"$F/entities.xml:12:11: error: external entity '&url;' (http://127.0.0.1:9/x) refused: octavo reads no external entities; use xi:include" &&
		grep -q "error: undefined entity '&undefd;'" "$D/err"
}
check "external entities: each refusal is reported at its reference, also when an undefined entity drops the book" entities
params() {
	run 1 "$O" check $F/params.xml &&
		has "$F/params.xml:4:1: error: external parameter entity '%remote;' (http://127.0.0.1:9/p.dtd) refused: octavo reads no external entities or DTDs" \
			"$F/params.xml:6:3: error: external parameter entity '%local;' (/etc/passwd) refused: octavo reads no external entities or DTDs" || return 1
	run 1 "$O" build -o "$D/o16" $F/params.xml && [ ! -e "$D/o16" ] && grep -q "'%remote;'" "$D/err"
}
check "external parameter entities: refused with an error at the reference (line:column), exit 1, nothing built" params

# ---- 17. themes and exit statuses ----
theme_statuses() {
	mkdir -p "$D/folder.theme"
	run 3 "$O" check -t "$D/folder.theme" $F/book.xml && grep -q 'octavo: error: theme ".*folder.theme": ' "$D/err" || return 1
	cp styles/brochure.theme "$D/perm/unreadable.theme" && chmod 000 "$D/perm/unreadable.theme"
	run 3 "${asuser[@]}" "$O" check -t "$D/perm/unreadable.theme" $F/book.xml && grep -q 'Permission denied' "$D/err" || return 1
	run 3 "${asuser[@]}" "$O" watch -t "$D/perm/unreadable.theme" $F/book.xml -o "$D/o17" || return 1
	run 2 "$O" check -t "$D/none.theme" $F/book.xml && run 2 "$O" check -t nosuchtheme $F/book.xml
}
check "a theme that cannot be read (a folder, no permission): exit 3 (check, watch); one that does not exist: 2" theme_statuses
theme_and_book() {
	run 1 "$O" check -t $F/bad.theme $F/broken.xml &&
		has "$F/bad.theme:3:8: error: text: \"red\" is not a colour like #1d3557" &&
		grep -q "^$F/broken.xml:4:.*error: xref to \"nowhere\": no element has this id" "$D/err" || return 1
	run 1 "$O" build -t $F/bad.theme -o "$D/o17b" $F/broken.xml && [ ! -e "$D/o17b" ] &&
		grep -q 'xref to "nowhere"' "$D/err" && grep -q 'is not a colour' "$D/err"
}
check "a theme with a bad value does not hide the book's errors (check and build), exit 1" theme_and_book
watch_theme() {
	local W=$D/w17 pid rc n
	mkdir -p "$W" && cp $F/book.xml "$W/book.xml" && cp $F/bad.theme "$W/my.theme"
	(cd "$W" && exec "$O" watch -t ./my.theme book.xml) > "$W/log" 2>&1 &
	pid=$!
	for n in $(seq 600); do grep -q 'build failed' "$W/log" && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	kill -0 $pid 2>/dev/null || { wait $pid; echo "watch exited with status $?"; cat "$W/log"; return 1; }
	grep -q '^./my.theme:3:8: error: text: "red" is not a colour' "$W/log" || { cat "$W/log"; kill -INT $pid; return 1; }
	cp styles/brochure.theme "$W/my.theme.new" && mv "$W/my.theme.new" "$W/my.theme"
	for n in $(seq 600); do grep -q 'my.theme changed: built' "$W/log" && break; sleep 0.1; done
	kill -INT $pid; wait $pid; rc=$?
	grep -q 'my.theme changed: built' "$W/log" && [ -s "$W/out/book.pdf" ] || { echo "no build after the fix"; cat "$W/log"; return 1; }
	[ $rc -eq 0 ] || { echo "watch: exit $rc"; cat "$W/log"; return 1; }
}
check "watch with a theme with a bad value: a failed build (as build, not exit 3), then a build once the theme is fixed" watch_theme

# ---- 18. --png-dpi, theme keys given twice, a byte order mark ----
png_dpi() {
	for v in nan NaN -nan; do
		run 2 "$O" build --png "$D/png" --png-dpi "$v" -o "$D/o18" $F/book.xml &&
			grep -q '^octavo: --png-dpi must be from 10 to 1200' "$D/err" || return 1
	done
	[ ! -e "$D/o18" ] && [ ! -e "$D/png" ]
}
check "--png-dpi nan is a usage error (2), like inf, nothing written" png_dpi
dup_key() {
	run 1 "$O" check -t $F/dup.theme $F/book.xml &&
		has "$F/dup.theme:3:8: error: size: \"Bogus\" is not A4, A5, A6, B5, Letter, Legal, Trade or \"WIDTH HEIGHT\" (e.g. 152mm 229mm)"
}
check "a theme key given twice: the error is at the line whose value is used (the last)" dup_key
bom() {
	run 0 "$O" check -t $F/bom.theme $F/book.xml && [ ! -s "$D/err" ] || { cat "$D/err"; return 1; }
	run 0 "$O" build -t $F/bom.theme --pdf "$D/bom.pdf" $F/book.xml && pdfinfo "$D/bom.pdf" | grep -q 'Page size: *595.2[0-9] x 841.8[0-9] pts' || return 1
	sed 's/#223344/#22334/' $F/bom.theme > "$D/bom2.theme"
	run 1 "$O" check -t "$D/bom2.theme" $F/book.xml && has "$D/bom2.theme:4:8: error: text: \"#22334\" is not a colour like #1d3557" || return 1
	run 1 "$O" build -t $F/bom-font.theme -o "$D/o18b" $F/book.xml &&
		has "$F/bom-font.theme:2:8: error: body: the font \"No Such Font Family\" is neither bundled (fonts/) nor installed"
}
check "a theme that starts with a byte order mark: read as without it (values, line:col of errors, fonts)" bom

# ---- 19. the documentation ----
cache_folders() { # every folder a build writes in the cache is in the man page's FILES, counted right
	local names n word
	rm -rf "$D/cache"
	XDG_CACHE_HOME=$D/cache "$O" build -q -o "$D/o19" $F/book.xml || return 1
	names=$(ls "$D/cache/octavo")
	n=$(printf '%s\n' "$names" | wc -l)
	[ "$n" -ge 3 ] || { echo "cache: $names"; return 1; }
	for f in $names; do
		grep -qx ".It Pa \$XDG_CACHE_HOME/octavo/$f/" docs/octavo.1 || { echo "FILES lacks $f/"; return 1; }
	done
	word=$(echo "zero one two three four five six" | cut -d' ' -f$((n + 1)))
	grep -qx "These $word folders are all" docs/octavo.1 || { echo "FILES does not say: These $word folders"; grep -n 'folders are all' docs/octavo.1; return 1; }
}
check "man: FILES names every folder octavo writes in its cache (covers/ too), and their number" cache_folders
readme_dump() { # README's usage line for dump has every option dump --help lists
	local line
	line=$(grep -E '^ +octavo dump ' README.md) || { echo "no dump line"; return 1; }
	for o in $("$O" dump --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -v -- '--help' | sed 's/^ *//; s/, .*//'); do
		printf '%s\n' "$line" | grep -q -- "\[$o[] ]" || { echo "README: $line lacks $o"; return 1; }
	done
}
check "README: the usage line of dump names the options dump --help lists" readme_dump

chmod -R u+rwX "$D" 2>/dev/null
exit 0
