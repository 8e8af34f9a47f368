#!/bin/bash
# Run the libFuzzer harnesses one after the other: tests/fuzz/run.sh SECONDS NAME...
# Each runs at nice 15 (the machine is shared) on its corpus build-fuzz/corpus/NAME, seeded from
# tests/ (the seeds are read, never written). Crashes, leaks and timeouts are saved as
# build-fuzz/crashes/NAME-*; keep each as a regression case in tests/bad/. Exit 1 if any.
# Every run appends its final statistics (executions, time) to build-fuzz/fuzz.log.
set -u
cd "$(dirname "$0")/../.."
secs=${1:-60}; shift
B=build-fuzz
mkdir -p $B/crashes
status=0
export G_SLICE=always-malloc G_DEBUG=gc-friendly # GLib's slice allocator would hide leaks
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for name in "$@"; do
	seeds=$B/seeds/$name
	rm -rf "$seeds"; mkdir -p "$seeds" "$B/corpus/$name"
	case $name in
	theme) files="styles/*.theme tests/themes/*.theme tests/epub/*.theme"; dict=tests/fuzz/theme.dict; max=4096;;
	image) files="tests/docs/img/* tests/epub/img/* tests/images/*.png tests/images/*.jpg tests/images/*.svg tests/images/*.gif"; dict=; max=65536;;
	render) files="tests/docs/*.xml tests/pdf/*.xml tests/epub/*.xml tests/bad/*.xml book/*.xml tests/fuzz/seeds/*.xml"; dict=tests/fuzz/docbook.dict; max=16384;;
	*) files="tests/docs/*.xml tests/pdf/*.xml tests/epub/*.xml tests/bad/*.xml book/*.xml tests/fuzz/seeds/*.xml"; dict=tests/fuzz/docbook.dict; max=65536;;
	esac
	for f in $files; do
		[ -f "$f" ] && [ "$(stat -c %s "$f")" -le $max ] && cp "$f" "$seeds/$(echo "$f" | tr / _)"
	done
	echo "== fuzz-$name for ${secs}s (corpus $B/corpus/$name, $(ls $B/corpus/$name | wc -l) inputs)"
	start=$SECONDS
	nice -n 15 $B/fuzz-$name -max_total_time="$secs" -max_len=$max -timeout=120 -rss_limit_mb=3072 \
		${dict:+-dict=$dict} -artifact_prefix=$B/crashes/$name- -print_final_stats=1 -report_slow_units=30 \
		$B/corpus/$name "$seeds" > $B/fuzz-$name.out 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' $B/fuzz-$name.out | tail -1)
	echo "$(date -u +%FT%TZ) $name seconds=$((SECONDS - start)) (asked $secs) execs=${execs:-?} exit=$rc" | tee -a $B/fuzz.log
	if [ $rc -ne 0 ]; then
		status=1
		grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' $B/fuzz-$name.out | head -20
	fi
done
exit $status
