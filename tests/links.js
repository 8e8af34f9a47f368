// Print every link of a PDF: page, bounds, target ("#page=N..." for internal ones). For mutool run.
var doc = new PDFDocument(scriptArgs[0]);
var n = doc.countPages();
for (var i = 0; i < n; i++) {
  var links = doc.loadPage(i).getLinks();
  for (var k = 0; k < links.length; k++) {
    var l = links[k];
    print((i + 1) + "\t" + l.bounds.join(",") + "\t" + l.uri);
  }
}
