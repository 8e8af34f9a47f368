#!/bin/bash
# Images in both outputs (src/image.c): what is refused (file:line:col, no output), how big an
# SVG is drawn, what an SVG's <use> elements expand to, JPEG colours, orientation and damage,
# one PDF XObject an image. The images are
# in tests/images/ (small ones; big ones are made here with python3). Run by tests/run.sh with
# OCTAVO and OUT set; prints ok / not ok lines, and ends with status 0.
set -u
O=$(realpath "${OCTAVO:-./octavo}")
D=$(realpath -m "${OUT:-tests/out}/images")
I=$(realpath tests/images)
rm -rf "$D"; mkdir -p "$D"
export SOURCE_DATE_EPOCH=1700000000
PY=$(command -v /usr/bin/python3 || command -v python3)
PIX="$PY $I/pix.py"

PREFIX="images: "
. tests/lib.sh

# book NAME FIGURE...: $D/NAME/b.xml, a book whose chapter holds one figure for each FIGURE,
# "FILEREF [ATTRIBUTES]", with the images of tests/images/ in $D/NAME/img/. The figures
# start on the fifth page (cover, title, copyright, contents before it).
book() {
	local name=$1 f n=0; shift
	mkdir -p "$D/$name/img"
	cp "$I"/*.svg "$I"/*.jpg "$I"/*.png "$D/$name/img/"
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo '<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en"><title>Images</title>'
		echo '<chapter><title>C</title>'
		echo '<para>Before the figure.</para>'
		for f in "$@"; do
			local ref=${f%% *} attrs=
			[ "$ref" = "$f" ] || attrs=${f#* }
			n=$((n + 1))
			echo "<figure><title>Figure $n</title><mediaobject><imageobject><imagedata fileref=\"$ref\" $attrs/></imageobject><textobject><phrase>alt $n</phrase></textobject></mediaobject></figure>"
		done
		echo '<para>After the figure.</para></chapter></book>'
	} > "$D/$name/b.xml"
}

# refused NAME PATTERN: building $D/NAME/b.xml fails (status 1) with an error at the
# imagedata's file:line:col matching PATTERN, and writes no output
refused() {
	local name=$1 pat=$2
	"$O" build -q -o "$D/$name/out" "$D/$name/b.xml" 2> "$D/$name/err"; local rc=$?
	cat "$D/$name/err"
	[ $rc -eq 1 ] && grep -qE "^$D/$name/b.xml:[0-9]+:[0-9]+: error: .*$pat" "$D/$name/err" && [ ! -e "$D/$name/out" ]
}

# built NAME: $D/NAME/b.xml builds with no diagnostic, into $D/NAME/out/b.{pdf,epub}
built() {
	"$O" build -q -o "$D/$1/out" "$D/$1/b.xml" 2> "$D/$1/err"; local rc=$?
	cat "$D/$1/err"; [ $rc -eq 0 ] && [ ! -s "$D/$1/err" ]
}

# page NAME DPI: the fifth page of NAME's PDF as $D/NAME/p-5.ppm
page() { pdftoppm -r "$2" -f 5 -l 5 "$D/$1/out/b.pdf" "$D/$1/p"; }

# ---- SVG sizes ----
t_mm() {
	built mm && page mm 127 || return 1
	set -- $($PIX "$D/mm/p-5.ppm" cbox 255 0 0) $($PIX "$D/mm/p-5.ppm" cbox 0 0 255)
	echo "red $1-$3, blue $5-$7 (5 px a mm: 400 wide wanted)"
	[ $(($7 - $1 + 1)) -ge 397 ] && [ $(($7 - $1 + 1)) -le 403 ]
}
book mm img/mm.svg
check "an SVG 80mm wide (viewBox 200 wide) is drawn 80mm wide in the PDF, at 96 dpi as in a reading system, not 75mm (librsvg's 90 dpi)" t_mm

t_nosize() {
	built nosize && page nosize 72 || return 1
	"$O" build -q --pdf "$D/nosize/l.pdf" --layout "$D/nosize/l.txt" "$D/nosize/b.xml" || return 1
	local box=$(awk '$1=="image"{print $2, $3, $4, $5}' "$D/nosize/l.txt")
	local r=$($PIX "$D/nosize/p-5.ppm" cbox 255 0 0) b=$($PIX "$D/nosize/p-5.ppm" cbox 0 0 255)
	echo "box (x y w h, pt) $box; drawn, 1 px a pt: red $r, blue $b"
	$PY -c 'import sys; x, y, w, h, rx0, ry0, rx1, ry1, bx0, by0, bx1, by1 = map(float, sys.argv[1:])
sys.exit(not (abs(rx0 - x) <= 1.5 and abs(ry0 - y) <= 1.5 and abs(bx1 + 1 - x - w) <= 1.5 and abs(by1 + 1 - y - h) <= 1.5 and abs(w - 2 * h) <= 1))' $box $r $b
}
book nosize img/nosize.svg
check "an SVG with no width, height or viewBox is drawn inside the box the layout gave it (not over its caption), at its drawing's shape" t_nosize

# ---- pixel limits: rasters only ----
book bigsvg img/bigmm.svg img/bigvec.svg
check "a vector SVG 2000mm or 8000 px square (never decoded to pixels) is no \"megapixels decoded\" error" built bigsvg
t_mp() {
	mkdir -p "$D/mp/img"
	# a PNG header of 7072 x 7072 (50.01 megapixels): refused before anything is decoded
	$PY -c 'import struct, zlib, sys
ihdr = b"IHDR" + struct.pack(">IIBBBBB", 7072, 7072, 8, 2, 0, 0, 0)
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr)))' > "$D/mp/img/big.png"
	refused mp 'image "img/big.png": it would take 50\.1 megapixels decoded \(at most 50\)$'
}
book mp img/big.png
check "a PNG of 50.01 megapixels is refused, the count printed with one decimal rounded up: \"50.1 megapixels decoded (at most 50)\"" t_mp

# ---- messages ----
t_data_uri() {
	built_rc=0
	"$O" build -o "$D/datauri/out" "$D/datauri/b.xml" 2> "$D/datauri/err" || built_rc=$?
	cat "$D/datauri/err"
	[ $built_rc -eq 0 ] && [ $(wc -l < "$D/datauri/err") -eq 1 ] && [ $(wc -c < "$D/datauri/err") -lt 300 ] &&
	grep -q 'warning: image "data:image/png;base64,\.\.\." is a data: URI, which octavo does not read' "$D/datauri/err" && ! grep -q remote "$D/datauri/err"
}
book datauri "data:image/png;base64,$(base64 -w0 "$I/rgb8.png")"
check "a data: fileref is a warning that says so (not \"remote\"), without its base64" t_data_uri
book empty ""
check "an empty fileref is an error that says it is empty (not \"outside the book's folder\")" refused empty 'image "": the fileref is empty'
book deep img/deep.svg
$PY -c 'import sys; open(sys.argv[1], "w").write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"20\">" + "<g>" * 2000 + "<rect width=\"5\" height=\"5\"/>" + "</g>" * 2000 + "</svg>")' "$D/deep/img/deep.svg"
check "an SVG whose elements nest 2,000 deep is refused (librsvg's drawing overflowed the stack: a crash)" refused deep 'image "img/deep.svg": .*its elements nest more than 500 deep'
book deepnosize img/deep.svg
$PY -c 'import sys; open(sys.argv[1], "w").write("<svg xmlns=\"http://www.w3.org/2000/svg\">" + "<g>" * 2000 + "<rect width=\"5\" height=\"5\"/>" + "</g>" * 2000 + "</svg>")' "$D/deepnosize/img/deep.svg"
check "so is one with no size of its own, judged before librsvg measures it (measuring draws it: a crash too)" refused deepnosize 'image "img/deep.svg": .*its elements nest more than 500 deep'

# ---- SVG references outside the SVG ----
while read -r f what; do
	book "ref-$f" "img/$f.svg"
	check "an SVG with $what is refused" refused "ref-$f" 'image "img/'$f'.svg": it refers to "[^"]+" outside itself'
done <<'LIST'
fillurl fill="url(pat.svg#p)"
maskurl filter="url(http://...)"
upperurl fill:URL(pat.svg#p) in a style element
upperimport @IMPORT in a style element
remote2 URL(http://...) in a style element, filter= and clip-path="url(http://...)"
LIST
book datauri-svg img/datauri.svg
check "an SVG holding a small data: PNG is used" built datauri-svg

# ---- JPEG ----
# The test picture (base.jpg, 400 x 200): a green strip along the top over a red left half
# and a blue right half.
t_cmyk() {
	built cmyk && page cmyk 40 || return 1
	local red=$($PIX "$D/cmyk/p-5.ppm" count 220 0 0) navy=$($PIX "$D/cmyk/p-5.ppm" count 0 35 62)
	echo "red pixels: $red, dark navy (the red inverted) pixels: $navy"
	[ "$red" -gt 1000 ] && [ "$navy" -lt 100 ]
}
book cmyk img/cmyk.jpg
check "an Adobe CMYK JPEG is drawn with its colours (red stays red), not inverted (Cairo 1.16 writes no /Decode)" t_cmyk

t_damaged() {
	mkdir -p "$D/$1/img"
	$PY -c 'import sys; b = open(sys.argv[1], "rb").read(); sys.stdout.buffer.write(b[:len(b) // 2])' "$I/base.jpg" > "$D/$1/img/trunc.jpg"
	refused "$@"
}
book trunc img/trunc.jpg
check "a JPEG cut in half is refused: damaged, the file ends too soon" t_damaged trunc 'image "img/trunc.jpg": it is damaged: its image data ends too soon'
book garbage img/garbage.jpg
check "a JPEG whose image data was overwritten (libjpeg: \"bad Huffman code\") is refused as damaged" refused garbage 'image "img/garbage.jpg": it is damaged: .*Huffman'
book fine img/base.jpg img/cmyk.jpg img/orient6.jpg
check "sound JPEGs (baseline, CMYK, with EXIF) are used with no diagnostic" built fine

# orient O: base.jpg with an EXIF APP1 segment saying orientation O, after its JFIF APP0
orient() {
	$PY -c 'import struct, sys
b = open(sys.argv[1], "rb").read()
tiff = b"MM\x00\x2a" + struct.pack(">IH", 8, 1) + struct.pack(">HHIHH", 0x0112, 3, 1, int(sys.argv[2]), 0) + struct.pack(">I", 0)
seg = b"\xff\xe1" + struct.pack(">H", len(tiff) + 8) + b"Exif\x00\x00" + tiff
i = 4 + struct.unpack(">H", b[4:6])[0]
sys.stdout.buffer.write(b[:i] + seg + b[i:])' "$I/base.jpg" "$1"
}
# t_orient O SIDE ORDER: the green strip is along SIDE, and red is ORDER of blue (left/above)
t_orient() {
	local o=$1 side=$2 order=$3 name=orient$1
	orient "$o" > "$D/$name/img/o.jpg" && built "$name" && page "$name" 40 || return 1
	"$O" build -q --pdf "$D/$name/l.pdf" --layout "$D/$name/l.txt" "$D/$name/b.xml" || return 1
	local box=$(awk '$1=="image"{print $4, $5}' "$D/$name/l.txt")
	local g=$($PIX "$D/$name/p-5.ppm" cbox 0 159 0) r=$($PIX "$D/$name/p-5.ppm" cbox 220 0 0) b=$($PIX "$D/$name/p-5.ppm" cbox 0 0 220)
	echo "box w h: $box; green $g, red $r, blue $b; wanted: green $side, red $order blue"
	$PY - "$side" "$order" $box $g $r $b <<'PY'
import sys
side, order = sys.argv[1], sys.argv[2]
w, h = map(float, sys.argv[3:5])
g, r, b = [list(map(int, sys.argv[i:i + 4])) for i in (5, 9, 13)]
c = lambda q: ((q[0] + q[2]) / 2, (q[1] + q[3]) / 2)
(gx, gy), (rx, ry), (bx, by) = c(g), c(r), c(b)
ok = (w > h) == (side in ("top", "bottom"))  # turned a quarter: portrait
ok &= {"top": gy < min(ry, by), "bottom": gy > max(ry, by), "left": gx < min(rx, bx), "right": gx > max(rx, bx)}[side]
ok &= {"left": rx < bx, "right": rx > bx, "above": ry < by, "below": ry > by}[order]
sys.exit(not ok)
PY
}
while read -r o side order; do
	book "orient$o" img/o.jpg
	check "EXIF orientation $o: the PDF shows the JPEG as a reading system does (green strip $side, red $order the blue)" t_orient "$o" "$side" "$order"
done <<'LIST'
1 top left
2 top right
3 bottom right
4 bottom left
5 left above
6 right above
7 right below
8 left below
LIST

# ---- rasters inside an SVG ----
# bomb NAME KIND: $D/NAME/img/bomb.svg, a 200 x 100 SVG holding data: images only as large
# as their headers (librsvg would decode them whole: 144 megapixels from a 560 KB file)
bomb() {
	mkdir -p "$D/$1/img"
	$PY - "$2" > "$D/$1/img/bomb.svg" <<'PY'
import base64, struct, sys, zlib
def png(w, h):
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr))
uri = lambda b, t="image/png": f"data:{t};base64," + base64.b64encode(b).decode()
img = lambda u: f'<image width="200" height="100" xlink:href="{u}"/>'
svg = lambda body: ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                    f'width="200" height="100">{body}</svg>')
kind = sys.argv[1]
body = {"big": img(uri(png(12000, 12000))),
        "two": img(uri(png(6000, 5000))) + img(uri(png(6000, 5000))),
        "wide": img(uri(png(31000, 10))),
        "nested": img(uri(svg(img(uri(png(12000, 12000)))).encode(), "image/svg+xml")),
        "css": '<rect width="200" height="100" style="fill: url(\'' + uri(png(12000, 12000)) + '\')"/>',
        "bmp": img(uri(b"BM" + bytes(60), "image/bmp"))}[kind]
print(svg(body))
PY
}
while IFS='|' read -r kind what pat; do
	book "bomb-$kind" img/bomb.svg
	check "an SVG holding $what is refused before librsvg decodes it" bash -c "$(declare -f bomb refused); PY='$PY' O='$O' D='$D'
		bomb bomb-$kind $kind && refused bomb-$kind 'image \"img/bomb.svg\": $pat'"
done <<'LIST'
big|a data: PNG of 12,000 x 12,000 pixels|the images it holds would take 144 megapixels decoded \(at most 50\)
two|two data: PNGs of 30 megapixels|the images it holds would take 60 megapixels decoded \(at most 50\)
wide|a data: PNG 31,000 pixels wide|it holds an image of 31000 x 10 pixels \(at most 30000 a side\)
nested|a data: SVG holding a data: PNG of 144 megapixels|the images it holds would take 144 megapixels decoded
css|a data: PNG of 144 megapixels in a style's url()|the images it holds would take 144 megapixels decoded
bmp|a data: BMP|it holds an image \("data:image/bmp;base64"\) that is not a PNG, JPEG, GIF or SVG file
LIST

# ---- <use> elements: what an SVG would draw with them copied in ----
# use NAME KIND: $D/NAME/img/use.svg, an SVG of <use> elements (KIND below)
use() {
	mkdir -p "$D/$1/img"
	$PY - "$2" > "$D/$1/img/use.svg" <<'PY'
import sys
kind = sys.argv[1]
head = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
ref = lambda i, to: f'<use {"xlink:" if i % 2 else ""}href="#{to}"/>'  # href and xlink:href in turn
def bomb(levels, via_use=False):
    # a0 a square, each a(i) ten uses of a(i-1) (or of a <use> of it): 10^levels squares
    s = ['<defs><g id="a0"><rect width="1" height="1"/></g>']
    for i in range(1, levels + 1):
        to = f"u{i - 1}" if via_use else f"a{i - 1}"
        if via_use:
            s.append(f'<use id="u{i - 1}" href="#a{i - 1}"/>')
        s.append(f'<g id="a{i}">' + ref(i, to) * 10 + "</g>")
    return "".join(s) + "</defs>"
if kind == "bomb":  # no size of its own: measuring it (before the drawing) drew it
    print(head + ">" + bomb(9) + ref(0, "a9") + "</svg>")
elif kind == "sized":
    print(head + ' width="100" height="100">' + bomb(9) + ref(0, "a9") + "</svg>")
elif kind == "useuse":
    print(head + ' width="100" height="100">' + bomb(8, True) + ref(0, "a8") + "</svg>")
elif kind == "entity":  # the last ten uses in an entity, which librsvg puts in place
    print('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY top "' + ref(0, "a8").replace('"', "'") * 10 + '">]>')
    print(head + ' width="100" height="100">' + bomb(8) + "<g>&top;</g></svg>")
elif kind == "self":
    print(head + ' width="20" height="20"><use id="u" href="#u"/></svg>')
elif kind == "chain":  # 3,000 groups, each a use of the one before: 6,000 levels drawn
    print(head + ' width="20" height="20"><defs><g id="a0"><rect width="5" height="5"/></g>' +
          "".join(f'<g id="a{i}">{ref(i, f"a{i - 1}")}</g>' for i in range(1, 3001)) + "</defs>" + ref(0, "a3000") + "</svg>")
elif kind == "symbol":  # a red square drawn 200 times, 20 x 10, 8 px squares 10 px apart
    print(head + ' width="200" height="100"><defs><symbol id="s"><rect width="8" height="8" fill="#ff0000"/></symbol></defs>' +
          "".join(f'<use href="#s" x="{10 * (k % 20)}" y="{10 * (k // 20)}"/>' for k in range(200)) + "</svg>")
PY
}
# refused_fast NAME PATTERN: refused, in under a second (stopped after ten)
refused_fast() {
	local name=$1 pat=$2 t0=${EPOCHREALTIME/[.,]/} rc ms
	timeout 10 "$O" build -q -o "$D/$name/out" "$D/$name/b.xml" 2> "$D/$name/err"; rc=$?
	ms=$(( (${EPOCHREALTIME/[.,]/} - t0) / 1000 ))
	cat "$D/$name/err"; echo "status $rc after $ms ms"
	[ $rc -eq 1 ] && [ $ms -lt 1000 ] && [ ! -e "$D/$name/out" ] &&
	grep -qE "^$D/$name/b.xml:[0-9]+:[0-9]+: error: .*$pat" "$D/$name/err"
}
while IFS='|' read -r kind what pat; do
	book "use-$kind" img/use.svg
	use "use-$kind" "$kind"
	check "an SVG $what is refused at once" refused_fast "use-$kind" "image \"img/use.svg\": $pat"
done <<'LIST'
bomb|of ten groups of ten <use>s of the one before, nine deep (10^9 elements drawn), with no size of its own (measuring it took librsvg 14 s)|it would draw more than 1000000 elements \(each <use> as a copy of what it names\)$
sized|of ten groups of ten <use>s of the one before, nine deep, 100 px square (drawing it took librsvg 8 s and 440 MB)|it would draw more than 1000000 elements \(each <use>
useuse|whose <use>s refer to <use>s, ten of ten eight deep|it would draw more than 1000000 elements \(each <use>
entity|whose last ten <use>s of 10^8 elements are in an XML entity|it would draw more than 1000000 elements \(each <use>
self|whose <use> refers to itself|its <use> elements refer to each other in a loop \("#u" is drawn inside itself\)$
chain|of 3,000 groups each a <use> of the one before (librsvg overflowed its stack: a crash)|its elements nest more than 500 deep, with what its <use> elements refer to$
LIST
book use-cycle img/usecycle.svg
check "an SVG whose <use>s refer to each other in a loop (#a holds #b, which uses #c, which uses #a) is refused, not drawn or hung" refused_fast use-cycle 'image "img/usecycle.svg": its <use> elements refer to each other in a loop \("#a" is drawn inside itself\)$'
t_symbol() {
	use use-symbol symbol && built use-symbol && page use-symbol 96 || return 1
	local red=$($PIX "$D/use-symbol/p-5.ppm" count 255 0 0) box=$($PIX "$D/use-symbol/p-5.ppm" cbox 255 0 0)
	echo "red pixels: $red (200 squares of 8 x 8: 12800), red box $box"
	set -- $box
	[ "$red" -ge 11000 ] && [ "$red" -le 14500 ] && [ $(($3 - $1 + 1)) -ge 185 ] && [ $(($4 - $2 + 1)) -ge 85 ]
}
book use-symbol img/use.svg
check "an SVG drawing a symbol 200 times through <use> is used, and the PDF shows all 200 squares" t_symbol

# ---- one XObject an image ----
t_dedup() {
	cp "$D/dedup/img/base.jpg" "$D/dedup/img/base-copy.jpg"
	built dedup || return 1
	pdfimages -list "$D/dedup/out/b.pdf" > "$D/dedup/list" || return 1
	cat "$D/dedup/list"
	# 6 uses (a JPEG three times, once through a copy; a PNG three times), 2 objects
	[ $(awk 'NR > 2' "$D/dedup/list" | wc -l) -eq 6 ] && [ $(awk 'NR > 2 {print $11}' "$D/dedup/list" | sort -u | wc -l) -eq 2 ] &&
	[ $(awk 'NR > 2 && $9 == "jpeg"' "$D/dedup/list" | wc -l) -eq 3 ]
}
book dedup img/base.jpg img/./base.jpg img/rgb8.png img/rgb8.png img/base-copy.jpg "img/rgb8.png width=\"2cm\""
check "an image shown three times, or as two files with the same bytes, is one image XObject in the PDF (pdfimages -list)" t_dedup
t_same() {
	"$O" build -q --pdf "$D/dedup/again.pdf" "$D/dedup/b.xml" && cmp "$D/dedup/out/b.pdf" "$D/dedup/again.pdf" &&
	OCTAVO_THREADS=1 "$O" build -q --pdf "$D/dedup/one.pdf" "$D/dedup/b.xml" && cmp "$D/dedup/out/b.pdf" "$D/dedup/one.pdf" &&
	qpdf --check "$D/dedup/out/b.pdf" > "$D/dedup/qpdf" 2>&1; local rc=$?
	cat "$D/dedup/qpdf"; [ $rc -eq 0 ] && ! grep -qi warning "$D/dedup/qpdf"
}
check "that PDF is byte-identical built again and in one thread (OCTAVO_THREADS=1), and qpdf finds nothing wrong (no XObject named twice in a page's resources)" t_same

# ---- DocBook's print/screen pair: an EPS or a PDF with role="fo" beside a PNG with role="html"
# failed the whole build; the PDF now takes the next image object, with a warning (a lone
# unreadable image is still an error) ----
t_pair() {
	local n=pair
	mkdir -p "$D/$n/img"
	cp "$I/rgb8.png" "$D/$n/img/fig.png"
	printf '%%PDF-1.4\n%% not an image octavo draws\n' > "$D/$n/img/fig.pdf"
	cat > "$D/$n/b.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<article xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en"><title>Pair</title>
<figure><title>Block</title><mediaobject><imageobject role="fo"><imagedata fileref="img/fig.pdf"/></imageobject><imageobject role="html"><imagedata fileref="img/fig.png"/></imageobject><textobject><phrase>Gates</phrase></textobject></mediaobject></figure>
<para>Inline <inlinemediaobject><imageobject role="fo"><imagedata fileref="img/fig.pdf"/></imageobject><imageobject role="html"><imagedata fileref="img/fig.png" width="8pt"/></imageobject></inlinemediaobject> image.</para>
</article>
XML
	"$O" build -o "$D/$n/out" "$D/$n/b.xml" 2> "$D/$n/err" || { cat "$D/$n/err"; return 1; }
	grep -q 'fig.pdf.*next image is tried' "$D/$n/err" || { cat "$D/$n/err"; return 1; }
	[ "$(pdfimages -list "$D/$n/out/b.pdf" | tail -n +3 | wc -l)" -ge 2 ] || { pdfimages -list "$D/$n/out/b.pdf"; return 1; }
	unzip -p "$D/$n/out/b.epub" OEBPS/text-1.xhtml | grep -q 'src="images/img/fig.png"'
}
check "role=\"fo\" PDF beside a role=\"html\" PNG: the PDF shows the PNG (block and inline), with a warning; the EPUB the PNG" t_pair

exit 0
