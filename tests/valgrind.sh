#!/bin/bash
# valgrind memcheck over the brochure and every test document. Fails on any memcheck error
# or any definitely-lost byte (the one leak of a library octavo cannot avoid, libhyphen's, is
# in tests/valgrind.supp with its reason; the font libraries' caches are still reachable or
# possibly lost, never definitely).
set -u
cd "$(dirname "$0")/.."
out=tests/out/valgrind; rm -rf $out; mkdir -p $out
status=0
# every document with both outputs; then two with the EPUB alone, whose paragraphs a second
# thread shapes ahead of the layout (src/pdf/text.c); OCTAVO_THREADS=2 uses the threads even
# on one processor
for src in book/international-commitment.xml tests/docs/*.xml epub:book/international-commitment.xml \
	epub:tests/docs/footnotes.xml; do
	opt=-o
	case $src in epub:*) src=${src#epub:}; opt=--epub ;; esac
	grep -q '<book\|<article' "$src" || continue
	b=$(basename "$src" .xml)
	dest=$out/$b
	[ $opt = --epub ] && b=$b-epub && dest=$out/$b.epub
	G_SLICE=always-malloc G_DEBUG=gc-friendly OCTAVO_THREADS=2 valgrind -q --error-exitcode=9 --leak-check=full \
		--show-leak-kinds=definite --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp \
		--log-file=$out/$b.log ./octavo build $opt "$dest" "$src" 2>/dev/null
	rc=$?
	ours=$(awk '/definitely lost/{rec=1} rec && /(src\/|octavo)/ && /(docbook|model|resolve|index|pagemap|theme|dump|build|image|fonts|cover|diag|main|flow|text|draw|pdf|epub|body|css|package|xhtml|lines)\.c/{print; rec=0} /^==[0-9]+== $/{rec=0}' $out/$b.log | head -3)
	if [ $rc -eq 9 ] || grep -q "Invalid\|uninitialised\|Mismatched" $out/$b.log || [ -n "$ours" ]; then
		echo "not ok - valgrind: $b"; sed 's/^/#   /' $out/$b.log | head -30; status=1
	else
		echo "ok - valgrind: $b"
	fi
done
exit $status
