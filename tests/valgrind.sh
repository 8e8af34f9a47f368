#!/bin/bash
# valgrind memcheck over the brochure and every test document. Fails on any memcheck error
# or any definitely-lost byte (the one leak of a library octavo cannot avoid, libhyphen's, is
# in tests/valgrind.supp with its reason; the font libraries' caches are still reachable or
# possibly lost, never definitely).
set -u
cd "$(dirname "$0")/.."
out=tests/out/valgrind; rm -rf $out; mkdir -p $out
status=0
for src in book/international-commitment.xml tests/docs/*.xml; do
	grep -q '<book\|<article' "$src" || continue
	b=$(basename "$src" .xml)
	G_SLICE=always-malloc G_DEBUG=gc-friendly valgrind -q --error-exitcode=9 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
		--suppressions=tests/valgrind.supp \
		--log-file=$out/$b.log ./octavo build -o $out/$b "$src" 2>/dev/null
	rc=$?
	ours=$(awk '/definitely lost/{rec=1} rec && /(src\/|octavo)/ && /(docbook|model|resolve|index|pagemap|theme|dump|build|image|fonts|cover|diag|main|flow|text|draw|pdf|epub|body|css|package|xhtml)\.c/{print; rec=0} /^==[0-9]+== $/{rec=0}' $out/$b.log | head -3)
	if [ $rc -eq 9 ] || grep -q "Invalid\|uninitialised\|Mismatched" $out/$b.log || [ -n "$ours" ]; then
		echo "not ok - valgrind: $b"; sed 's/^/#   /' $out/$b.log | head -30; status=1
	else
		echo "ok - valgrind: $b"
	fi
done
exit $status
