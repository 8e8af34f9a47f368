# tests/lib.sh: what the tests/t-*.sh scripts written since it share. A script sources it once
# it has set D (its work folder, made) and PREFIX (what its lines begin with, "rtl: ").
# tests/run.sh reads the "ok - ..." and "not ok - ..." lines.

ok() { echo "ok - ${PREFIX}$*"; }
notok() { echo "not ok - ${PREFIX}$*"; }

# check NAME COMMAND...: ok when the command succeeds; its output explains a failure. The
# command runs in this shell (a function may wait for a process it started).
check() {
	local name=$1
	shift
	if "$@" > "$D/check.log" 2>&1; then
		ok "$name"
	else
		notok "$name"
		sed '/^$/d; s/^/#   /' "$D/check.log" | head -25
	fi
}

EPUBCHECK="java -Xss1024k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar /usr/bin/epubcheck"

# epubcheck_clean EPUB: epubcheck finds nothing in it (0 fatals, errors, warnings); its
# findings when it does. Its report is kept beside it (EPUB.check).
epubcheck_clean() {
	$EPUBCHECK "$1" > "$1.check" 2>&1
	grep -q '^Messages: 0 fatals / 0 errors / 0 warnings' "$1.check" || {
		grep -E 'ERROR|WARNING|FATAL|Messages' "$1.check"; return 1; }
}
