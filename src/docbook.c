/* docbook.c: the reader.
 *
 * libxml2 parses each file (NONET | BIG_LINES only: no entity substitution, no DTD loading),
 * a SAX hook records where each start tag begins, and an explicit-stack walk turns the XML
 * tree into the content model. XInclude and entities are expanded by this walk itself, so
 * every node keeps its own file:line:col and every file read passes one gate (inside the
 * book's folder, no URL, no loop). The walk never recurses: any depth of input is safe. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/HTMLparser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include "docbook.h"
#include "gentext.h"
#include "theme.h"

#define DB5_NS "http://docbook.org/ns/docbook"
#define XLINK_NS "http://www.w3.org/1999/xlink"
#define XI_NS "http://www.w3.org/2001/XInclude"
#define XI_NS_OLD "http://www.w3.org/2003/XInclude"
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)
#define MAX_ENTITY_DEPTH 16
#define MAX_INCLUDE_DEPTH 64
/* Elements may nest this deep (libxml2's own default is 256). Nothing in octavo recurses on the
 * input's depth, so the limit only bounds memory; 20,000 levels must build. */
#define MAX_ELEMENT_DEPTH 100000
/* A source file larger than this is refused before it is read (libxml2's tree takes several
 * times the file's size). */
#define MAX_SOURCE_BYTES (256 * 1024 * 1024)

/* ---- what each element becomes ---- */

typedef enum {
	ACT_NODE,        /* a node of the given type */
	ACT_TRANSPARENT, /* no node: its children go to the parent */
	ACT_INFO,        /* metadata: title/subtitle to the division, the rest to OvMeta */
	ACT_INDEXTERM,
	ACT_IMAGEDATA,
	ACT_GRAPHIC,     /* DocBook 4's graphic, inlinegraphic: a media object of one image */
	ACT_TEXTOBJECT,  /* alt text for the images of the enclosing media object */
	ACT_TGROUP,
	ACT_QANDA,       /* question, answer: no node; its first paragraph starts with a label */
	ACT_CO,          /* a callout's mark in a listing: "(1)" */
	ACT_CALLOUT,     /* a calloutlist's entry: its mark, then its blocks */
	ACT_AREASPEC,    /* callout places by coordinates: marked at the ends of their lines */
	ACT_IGNORE,      /* known, produces nothing (toc, colspec handled by tgroup, ...) */
	ACT_ROOT
} Action;

typedef struct {
	const char *name;
	Action act;
	OvType type;
	int sub; /* style flags, admonition kind, verbatim kind */
} ElemSpec;

static const ElemSpec elem_specs[] = {
	{ "book", ACT_ROOT, OV_DOCUMENT, 0 },
	{ "article", ACT_ROOT, OV_DOCUMENT, 0 },
	{ "info", ACT_INFO, 0, 0 },
	{ "bookinfo", ACT_INFO, 0, 0 },
	{ "articleinfo", ACT_INFO, 0, 0 },
	{ "chapterinfo", ACT_INFO, 0, 0 },
	{ "prefaceinfo", ACT_INFO, 0, 0 },
	{ "appendixinfo", ACT_INFO, 0, 0 },
	{ "partinfo", ACT_INFO, 0, 0 },
	{ "sectioninfo", ACT_INFO, 0, 0 },
	{ "sect1info", ACT_INFO, 0, 0 },
	{ "sect2info", ACT_INFO, 0, 0 },
	{ "sect3info", ACT_INFO, 0, 0 },
	{ "sect4info", ACT_INFO, 0, 0 },
	{ "sect5info", ACT_INFO, 0, 0 },
	{ "blockinfo", ACT_INFO, 0, 0 },
	{ "part", ACT_NODE, OV_PART, 0 },
	{ "partintro", ACT_TRANSPARENT, 0, 0 },
	{ "qandaset", ACT_TRANSPARENT, 0, 0 },
	{ "qandadiv", ACT_TRANSPARENT, 0, 0 },
	{ "qandaentry", ACT_TRANSPARENT, 0, 0 },
	{ "question", ACT_QANDA, 0, 0 },
	{ "label", ACT_IGNORE, 0, 0 }, /* a question's or answer's: read with it */
	{ "co", ACT_CO, 0, 0 },
	{ "calloutlist", ACT_NODE, OV_VARIABLELIST, 0 },
	{ "callout", ACT_CALLOUT, 0, 0 },
	{ "programlistingco", ACT_TRANSPARENT, 0, 0 },
	{ "screenco", ACT_TRANSPARENT, 0, 0 },
	{ "areaspec", ACT_AREASPEC, 0, 0 },
	{ "answer", ACT_QANDA, 0, 0 },
	{ "preface", ACT_NODE, OV_PREFACE, 0 },
	{ "acknowledgements", ACT_NODE, OV_PREFACE, 0 },
	{ "chapter", ACT_NODE, OV_CHAPTER, 0 },
	{ "appendix", ACT_NODE, OV_APPENDIX, 0 },
	{ "section", ACT_NODE, OV_SECTION, 0 },
	{ "sect1", ACT_NODE, OV_SECTION, 0 },
	{ "sect2", ACT_NODE, OV_SECTION, 0 },
	{ "sect3", ACT_NODE, OV_SECTION, 0 },
	{ "sect4", ACT_NODE, OV_SECTION, 0 },
	{ "sect5", ACT_NODE, OV_SECTION, 0 },
	{ "simplesect", ACT_NODE, OV_SECTION, 0 },
	{ "colophon", ACT_NODE, OV_COLOPHON, 0 },
	{ "dedication", ACT_NODE, OV_DEDICATION, 0 },
	{ "glossary", ACT_NODE, OV_GLOSSARY, 0 },
	{ "glossdiv", ACT_NODE, OV_SECTION, 0 },
	{ "glosslist", ACT_NODE, OV_VARIABLELIST, 0 },
	{ "glossentry", ACT_NODE, OV_VARLISTENTRY, 0 },
	{ "glossdef", ACT_NODE, OV_LISTITEM, 0 },
	{ "glosssee", ACT_NODE, OV_PARA, 0 },
	{ "glossseealso", ACT_NODE, OV_PARA, 0 },
	{ "bibliography", ACT_NODE, OV_GLOSSARY, 0 },
	{ "bibliodiv", ACT_NODE, OV_SECTION, 0 },
	{ "bibliolist", ACT_NODE, OV_VARIABLELIST, 0 },
	{ "biblioentry", ACT_NODE, OV_PARA, 0 },
	{ "bibliomixed", ACT_NODE, OV_PARA, 0 },
	{ "indexdiv", ACT_NODE, OV_SECTION, 0 },
	{ "indexentry", ACT_NODE, OV_PARA, 0 },
	{ "primaryie", ACT_NODE, OV_PHRASE, 0 },
	{ "secondaryie", ACT_NODE, OV_PHRASE, 0 },
	{ "tertiaryie", ACT_NODE, OV_PHRASE, 0 },
	{ "seeie", ACT_NODE, OV_PHRASE, 0 },
	{ "seealsoie", ACT_NODE, OV_PHRASE, 0 },
	{ "author", ACT_NODE, OV_PHRASE, 0 },
	{ "editor", ACT_NODE, OV_PHRASE, 0 },
	{ "publishername", ACT_NODE, OV_PHRASE, 0 },
	{ "pubdate", ACT_NODE, OV_PHRASE, 0 },
	{ "date", ACT_NODE, OV_PHRASE, 0 },
	{ "index", ACT_NODE, OV_INDEX, 0 },
	{ "setindex", ACT_NODE, OV_INDEX, 0 },
	{ "toc", ACT_IGNORE, 0, 0 },
	{ "lot", ACT_IGNORE, 0, 0 },
	{ "title", ACT_NODE, OV_TITLE, 0 },
	{ "subtitle", ACT_NODE, OV_SUBTITLE, 0 },
	{ "titleabbrev", ACT_IGNORE, 0, 0 },
	{ "para", ACT_NODE, OV_PARA, 0 },
	{ "simpara", ACT_NODE, OV_PARA, 0 },
	{ "formalpara", ACT_NODE, OV_FORMALPARA, 0 },
	{ "bridgehead", ACT_NODE, OV_BRIDGEHEAD, 0 },
	{ "itemizedlist", ACT_NODE, OV_ITEMIZEDLIST, 0 },
	{ "orderedlist", ACT_NODE, OV_ORDEREDLIST, 0 },
	{ "simplelist", ACT_NODE, OV_SIMPLELIST, 0 },
	{ "member", ACT_NODE, OV_LISTITEM, 0 },
	{ "listitem", ACT_NODE, OV_LISTITEM, 0 },
	{ "procedure", ACT_NODE, OV_ORDEREDLIST, 0 },
	{ "substeps", ACT_NODE, OV_ORDEREDLIST, 0 },
	{ "stepalternatives", ACT_NODE, OV_ITEMIZEDLIST, 0 },
	{ "step", ACT_NODE, OV_LISTITEM, 0 },
	{ "variablelist", ACT_NODE, OV_VARIABLELIST, 0 },
	{ "varlistentry", ACT_NODE, OV_VARLISTENTRY, 0 },
	{ "term", ACT_NODE, OV_TERM, 0 },
	{ "blockquote", ACT_NODE, OV_BLOCKQUOTE, 0 },
	{ "epigraph", ACT_NODE, OV_EPIGRAPH, 0 },
	{ "attribution", ACT_NODE, OV_ATTRIBUTION, 0 },
	{ "note", ACT_NODE, OV_ADMONITION, OV_ADM_NOTE },
	{ "tip", ACT_NODE, OV_ADMONITION, OV_ADM_TIP },
	{ "warning", ACT_NODE, OV_ADMONITION, OV_ADM_WARNING },
	{ "important", ACT_NODE, OV_ADMONITION, OV_ADM_IMPORTANT },
	{ "caution", ACT_NODE, OV_ADMONITION, OV_ADM_CAUTION },
	{ "sidebar", ACT_NODE, OV_SIDEBAR, 0 },
	{ "figure", ACT_NODE, OV_FIGURE, OV_F_NUMBERED },
	{ "informalfigure", ACT_NODE, OV_FIGURE, 0 },
	{ "example", ACT_NODE, OV_FIGURE, OV_F_NUMBERED },
	{ "informalexample", ACT_NODE, OV_FIGURE, 0 },
	{ "equation", ACT_NODE, OV_FIGURE, OV_F_NUMBERED },
	{ "informalequation", ACT_NODE, OV_FIGURE, 0 },
	{ "mediaobject", ACT_NODE, OV_MEDIAOBJECT, 0 },
	{ "inlinemediaobject", ACT_NODE, OV_INLINEMEDIA, 0 },
	{ "imageobject", ACT_TRANSPARENT, 0, 0 },
	{ "audioobject", ACT_IGNORE, 0, 0 }, /* with a warning: neither output can play it */
	{ "videoobject", ACT_IGNORE, 0, 0 },
	{ "imagedata", ACT_IMAGEDATA, 0, 0 },
	{ "graphic", ACT_GRAPHIC, OV_MEDIAOBJECT, 0 },
	{ "inlinegraphic", ACT_GRAPHIC, OV_INLINEMEDIA, 0 },
	{ "textobject", ACT_TEXTOBJECT, 0, 0 },
	{ "alt", ACT_TEXTOBJECT, 0, 0 },
	{ "caption", ACT_NODE, OV_CAPTION, 0 },
	{ "table", ACT_NODE, OV_TABLE, OV_F_NUMBERED },
	{ "informaltable", ACT_NODE, OV_TABLE, 0 },
	{ "entrytbl", ACT_NODE, OV_TABLE, 0 },
	{ "tgroup", ACT_TGROUP, 0, 0 },
	{ "colspec", ACT_IGNORE, 0, 0 },
	{ "spanspec", ACT_IGNORE, 0, 0 },
	{ "col", ACT_IGNORE, 0, 0 },
	{ "colgroup", ACT_IGNORE, 0, 0 },
	{ "thead", ACT_NODE, OV_THEAD, 0 },
	{ "tbody", ACT_NODE, OV_TBODY, 0 },
	{ "tfoot", ACT_NODE, OV_TFOOT, 0 },
	{ "row", ACT_NODE, OV_ROW, 0 },
	{ "tr", ACT_NODE, OV_ROW, 0 },
	{ "entry", ACT_NODE, OV_CELL, 0 },
	{ "td", ACT_NODE, OV_CELL, 0 },
	{ "th", ACT_NODE, OV_CELL, 0 },
	{ "programlisting", ACT_NODE, OV_VERBATIM, OV_VERB_PROGRAM },
	{ "screen", ACT_NODE, OV_VERBATIM, OV_VERB_SCREEN },
	{ "synopsis", ACT_NODE, OV_VERBATIM, OV_VERB_PROGRAM },
	{ "literallayout", ACT_NODE, OV_VERBATIM, OV_VERB_LITERAL },
	{ "emphasis", ACT_NODE, OV_EMPHASIS, OV_STYLE_ITALIC },
	{ "literal", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "code", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "command", ACT_NODE, OV_CODE, OV_STYLE_MONO | OV_STYLE_BOLD },
	{ "filename", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "replaceable", ACT_NODE, OV_CODE, OV_STYLE_MONO | OV_STYLE_ITALIC },
	{ "userinput", ACT_NODE, OV_CODE, OV_STYLE_MONO | OV_STYLE_BOLD },
	{ "computeroutput", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "option", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "envar", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "varname", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "function", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "parameter", ACT_NODE, OV_CODE, OV_STYLE_MONO | OV_STYLE_ITALIC },
	{ "classname", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "prompt", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "systemitem", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "tag", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "markup", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "token", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "type", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "constant", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "property", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "package", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "errorcode", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "errorname", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "errortext", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "keycap", ACT_NODE, OV_CODE, OV_STYLE_MONO },
	{ "keycombo", ACT_NODE, OV_PHRASE, 0 },
	{ "guilabel", ACT_NODE, OV_PHRASE, OV_STYLE_BOLD },
	{ "guimenu", ACT_NODE, OV_PHRASE, OV_STYLE_BOLD },
	{ "guibutton", ACT_NODE, OV_PHRASE, OV_STYLE_BOLD },
	{ "guimenuitem", ACT_NODE, OV_PHRASE, OV_STYLE_BOLD },
	{ "guisubmenu", ACT_NODE, OV_PHRASE, OV_STYLE_BOLD },
	{ "guiicon", ACT_NODE, OV_PHRASE, OV_STYLE_BOLD },
	{ "menuchoice", ACT_NODE, OV_PHRASE, 0 },
	{ "shortcut", ACT_NODE, OV_PHRASE, 0 },
	{ "mousebutton", ACT_NODE, OV_PHRASE, 0 },
	{ "application", ACT_NODE, OV_PHRASE, 0 },
	{ "quote", ACT_NODE, OV_QUOTE, 0 },
	{ "subscript", ACT_NODE, OV_SUBSCRIPT, 0 },
	{ "superscript", ACT_NODE, OV_SUPERSCRIPT, 0 },
	{ "phrase", ACT_NODE, OV_PHRASE, 0 },
	{ "abbrev", ACT_NODE, OV_PHRASE, 0 },
	{ "acronym", ACT_NODE, OV_PHRASE, 0 },
	{ "mathphrase", ACT_NODE, OV_PHRASE, 0 },
	{ "inlineequation", ACT_NODE, OV_PHRASE, 0 },
	{ "citetitle", ACT_NODE, OV_PHRASE, OV_STYLE_ITALIC },
	{ "citation", ACT_NODE, OV_PHRASE, 0 },
	{ "personname", ACT_NODE, OV_PHRASE, 0 },
	{ "firstname", ACT_NODE, OV_PHRASE, 0 },
	{ "surname", ACT_NODE, OV_PHRASE, 0 },
	{ "othername", ACT_NODE, OV_PHRASE, 0 },
	{ "honorific", ACT_NODE, OV_PHRASE, 0 },
	{ "givenname", ACT_NODE, OV_PHRASE, 0 },
	/* a bibliography entry's fields */
	{ "publisher", ACT_NODE, OV_PHRASE, 0 },
	{ "edition", ACT_NODE, OV_PHRASE, 0 },
	{ "volumenum", ACT_NODE, OV_PHRASE, 0 },
	{ "issuenum", ACT_NODE, OV_PHRASE, 0 },
	{ "seriesvolnums", ACT_NODE, OV_PHRASE, 0 },
	{ "pagenums", ACT_NODE, OV_PHRASE, 0 },
	{ "isbn", ACT_NODE, OV_PHRASE, 0 },
	{ "issn", ACT_NODE, OV_PHRASE, 0 },
	{ "biblioid", ACT_NODE, OV_PHRASE, 0 },
	{ "authorgroup", ACT_NODE, OV_PHRASE, 0 },
	{ "collab", ACT_NODE, OV_PHRASE, 0 },
	{ "corpauthor", ACT_NODE, OV_PHRASE, 0 },
	{ "lineage", ACT_NODE, OV_PHRASE, 0 },
	{ "orgname", ACT_NODE, OV_PHRASE, 0 },
	{ "trademark", ACT_NODE, OV_PHRASE, 0 },
	{ "productname", ACT_NODE, OV_PHRASE, 0 },
	{ "wordasword", ACT_NODE, OV_PHRASE, OV_STYLE_ITALIC },
	{ "foreignphrase", ACT_NODE, OV_PHRASE, OV_STYLE_ITALIC },
	{ "firstterm", ACT_NODE, OV_PHRASE, OV_STYLE_ITALIC },
	{ "glossterm", ACT_NODE, OV_PHRASE, OV_STYLE_ITALIC },
	{ "termdef", ACT_NODE, OV_PHRASE, 0 },
	{ "lineannotation", ACT_NODE, OV_PHRASE, OV_STYLE_ITALIC },
	{ "symbol", ACT_NODE, OV_PHRASE, 0 },
	{ "remark", ACT_NODE, OV_PHRASE, OV_STYLE_ITALIC },
	{ "email", ACT_NODE, OV_LINK, OV_STYLE_MONO },
	{ "uri", ACT_NODE, OV_LINK, 0 },
	{ "link", ACT_NODE, OV_LINK, 0 },
	{ "ulink", ACT_NODE, OV_LINK, 0 },
	{ "olink", ACT_NODE, OV_PHRASE, 0 },
	{ "xref", ACT_NODE, OV_XREF, 0 },
	{ "biblioref", ACT_NODE, OV_XREF, 0 }, /* an xref to a bibliography entry */
	{ "anchor", ACT_NODE, OV_ANCHOR, 0 },
	{ "footnote", ACT_NODE, OV_FOOTNOTE, 0 },
	{ "footnoteref", ACT_NODE, OV_FOOTNOTEREF, 0 },
	{ "indexterm", ACT_INDEXTERM, 0, 0 },
	{ "cover", ACT_NODE, OV_COVER, 0 },
	/* reference pages (man pages): a reference is a part of refentries, each a division
	 * (enter_ref picks which by where it stands), unnumbered as DocBook's stylesheets set them */
	{ "reference", ACT_NODE, OV_PART, 0 },
	{ "refentry", ACT_NODE, OV_SECTION, 0 },
	{ "refnamediv", ACT_NODE, OV_PARA, 0 },   /* "name, name — purpose" */
	{ "refname", ACT_NODE, OV_PHRASE, 0 },
	{ "refpurpose", ACT_NODE, OV_PHRASE, 0 },
	{ "refdescriptor", ACT_NODE, OV_PHRASE, 0 },
	{ "refsynopsisdiv", ACT_NODE, OV_SECTION, 0 },
	{ "refsect1", ACT_NODE, OV_SECTION, 0 },
	{ "refsect2", ACT_NODE, OV_SECTION, 0 },
	{ "refsect3", ACT_NODE, OV_SECTION, 0 },
	{ "refsection", ACT_NODE, OV_SECTION, 0 },
	{ "refmeta", ACT_IGNORE, 0, 0 },          /* its refentrytitle: the refentry's title */
	{ "citerefentry", ACT_NODE, OV_PHRASE, 0 }, /* "ls(1)": finish_synopsis */
	{ "refentrytitle", ACT_NODE, OV_PHRASE, 0 },
	{ "manvolnum", ACT_NODE, OV_PHRASE, 0 },
	/* a command's synopsis: "tar [-v] {create | extract} file..." (finish_synopsis) */
	{ "cmdsynopsis", ACT_NODE, OV_PARA, 0 },
	{ "arg", ACT_NODE, OV_PHRASE, 0 },
	{ "group", ACT_NODE, OV_PHRASE, 0 },
	{ "sbr", ACT_NODE, OV_LINEBREAK, 0 },
	{ "segmentedlist", ACT_NODE, OV_PARA, 0 }, /* enter_seglist: "Title: value" lines */
	/* a bibliography entry's compound fields (punctuate_biblio sets their parts apart) */
	{ "copyright", ACT_NODE, OV_PHRASE, 0 },
	{ "othercredit", ACT_NODE, OV_PHRASE, 0 }, /* its name and contrib set apart by a space */
	{ "contrib", ACT_NODE, OV_PHRASE, 0 },
	{ "year", ACT_NODE, OV_PHRASE, 0 },
	{ "holder", ACT_NODE, OV_PHRASE, 0 },
	{ "referenceinfo", ACT_INFO, 0, 0 },
	{ "refentryinfo", ACT_INFO, 0, 0 },
	{ "refsynopsisdivinfo", ACT_INFO, 0, 0 },
	{ "refsect1info", ACT_INFO, 0, 0 },
	{ "refsect2info", ACT_INFO, 0, 0 },
	{ "refsect3info", ACT_INFO, 0, 0 },
	{ "refsectioninfo", ACT_INFO, 0, 0 },
	{ "abstract", ACT_NODE, OV_ABSTRACT, 0 },
	{ "legalnotice", ACT_NODE, OV_LEGALNOTICE, 0 },
};

static GHashTable *spec_table;

static const ElemSpec *
spec_lookup(const char *name)
{
	if (spec_table == NULL) {
		spec_table = g_hash_table_new(g_str_hash, g_str_equal);
		for (gsize i = 0; i < G_N_ELEMENTS(elem_specs); i++)
			g_hash_table_insert(spec_table, (gpointer)elem_specs[i].name, (gpointer)&elem_specs[i]);
	}
	return g_hash_table_lookup(spec_table, name);
}

/* ---- character entities of the DocBook DTD that HTML 4 does not have ---- */

static const struct { const char *name; gunichar cp; } extra_entities[] = {
	{ "lsquor", 0x201A }, { "ldquor", 0x201E }, { "rsquor", 0x2019 }, { "rdquor", 0x201D },
	{ "half", 0x00BD }, { "frac12", 0x00BD }, { "frac14", 0x00BC }, { "frac34", 0x00BE },
	{ "frac13", 0x2153 }, { "frac23", 0x2154 }, { "frac18", 0x215B }, { "check", 0x2713 },
	{ "cross", 0x2717 }, { "star", 0x2606 }, { "starf", 0x2605 }, { "phone", 0x260E },
	{ "female", 0x2640 }, { "male", 0x2642 }, { "sharp", 0x266F }, { "flat", 0x266D },
	{ "dash", 0x2010 }, { "hyphen", 0x2010 }, { "horbar", 0x2015 }, { "nldr", 0x2025 },
	{ "mldr", 0x2026 }, { "blank", 0x2423 }, { "hybull", 0x2043 }, { "emsp13", 0x2004 },
	{ "emsp14", 0x2005 }, { "numsp", 0x2007 }, { "puncsp", 0x2008 }, { "hairsp", 0x200A },
	{ "caret", 0x2041 }, { "incare", 0x2105 }, { "copysr", 0x2117 }, { "rx", 0x211E },
	{ "dagger", 0x2020 }, { "Dagger", 0x2021 }, { "squ", 0x25A1 }, { "square", 0x25A1 },
	{ "apos", 0x0027 }, { "lowbar", 0x005F }, { "verbar", 0x007C }, { "ast", 0x002A },
	{ "commat", 0x0040 }, { "num", 0x0023 }, { "dollar", 0x0024 }, { "percnt", 0x0025 },
	{ "lsqb", 0x005B }, { "rsqb", 0x005D }, { "lcub", 0x007B }, { "rcub", 0x007D },
	{ "excl", 0x0021 }, { "quest", 0x003F }, { "colon", 0x003A }, { "semi", 0x003B },
	{ "comma", 0x002C }, { "period", 0x002E }, { "sol", 0x002F }, { "bsol", 0x005C },
	{ "plus", 0x002B }, { "equals", 0x003D }, { "lpar", 0x0028 }, { "rpar", 0x0029 },
	{ "Amacr", 0x0100 }, { "amacr", 0x0101 }, { "Ccaron", 0x010C }, { "ccaron", 0x010D },
	{ "Scaron", 0x0160 }, { "scaron", 0x0161 }, { "Zcaron", 0x017D }, { "zcaron", 0x017E },
	{ "inodot", 0x0131 }, { "ell", 0x2113 }, { "ohm", 0x2126 },
};

/* The character a DocBook character entity stands for, or 0. */
static gunichar
builtin_entity(const char *name)
{
	const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
	if (e)
		return e->value;
	for (gsize i = 0; i < G_N_ELEMENTS(extra_entities); i++)
		if (strcmp(extra_entities[i].name, name) == 0)
			return extra_entities[i].cp;
	return 0;
}

/* A built-in character entity as libxml2 takes a predefined one (&lt;): for a reference it
 * meets where the book declares none, also inside the text of an entity the book declares
 * (<!ENTITY range "1990&ndash;2000">). Made once per name, kept for the process. */
static xmlEntityPtr
builtin_entity_decl(const xmlChar *name)
{
	static GHashTable *made;
	G_LOCK_DEFINE_STATIC(made);
	xmlEntityPtr e;
	gunichar c = builtin_entity((const char *)name);
	char utf8[8];
	int n;

	if (c == 0)
		return NULL;
	G_LOCK(made);
	if (made == NULL)
		made = g_hash_table_new(g_str_hash, g_str_equal);
	e = g_hash_table_lookup(made, name);
	if (e == NULL) {
		n = g_unichar_to_utf8(c, utf8);
		e = g_new0(xmlEntity, 1);
		e->type = XML_ENTITY_DECL;
		e->name = (const xmlChar *)g_strdup((const char *)name);
		e->etype = XML_INTERNAL_PREDEFINED_ENTITY;
		e->content = (xmlChar *)g_strndup(utf8, n);
		e->length = n;
		g_hash_table_insert(made, (gpointer)e->name, e);
	}
	G_UNLOCK(made);
	return e;
}

static getEntitySAXFunc default_get_entity;

static xmlEntityPtr
sax_get_entity(void *ctx, const xmlChar *name)
{
	xmlEntityPtr e = default_get_entity(ctx, name);
	return e ? e : builtin_entity_decl(name);
}

/* ---- the reader's state ---- */

typedef enum { FR_ELEMENT, FR_ENTITY, FR_INCLUDE, FR_FALLBACK } FrameKind;

typedef struct {
	FrameKind kind;
	xmlNode *xml;     /* the element, entity or include being walked */
	xmlNode *child;   /* the next child to visit */
	OvNode *node;     /* the node made for it, or NULL (transparent) */
	OvNode *target;   /* where its children go now */
	OvNode *info_div; /* in info: the division it describes */
	const char *file; /* the source file of this subtree */
	gboolean verbatim;
	gboolean in_media;
	gboolean blocks_as_inline; /* a block met where only inlines can go: its text kept inline */
	OvLoc ref_loc;    /* entity frames: where the entity was referenced */
	const char *qa_label; /* question, answer: the label its first paragraph starts with */
	gboolean qa;          /* a question or answer (its label may be none) */
	const char *keep_id;  /* a transparent element's id: given to the first node made in it */
	OvNode *before;       /* question, answer, transparent with an id: the target's last child
	                       * when it began */
	guint owner;      /* index of the nearest frame (this one or below) with a target */
} Frame;

/* An area of an areaspec: a callout's place in the next listing by its coordinates. */
typedef struct {
	const char *id;
	const char *set_id;    /* its areaset's id, when every area of the set has its own: on the first */
	int line;              /* the line whose end takes the mark; 0: none (an anchor at the start) */
	int num;               /* the callout's number */
	OvLoc loc;
} Area;

/* What a division's own info says of it, gathered for its byline. */
typedef struct {
	GArray *people;        /* OvPerson */
	GPtrArray *notes;      /* const char *: its date, release info, edition, as written */
	gboolean dated;        /* a date is among them (one: a pubdate or a date) */
} Byline;

static void
byline_free(Byline *b)
{
	g_array_free(b->people, TRUE);
	g_ptr_array_free(b->notes, TRUE);
	g_free(b);
}

/* A callout's mark, to number once every co and area is known. */
typedef struct {
	OvNode *text;          /* the mark's text node */
	const char *refs;      /* its arearefs, or NULL */
	int place;             /* its place in its list */
} CalloutMark;

typedef struct {
	OvDoc *doc;
	OvDiags *d;
	GArray *stack;         /* Frame */
	GPtrArray *xmldocs;    /* every xmlDoc parsed, freed at the end */
	GPtrArray *incl_chain; /* real paths of the files being included, for loops */
	GHashTable *open_entities; /* the xmlEntity frames on the stack, for loops */
	GHashTable *callouts;  /* the id of a co or area -> its number */
	GArray *areas;         /* Area: an areaspec's, marked in the next listing */
	xmlNode *areas_listing; /* the listing of the areaspec's *co element that they mark */
	int areas_num;         /* the marks its areas number: that listing's co elements follow them */
	OvNode *areas_for;     /* the listing that takes them, once it is read */
	GArray *callout_marks; /* CalloutMark: numbered once the whole book is read */
	GHashTable *bylines;   /* a division -> its Byline */
	GHashTable *blocky;    /* an element -> 1: blocks somewhere inside it, 2: none (holds_blocks) */
	gsize entity_budget;   /* characters entities may still expand to */
	const char *cur_file;  /* for the libxml2 error handler */
	char *last_msg;        /* the handler's last message, to drop repeats */
	guint last_line;
	gboolean fatal;
	gboolean remarks;       /* the book's remarks are shown (the theme's [text] remarks) */
} Reader;

static OvLoc
loc_of(Reader *r, const char *file, xmlNode *xml)
{
	OvLoc loc = { file, 0, 0 };
	guint64 packed = GPOINTER_TO_SIZE(xml ? xml->_private : NULL);
	(void)r;
	if (xml == NULL)
		return loc;
	if (xml->type == XML_ELEMENT_NODE && packed) {
		loc.line = (guint)(packed >> 24);
		loc.col = (guint)(packed & 0xFFFFFF);
	} else {
		long line = xmlGetLineNo(xml);
		loc.line = line > 0 ? (guint)line : 0;
		loc.col = loc.line ? 1 : 0;
	}
	return loc;
}

/* ---- parsing one file ---- */

static startElementNsSAX2Func default_start_element;

/* Where the previous start tag began: columns are counted on from there. */
static struct {
	const xmlChar *base, *pos;
	guint64 line, col;
} col_cache;

/* Records the line and column where a start tag begins: libxml2 2.9 keeps no column in its
 * tree, and its line is where the tag ends. Called with the input at the tag's '>' or '/>'. */
static void
sax_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
		  int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
		  const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	xmlParserInputPtr in = ctxt->input;
	const xmlChar *lt, *p;
	guint64 line, col;

	default_start_element(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
			      nb_defaulted, attributes);
	if (ctxt->node == NULL || in == NULL || in->cur == NULL)
		return;
	for (lt = in->cur; lt > in->base && *lt != '<'; lt--)
		;
	if (*lt != '<') { /* the tag is no longer in the buffer: keep what libxml2 knows */
		ctxt->node->_private = GSIZE_TO_POINTER((gsize)((guint64)in->line << 24 | 1));
		return;
	}
	if (col_cache.base == in->base && col_cache.pos && col_cache.pos <= lt) {
		/* count on from the previous tag: linear in the input, even on one long line */
		line = col_cache.line;
		col = col_cache.col;
		for (p = col_cache.pos; p < lt; p++) {
			if (*p == '\n')
				line++, col = 1;
			else if ((*p & 0xC0) != 0x80)
				col++;
		}
	} else {
		line = in->line > 0 ? (guint64)in->line : 1;
		for (p = lt; p < in->cur; p++)
			if (*p == '\n')
				line--;
		col = 1;
		for (p = lt; p > in->base && p[-1] != '\n'; p--)
			if ((p[-1] & 0xC0) != 0x80)
				col++;
	}
	col_cache.base = in->base;
	col_cache.pos = lt;
	col_cache.line = line;
	col_cache.col = col;
	ctxt->node->_private = GSIZE_TO_POINTER((gsize)(line << 24 | MIN(col, 0xFFFFFF)));
}

static void
xml_error_handler(void *data, xmlErrorPtr err)
{
	Reader *r = data;
	OvLoc loc = { r->cur_file, 0, 0 };
	char *msg;

	if (err == NULL)
		return;
	{
	xmlParserCtxtPtr ctxt = err ? err->ctxt : NULL;

	if (ctxt && ctxt->inputNr > 1 && ctxt->inputTab[0]) {
		/* inside an entity's text: point at the document, not the entity */
		loc.line = (guint)ctxt->inputTab[0]->line;
		loc.col = (guint)MAX(ctxt->inputTab[0]->col, 1);
	} else if (err->line > 0) {
		loc.line = (guint)err->line;
		loc.col = err->int2 > 0 ? (guint)err->int2 : 1;
	}
	if (err->code == XML_DTD_ID_REDEFINED)
		return; /* resolve reports duplicate ids, naming both places */
	if (err->file && r->cur_file == NULL)
		loc.file = ov_intern(r->doc, err->file);
	if (err->code == XML_WAR_UNDECLARED_ENTITY && err->str1 && builtin_entity(err->str1))
		return; /* a DocBook character entity: the walk supplies it */
	msg = g_strchomp(g_strdup(err->message ? err->message : "XML error"));
	g_strdelimit(msg, "\n", ' ');
	if (r->last_msg && !strcmp(r->last_msg, msg) && r->last_line == loc.line) {
		g_free(msg); /* libxml2 repeats some messages once per entity level */
		return;
	}
	g_free(r->last_msg);
	r->last_msg = g_strdup(msg);
	r->last_line = loc.line;
	}
	if (err->message && strstr(err->message, "Excessive depth in document")) {
		/* libxml2's words name an option octavo does not offer */
		ov_error(r->d, loc, "elements nest more than %d levels deep", MAX_ELEMENT_DEPTH);
		r->fatal = TRUE;
	} else if (err->code == XML_WAR_UNDECLARED_ENTITY || err->code == XML_ERR_UNDECLARED_ENTITY) {
		ov_error(r->d, loc, "undefined entity '&%s;'", err->str1 ? err->str1 : "?");
		r->fatal = TRUE;
	} else if (err->level == XML_ERR_WARNING) {
		ov_warn(r->d, loc, "%s", msg);
	} else {
		ov_error(r->d, loc, "%s", msg);
		r->fatal = TRUE;
	}
	g_free(msg);
}

/* ---- external entities: refused, and said so where they are referenced ---- */

static Reader *parsing;                 /* the reader parse_file works for */
static xmlParserCtxtPtr parsing_ctxt;   /* and its parser (an entity's text has its own) */
static referenceSAXFunc default_reference;
static getParameterEntitySAXFunc default_get_parameter_entity;

/* Where the parser is in the file being parsed: in an entity's text, at the reference to the
 * entity in the file. */
static OvLoc
parsing_loc(void)
{
	xmlParserInputPtr in = parsing_ctxt->inputNr > 1 ? parsing_ctxt->inputTab[0] : parsing_ctxt->input;
	OvLoc loc = { parsing->cur_file, 0, 0 };
	if (in && in->line > 0) {
		loc.line = (guint)in->line;
		loc.col = (guint)MAX(in->col, 1);
	}
	return loc;
}

/* A reference to a general entity in content. An external one is never read (libxml2 loads
 * none without XML_PARSE_NOENT or DTD loading): the error is given here, while the file is
 * parsed, so that later errors that drop the file (an undefined entity) do not hide it. */
static void
sax_reference(void *ctx, const xmlChar *name)
{
	xmlParserCtxtPtr ctxt = ctx;
	xmlEntityPtr e;

	default_reference(ctx, name);
	if (parsing == NULL || parsing_ctxt == NULL)
		return;
	e = xmlGetDocEntity(ctxt->myDoc ? ctxt->myDoc : parsing_ctxt->myDoc, name);
	if (e == NULL || (e->etype != XML_EXTERNAL_GENERAL_PARSED_ENTITY && e->etype != XML_EXTERNAL_GENERAL_UNPARSED_ENTITY))
		return;
	{
		/* at the reference: the parser is just past "&name;" (in an entity's text: past
		 * the reference to that entity in the file) */
		OvLoc loc = parsing_loc();
		glong len = g_utf8_strlen((const char *)name, -1) + 2;
		if (parsing_ctxt->inputNr <= 1 && ctxt == parsing_ctxt && loc.col > (guint)len)
			loc.col -= (guint)len;
		ov_error(parsing->d, loc, "external entity '&%s;' (%s) refused: octavo reads no external entities; use xi:include",
			 (const char *)name, e->URI ? (const char *)e->URI : e->SystemID ? (const char *)e->SystemID : "?");
	}
}

/* A reference to a parameter entity in the DTD's internal subset. libxml2 skips an external
 * one without a word (it loads no DTDs): octavo refuses it, and says so at the reference. */
static xmlEntityPtr
sax_get_parameter_entity(void *ctx, const xmlChar *name)
{
	xmlEntityPtr e = default_get_parameter_entity(ctx, name);

	if (e && e->etype == XML_EXTERNAL_PARAMETER_ENTITY && parsing && parsing_ctxt) {
		OvLoc loc = parsing_loc();
		glong len = g_utf8_strlen((const char *)name, -1) + 2; /* the input is past "%name;" */
		if (parsing_ctxt->inputNr <= 1 && loc.col > (guint)len)
			loc.col -= (guint)len;
		ov_error(parsing->d, loc,
			 "external parameter entity '%%%s;' (%s) refused: octavo reads no external entities or DTDs",
			 (const char *)name, e->URI ? (const char *)e->URI : e->SystemID ? (const char *)e->SystemID : "?");
	}
	return e;
}

/* The single gate libxml2 would go through to load anything: it refuses everything. octavo
 * reads XIncludes itself and never loads DTDs or external entities. */
static const char *allowed_load; /* the one file octavo itself asks libxml2 to load (the schema) */
static xmlExternalEntityLoader default_loader;

static xmlParserInputPtr
refuse_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	if (allowed_load && url && strcmp(url, allowed_load) == 0)
		return default_loader(url, id, ctxt);
	return NULL; /* the parser reports the failed load with its position */
}

static void
reader_global_init(void)
{
	static gsize done;
	if (g_once_init_enter(&done)) {
		xmlInitParser();
		/* a global in libxml2 2.9; it refuses an element when more than this many are open */
		xmlParserMaxDepth = MAX_ELEMENT_DEPTH - 1;
		default_loader = xmlGetExternalEntityLoader();
		xmlSetExternalEntityLoader(refuse_loader);
		g_once_init_leave(&done, 1);
	}
}

/* The errno behind a GFileError, for a message that names the real cause ("Permission
 * denied", "Is a directory"), not a general "Input/output error". */
static int
file_errno(const GError *err)
{
	static const struct { GFileError code; int e; } map[] = {
		{ G_FILE_ERROR_EXIST, EEXIST }, { G_FILE_ERROR_ISDIR, EISDIR }, { G_FILE_ERROR_ACCES, EACCES },
		{ G_FILE_ERROR_NAMETOOLONG, ENAMETOOLONG }, { G_FILE_ERROR_NOENT, ENOENT },
		{ G_FILE_ERROR_NOTDIR, ENOTDIR }, { G_FILE_ERROR_NXIO, ENXIO }, { G_FILE_ERROR_NODEV, ENODEV },
		{ G_FILE_ERROR_ROFS, EROFS }, { G_FILE_ERROR_TXTBSY, ETXTBSY }, { G_FILE_ERROR_FAULT, EFAULT },
		{ G_FILE_ERROR_LOOP, ELOOP }, { G_FILE_ERROR_NOSPC, ENOSPC }, { G_FILE_ERROR_NOMEM, ENOMEM },
		{ G_FILE_ERROR_MFILE, EMFILE }, { G_FILE_ERROR_NFILE, ENFILE }, { G_FILE_ERROR_BADF, EBADF },
		{ G_FILE_ERROR_INVAL, EINVAL }, { G_FILE_ERROR_PIPE, EPIPE }, { G_FILE_ERROR_AGAIN, EAGAIN },
		{ G_FILE_ERROR_INTR, EINTR }, { G_FILE_ERROR_PERM, EPERM }, { G_FILE_ERROR_NOSYS, ENOSYS },
	};
	if (err->domain == G_FILE_ERROR)
		for (gsize i = 0; i < G_N_ELEMENTS(map); i++)
			if (map[i].code == (GFileError)err->code)
				return map[i].e;
	return EIO;
}

/* Parse one file. file is the name used in messages; real the path to open. */
static xmlDoc *
parse_file(Reader *r, const char *file, const char *real, OvLoc from)
{
	char *buf = NULL;
	gsize len = 0;
	GError *err = NULL;
	xmlParserCtxtPtr ctxt;
	xmlDoc *xd;
	struct stat st;

	if (stat(real, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > MAX_SOURCE_BYTES) {
		ov_error(r->d, from.file ? from : ov_loc(file, 0, 0), "%s is too large (%lld MB; at most %d MB)", file,
			 (long long)(st.st_size >> 20), MAX_SOURCE_BYTES >> 20);
		return NULL;
	}
	if (!g_file_get_contents(real, &buf, &len, &err)) {
		ov_error(r->d, from.file ? from : ov_loc(file, 0, 0), "cannot read %s: %s", file,
			 g_strerror(file_errno(err)));
		if (from.file == NULL)
			r->d->io_failed = TRUE;
		g_error_free(err);
		return NULL;
	}
	if (len == 0) {
		ov_error(r->d, ov_loc(file, 1, 1), "empty file: no XML document");
		g_free(buf);
		return NULL;
	}
	if (len > INT_MAX) {
		ov_error(r->d, ov_loc(file, 0, 0), "file too large (%" G_GSIZE_FORMAT " bytes)", len);
		g_free(buf);
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (default_start_element == NULL)
		default_start_element = ctxt->sax->startElementNs;
	ctxt->sax->startElementNs = sax_start_element;
	if (default_get_entity == NULL)
		default_get_entity = ctxt->sax->getEntity;
	ctxt->sax->getEntity = sax_get_entity;
	if (default_reference == NULL)
		default_reference = ctxt->sax->reference;
	ctxt->sax->reference = sax_reference;
	if (default_get_parameter_entity == NULL)
		default_get_parameter_entity = ctxt->sax->getParameterEntity;
	ctxt->sax->getParameterEntity = sax_get_parameter_entity;
	parsing = r;
	parsing_ctxt = ctxt;
	r->cur_file = file;
	r->fatal = FALSE;
	memset(&col_cache, 0, sizeof col_cache);
	xmlSetStructuredErrorFunc(r, xml_error_handler);
	xd = xmlCtxtReadMemory(ctxt, buf, (int)len, file, NULL, PARSE_OPTIONS);
	xmlSetStructuredErrorFunc(NULL, NULL);
	parsing = NULL;
	parsing_ctxt = NULL;
	r->cur_file = NULL;
	xmlFreeParserCtxt(ctxt);
	g_free(buf);
	if (xd && r->fatal) {
		xmlFreeDoc(xd);
		xd = NULL;
	}
	if (xd == NULL && !r->fatal)
		ov_error(r->d, ov_loc(file, 0, 0), "not a well-formed XML document");
	if (xd)
		g_ptr_array_add(r->xmldocs, xd);
	return xd;
}

/* ---- attribute helpers ---- */

static const char *
attr(Reader *r, xmlNode *xml, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(xml, (const xmlChar *)name);
	const char *s;
	if (v == NULL)
		return NULL;
	s = ov_strdup(r->doc, (const char *)v);
	xmlFree(v);
	return s;
}

static const char *
attr_ns(Reader *r, xmlNode *xml, const char *name, const char *ns)
{
	xmlChar *v = xmlGetNsProp(xml, (const xmlChar *)name, (const xmlChar *)ns);
	const char *s;
	if (v == NULL)
		return NULL;
	s = ov_strdup(r->doc, (const char *)v);
	xmlFree(v);
	return s;
}

static const char *
attr_id(Reader *r, xmlNode *xml)
{
	const char *id = attr_ns(r, xml, "id", (const char *)XML_XML_NAMESPACE);
	return id ? id : attr(r, xml, "id");
}

static const char *
attr_lang(Reader *r, xmlNode *xml)
{
	const char *l = attr_ns(r, xml, "lang", (const char *)XML_XML_NAMESPACE);
	return l ? l : attr(r, xml, "lang");
}

static const char *
name_of(xmlNode *xml)
{
	return (const char *)xml->name;
}

static gboolean
is_docbook(xmlNode *xml)
{
	return xml->ns == NULL || strcmp((const char *)xml->ns->href, DB5_NS) == 0;
}

static gboolean
is_xinclude(xmlNode *xml, const char *local)
{
	return xml->ns && (strcmp((const char *)xml->ns->href, XI_NS) == 0 ||
			   strcmp((const char *)xml->ns->href, XI_NS_OLD) == 0) &&
	       strcmp((const char *)xml->name, local) == 0;
}

static gboolean
is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static gboolean
is_space(const char *s, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (!is_xml_space(s[i]))
			return FALSE;
	return TRUE;
}

/* The text of an element's subtree (entities expanded within the budget), for metadata. */
static Frame *top(Reader *r);

/* A quotation's marks in plain text, by its language and depth (as both back ends set them). */
static void
xml_quote_mark(xmlNode *q, int depth, gboolean open, GString *out)
{
	xmlChar *lang = xmlNodeGetLang(q);
	const char *o, *c;
	ov_gentext_quotes((const char *)lang, depth, &o, &c);
	g_string_append(out, open ? o : c);
	xmlFree(lang);
}

/* The closing of quotation q, or the end of trademark q, on xml_text's stack: its address
 * with the low bit set, or the next. */
#define QUOTE_END(q) ((gpointer)((guintptr)(q) | 1))
#define TRADEMARK_END(q) ((gpointer)((guintptr)(q) | 2))

static const char *trademark_sign_of(const char *cls);

static void
xml_text(Reader *r, xmlNode *xml, GString *out)
{
	GPtrArray *pending = g_ptr_array_new();
	int quotes = 0;
	g_ptr_array_add(pending, xml->children);
	while (pending->len) {
		xmlNode *n = g_ptr_array_steal_index(pending, pending->len - 1);
		if (n == NULL)
			continue;
		if ((guintptr)n & 1) {
			xml_quote_mark((xmlNode *)((guintptr)n & ~(guintptr)1), --quotes, FALSE, out);
			continue;
		}
		if ((guintptr)n & 2) {
			xmlChar *cls = xmlGetProp((xmlNode *)((guintptr)n & ~(guintptr)2), (const xmlChar *)"class");
			g_string_append(out, trademark_sign_of((const char *)cls));
			xmlFree(cls);
			continue;
		}
		g_ptr_array_add(pending, n->next);
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "quote")) {
			xml_quote_mark(n, quotes++, TRUE, out);
			g_ptr_array_add(pending, QUOTE_END(n));
			g_ptr_array_add(pending, n->children);
		} else if (n->type == XML_ELEMENT_NODE && (!strcmp((const char *)n->name, "trademark") ||
							   (!strcmp((const char *)n->name, "productname") &&
							    xmlHasProp(n, (const xmlChar *)"class")))) {
			g_ptr_array_add(pending, TRADEMARK_END(n));
			g_ptr_array_add(pending, n->children);
		} else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			g_string_append(out, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE && (!strcmp((const char *)n->name, "footnote") ||
							   !strcmp((const char *)n->name, "indexterm"))) {
			/* plain metadata text (a name, a date) has no place for a note: said, not glued on */
			if (n->name[0] == 'f')
				ov_warn(r->d, loc_of(r, top(r)->file, n), "a footnote in <%s> is not shown (metadata is plain text)",
					(const char *)xml->name);
		} else if (n->type == XML_ELEMENT_NODE) {
			if (out->len && n->prev && n->prev->type == XML_ELEMENT_NODE)
				g_string_append_c(out, ' ');
			g_ptr_array_add(pending, n->children);
		} else if (n->type == XML_ENTITY_REF_NODE) {
			xmlEntity *e = xmlGetDocEntity(n->doc, n->name);
			gunichar c = e ? 0 : builtin_entity((const char *)n->name);
			if (c)
				g_string_append_unichar(out, c);
			else if (e && e->etype == XML_INTERNAL_GENERAL_ENTITY && e->content &&
				 strlen((const char *)e->content) < r->entity_budget) {
				r->entity_budget -= strlen((const char *)e->content);
				if (e->children) /* as parsed: its markup and the entities in it */
					g_ptr_array_add(pending, e->children);
				else
					g_string_append(out, (const char *)e->content);
			}
		}
	}
	g_ptr_array_free(pending, TRUE);
}

/* Collapsed plain text of an element, in the arena; NULL when empty. */
static const char *
xml_plain(Reader *r, xmlNode *xml)
{
	GString *s = g_string_new(NULL);
	GString *o = g_string_new(NULL);
	const char *res = NULL;
	gboolean space = FALSE;

	xml_text(r, xml, s);
	for (gsize i = 0; i < s->len; i++) {
		char c = s->str[i];
		if (is_xml_space(c)) {
			space = o->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(o, ' ');
		space = FALSE;
		g_string_append_c(o, c);
	}
	if (o->len)
		res = ov_strndup(r->doc, o->str, o->len);
	g_string_free(s, TRUE);
	g_string_free(o, TRUE);
	return res;
}

/* ---- placing nodes ---- */

static Frame *
top(Reader *r)
{
	return &g_array_index(r->stack, Frame, r->stack->len - 1);
}

/* The frame that owns the insertion point for new children (O(1): push records it, so a
 * long run of transparent frames costs nothing per lookup). */
static Frame *
owner(Reader *r)
{
	if (r->stack->len == 0)
		return NULL;
	return &g_array_index(r->stack, Frame, top(r)->owner);
}

static gboolean
target_takes_blocks(OvNode *t)
{
	return ov_type_info[t->type].content == OV_CONTENT_BLOCKS;
}

/* Put an inline node (or text) where the current frame's children go; wraps loose inlines
 * that reach a block container in an implicit para. */
static void
place_inline(Reader *r, OvNode *n)
{
	Frame *f = owner(r);
	OvNode *t = f->target;

	if (target_takes_blocks(t)) {
		OvNode *p = t->last;
		if (p == NULL || p->type != OV_PARA || !(p->flags & OV_F_IMPLICIT)) {
			p = ov_node_new(r->doc, OV_PARA, n->loc);
			p->flags |= OV_F_IMPLICIT;
			ov_node_append(t, p);
		}
		t = p;
	}
	ov_node_append(t, n);
}

/* Put a block node. A block inside a para splits the para: the block follows it, and the
 * para's remaining inlines go to a continuation para. */
static gboolean
place_block(Reader *r, OvNode *n)
{
	Frame *f = owner(r);
	OvNode *t = f->target;

	if (target_takes_blocks(t)) {
		ov_node_append(t, n);
		return TRUE;
	}
	if (f->node && f->target->type == OV_PARA && f->node->parent &&
	    target_takes_blocks(f->target->parent)) {
		OvNode *cont;
		ov_node_append(f->target->parent, n);
		cont = ov_node_new(r->doc, OV_PARA, n->loc);
		cont->flags |= OV_F_IMPLICIT | OV_F_CONTINUED;
		cont->lang = f->target->lang;
		cont->role = f->target->role;
		ov_node_insert_after(n, cont);
		f->target = cont;
		return TRUE;
	}
	return FALSE;
}

/* Put a node that may stand among blocks or words (an anchor, an index term): in a run of
 * loose words it goes on in it ("a <anchor/>b" in a table cell stays one paragraph). */
static void
place_any(Reader *r, OvNode *n)
{
	Frame *f = owner(r);
	OvNode *last = f->target->last;
	if (target_takes_blocks(f->target) && last && last->type == OV_PARA && (last->flags & OV_F_IMPLICIT))
		ov_node_append(last, n);
	else
		ov_node_append(f->target, n);
}

static void
add_text(Reader *r, const char *file, xmlNode *at, const char *s, gsize n)
{
	Frame *f = owner(r);
	OvNode *t;

	if (n == 0)
		return;
	if (!f->verbatim && target_takes_blocks(f->target) && is_space(s, n)) {
		OvNode *last = f->target->last;
		if (last == NULL || last->type != OV_PARA || !(last->flags & OV_F_IMPLICIT))
			return; /* indentation between blocks */
	}
	t = ov_node_new(r->doc, OV_TEXT, loc_of(r, file, at));
	t->text = ov_strndup(r->doc, s, n);
	place_inline(r, t);
}

/* ---- entering elements ---- */

static void
push(Reader *r, Frame fr)
{
	Frame *parent = r->stack->len ? top(r) : NULL;
	if (parent) {
		if (fr.file == NULL)
			fr.file = parent->file;
		fr.verbatim = fr.verbatim || parent->verbatim;
		fr.in_media = fr.in_media || parent->in_media;
		fr.blocks_as_inline = fr.blocks_as_inline || parent->blocks_as_inline;
	}
	if (fr.xml)
		fr.child = fr.kind == FR_ENTITY ? ((xmlEntity *)fr.xml)->children : fr.xml->children;
	fr.owner = fr.target || parent == NULL ? r->stack->len : parent->owner;
	if (fr.kind == FR_ENTITY)
		g_hash_table_add(r->open_entities, fr.xml);
	g_array_append_val(r->stack, fr);
}

static void
read_common_attrs(Reader *r, xmlNode *xml, OvNode *n)
{
	n->id = attr_id(r, xml);
	n->lang = attr_lang(r, xml);
	n->role = attr(r, xml, "role");
	n->xreflabel = attr(r, xml, "xreflabel");
	switch (n->type) {
	case OV_PART: case OV_CHAPTER: case OV_APPENDIX: case OV_SECTION: case OV_FIGURE: case OV_TABLE:
	case OV_FOOTNOTE: {
		/* label="A": the number shown, in place of the counted one ("" shows none) */
		xmlChar *v = xmlGetNoNsProp(xml, (const xmlChar *)"label");
		if (v) {
			char *label = g_strstrip(g_strdup((const char *)v));
			n->flags |= OV_F_LABELLED;
			n->label = *label ? ov_strdup(r->doc, label) : NULL;
			g_free(label);
			xmlFree(v);
		}
		break;
	}
	default:
		break;
	}
}

static OvNumeration
parse_numeration(const char *s)
{
	if (s == NULL)
		return OV_NUM_ARABIC;
	if (strcmp(s, "loweralpha") == 0)
		return OV_NUM_LOWERALPHA;
	if (strcmp(s, "upperalpha") == 0)
		return OV_NUM_UPPERALPHA;
	if (strcmp(s, "lowerroman") == 0)
		return OV_NUM_LOWERROMAN;
	if (strcmp(s, "upperroman") == 0)
		return OV_NUM_UPPERROMAN;
	return OV_NUM_ARABIC;
}

/* An ordered list's numeration: as written, else the one after its nearest ordered list's
 * (1., a., i., A., I., then 1. again), as DocBook's stylesheets number lists in lists, and a
 * procedure's substeps. */
static OvNumeration
numeration_of(Reader *r, xmlNode *xml)
{
	static const OvNumeration next[] = { [OV_NUM_ARABIC] = OV_NUM_LOWERALPHA, [OV_NUM_LOWERALPHA] = OV_NUM_LOWERROMAN,
					     [OV_NUM_LOWERROMAN] = OV_NUM_UPPERALPHA, [OV_NUM_UPPERALPHA] = OV_NUM_UPPERROMAN,
					     [OV_NUM_UPPERROMAN] = OV_NUM_ARABIC };
	const char *s = attr(r, xml, "numeration");

	if (s)
		return parse_numeration(s);
	for (guint i = r->stack->len; i-- > 0;) {
		const OvNode *n = g_array_index(r->stack, Frame, i).node;
		if (n && n->type == OV_ORDEREDLIST)
			return next[n->u.list.numeration];
	}
	return OV_NUM_ARABIC;
}

static int
parse_int(Reader *r, OvLoc loc, const char *what, const char *s, int dflt, int min, int max)
{
	gint64 v;
	char *end;
	if (s == NULL)
		return dflt;
	v = g_ascii_strtoll(s, &end, 10);
	if (end == s || *end || v < min || v > max) {
		ov_warn(r->d, loc, "%s=\"%s\" is not a number from %d to %d; %d used", what, s, min, max, dflt);
		return dflt;
	}
	return (int)v;
}

static void read_spanname(Reader *r, xmlNode *xml, OvNode *cell);

/* Has a qandaset or qandadiv a title (its own or its info's)? */
static gboolean
qanda_titled(const xmlNode *q)
{
	for (const xmlNode *c = q->children; c; c = c->next) {
		const char *nm = (const char *)c->name;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp(nm, "title"))
			return TRUE;
		if (!strcmp(nm, "info") || !strcmp(nm, "blockinfo"))
			for (const xmlNode *t = c->children; t; t = t->next)
				if (t->type == XML_ELEMENT_NODE && !strcmp((const char *)t->name, "title"))
					return TRUE;
	}
	return FALSE;
}

static void
read_node_attrs(Reader *r, xmlNode *xml, OvNode *n, const ElemSpec *sp)
{
	const char *name = (const char *)xml->name;

	switch (n->type) {
	case OV_ORDEREDLIST:
		n->u.list.numeration = numeration_of(r, xml);
		n->u.list.start = parse_int(r, n->loc, "startingnumber", attr(r, xml, "startingnumber"), 1, -1000000, 1000000);
		n->u.list.continuation = g_strcmp0(attr(r, xml, "continuation"), "continues") == 0;
		n->u.list.inherit = g_strcmp0(attr(r, xml, "inheritnum"), "inherit") == 0;
		if (g_strcmp0(attr(r, xml, "spacing"), "compact") == 0)
			n->flags |= OV_F_COMPACT;
		break;
	case OV_ITEMIZEDLIST:
		n->u.list.mark = attr(r, xml, "mark");
		if (g_strcmp0(attr(r, xml, "spacing"), "compact") == 0)
			n->flags |= OV_F_COMPACT;
		break;
	case OV_LISTITEM:
		n->u.item.override = parse_int(r, n->loc, "override", attr(r, xml, "override"), -1, -1000000, 1000000);
		break;
	case OV_ADMONITION:
		n->u.adm.kind = sp->sub;
		break;
	case OV_VERBATIM:
		n->u.verb.kind = sp->sub;
		n->u.verb.language = attr(r, xml, "language");
		if (sp->sub == OV_VERB_LITERAL && g_strcmp0(attr(r, xml, "class"), "monospaced") == 0)
			n->u.verb.kind = OV_VERB_LITERAL_MONO;
		if (g_strcmp0(attr(r, xml, "linenumbering"), "numbered") == 0)
			n->flags |= OV_F_LINENUMBERS;
		break;
	case OV_EMPHASIS: {
		const char *role = n->role;
		n->u.em.style = OV_STYLE_ITALIC;
		if (role && (!strcmp(role, "bold") || !strcmp(role, "strong")))
			n->u.em.style = OV_STYLE_BOLD;
		else if (role && (!strcmp(role, "strikethrough") || !strcmp(role, "strike") ||
				  !strcmp(role, "del")))
			n->u.em.style = OV_STYLE_STRIKE;
		else if (role && !strcmp(role, "underline"))
			n->u.em.style = OV_STYLE_UNDERLINE;
		break;
	}
	case OV_CODE:
	case OV_PHRASE:
		n->u.em.style = sp ? sp->sub : 0;
		if (n->role && !strcmp(n->role, "smallcaps"))
			n->u.em.style |= OV_STYLE_SMALLCAPS;
		break;
	case OV_LINK:
		n->u.link.href = attr_ns(r, xml, "href", XLINK_NS);
		n->u.link.linkend = attr(r, xml, "linkend");
		if (!strcmp(name, "ulink"))
			n->u.link.href = attr(r, xml, "url");
		if (sp && sp->sub)
			n->u.em.style = 0; /* email: shown as written */
		if (!strcmp(name, "email") || !strcmp(name, "uri"))
			n->flags |= OV_F_EXTERNAL;
		break;
	case OV_XREF:
		n->u.link.linkend = attr(r, xml, "linkend");
		n->u.link.xrefstyle = attr(r, xml, "xrefstyle");
		n->u.link.endterm = attr(r, xml, "endterm");
		if (n->u.link.linkend == NULL) {
			n->u.link.linkend = attr_ns(r, xml, "href", XLINK_NS);
			if (n->u.link.linkend && n->u.link.linkend[0] == '#')
				n->u.link.linkend++;
		}
		break;
	case OV_FOOTNOTEREF:
		n->u.link.linkend = attr(r, xml, "linkend");
		break;
	case OV_BRIDGEHEAD:
		n->u.div.renderas = attr(r, xml, "renderas");
		if (!strcmp(name, "title")) /* a qandaset's or qandadiv's title: 1 + the titled ones around it */
			for (xmlNode *a = xml->parent; a && a->type == XML_ELEMENT_NODE; a = a->parent)
				if ((!strcmp((const char *)a->name, "qandaset") || !strcmp((const char *)a->name, "qandadiv")) &&
				    (n->u.div.level == 0 || qanda_titled(a)))
					n->u.div.level++;
		break;
	case OV_SECTION:
		if (name[0] == 's' && name[1] == 'e' && name[2] == 'c' && name[3] == 't' && name[4] >= '1' && name[4] <= '5')
			n->u.div.level = name[4] - '0';
		break;
	case OV_CELL: {
		const char *cs = attr(r, xml, "colspan"), *rs = attr(r, xml, "rowspan");
		const char *mr = attr(r, xml, "morerows");
		n->u.cell.align = attr(r, xml, "align");
		n->u.cell.valign = attr(r, xml, "valign");
		n->u.cell.colspan = parse_int(r, n->loc, "colspan", cs, 1, 1, 10000);
		n->u.cell.rowspan = mr ? 1 + parse_int(r, n->loc, "morerows", mr, 0, 0, 1000000)
				       : parse_int(r, n->loc, "rowspan", rs, 1, 1, 1000000);
		if (!strcmp(name, "th"))
			n->flags |= OV_F_HEADER;
		n->u.cell.scope = attr(r, xml, "scope");
		n->u.cell.namest = attr(r, xml, "namest");
		n->u.cell.nameend = attr(r, xml, "nameend");
		n->u.cell.colname = attr(r, xml, "colname");
		read_spanname(r, xml, n);
		break;
	}
	default:
		break;
	}
}

/* ---- CALS tables: column specs and cell positions ---- */

static void
read_tgroup(Reader *r, xmlNode *tg, OvNode *table, const char *file)
{
	const char *cols = attr(r, tg, "cols");
	const char *rowheader = attr(r, tg, "rowheader");
	int ncols = 0, next = 1, max = 0;
	double *w;
	const char **al;

	/* rowheader="firstcol" (the tgroup's, else its table's): the first cell of each row below
	 * the head heads its row. The table carries OV_F_HEADER until finish_table applies it. */
	if (rowheader == NULL && tg->parent && tg->parent->type == XML_ELEMENT_NODE && strcmp((const char *)tg->name, "entrytbl"))
		rowheader = attr(r, tg->parent, "rowheader");
	if (g_strcmp0(rowheader, "firstcol") == 0)
		table->flags |= OV_F_HEADER;

	if (cols) {
		char *end;
		gint64 v = g_ascii_strtoll(cols, &end, 10);
		if (end != cols && *end == '\0' && v >= 1 && v <= 1000)
			ncols = (int)v;
		else
			ov_warn(r->d, loc_of(r, file, tg), "cols=\"%s\" is not a number from 1 to 1000: the colspecs give the columns", cols);
	}
	for (xmlNode *c = tg->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "colspec")) {
			int num = parse_int(r, loc_of(r, file, c), "colnum", attr(r, c, "colnum"), next, 1, 1000);
			next = num + 1;
			max = MAX(max, num);
		}
	if (ncols == 0)
		ncols = max > 0 ? max : 1;
	if (max > ncols)
		ov_error(r->d, loc_of(r, file, tg), "colspec for column %d but the table has %d columns", max, ncols);
	table->u.table.ncols = ncols;
	w = ov_alloc(r->doc, sizeof(double) * ncols);
	al = ov_alloc(r->doc, sizeof(char *) * ncols);
	table->u.table.colwidth = w;
	table->u.table.colalign = al;
	table->u.table.colname = ov_alloc(r->doc, sizeof(char *) * ncols);
	next = 1;
	for (xmlNode *c = tg->children; c; c = c->next) {
		int num;
		const char *cw, *nm;
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "colspec"))
			continue;
		num = parse_int(r, loc_of(r, file, c), "colnum", attr(r, c, "colnum"), next, 1, 1000);
		next = num + 1;
		if (num > ncols)
			continue;
		cw = attr(r, c, "colwidth");
		if (cw) {
			char *end;
			double v = g_ascii_strtod(cw, &end);
			/* "2*" is proportional; a fixed width (e.g. "3cm") is kept as its number and
			 * marked negative so back ends can tell them apart. */
			if (end != cw && v > 0 && v < 1e6)
				w[num - 1] = *end == '*' ? v : -v;
			else
				ov_warn(r->d, loc_of(r, file, c), "colwidth \"%s\" not understood", cw);
		}
		al[num - 1] = attr(r, c, "align");
		nm = attr(r, c, "colname");
		if (nm)
			table->u.table.colname[num - 1] = nm;
	}
}

/* spanname="x" names a spanspec of the enclosing tgroup: it gives namest and nameend. */
static void
read_spanname(Reader *r, xmlNode *xml, OvNode *cell)
{
	const char *span = attr(r, xml, "spanname");
	xmlNode *tg = xml->parent;

	if (span == NULL)
		return;
	while (tg && !(tg->type == XML_ELEMENT_NODE && !strcmp((const char *)tg->name, "tgroup")))
		tg = tg->parent;
	for (xmlNode *c = tg ? tg->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "spanspec") &&
		    g_strcmp0(attr(r, c, "spanname"), span) == 0) {
			cell->u.cell.namest = attr(r, c, "namest");
			cell->u.cell.nameend = attr(r, c, "nameend");
			return;
		}
	ov_error(r->d, cell->loc, "spanname \"%s\" names no spanspec of this table", span);
}

static int
col_by_name(const OvNode *table, const char *name)
{
	for (int i = 0; i < table->u.table.ncols; i++)
		if (g_strcmp0(table->u.table.colname[i], name) == 0)
			return i;
	return -1;
}

/* Give every cell its column, from names, spans and the rows cells above reach into. */
static void
finish_table(Reader *r, OvNode *table)
{
	gboolean cals = table->u.table.ncols > 0;
	gboolean rowheads = (table->flags & OV_F_HEADER) != 0; /* rowheader="firstcol" (read_tgroup) */
	int width = table->u.table.ncols;

	table->flags &= ~OV_F_HEADER;

	for (OvNode *sec = table->first; sec; sec = sec->next) {
		GArray *busy;
		if (sec->type != OV_THEAD && sec->type != OV_TBODY && sec->type != OV_TFOOT)
			continue;
		busy = g_array_new(FALSE, TRUE, sizeof(int));
		for (OvNode *row = sec->first; row; row = row->next) {
			int col = 0;
			if (row->type != OV_ROW)
				continue;
			for (OvNode *cell = row->first; cell; cell = cell->next) {
				int span = cell->u.cell.colspan;
				if (cell->type != OV_CELL)
					continue;
				if (sec->type == OV_THEAD)
					cell->flags |= OV_F_HEADER;
				if (cals && (cell->u.cell.namest || cell->u.cell.colname)) {
					const char *nm = cell->u.cell.namest ? cell->u.cell.namest : cell->u.cell.colname;
					int c = col_by_name(table, nm);
					if (c < 0)
						ov_error(r->d, cell->loc, "no colspec is named \"%s\"", nm);
					else
						col = c;
					if (cell->u.cell.nameend) {
						int e = col_by_name(table, cell->u.cell.nameend);
						if (e < 0)
							ov_error(r->d, cell->loc, "no colspec is named \"%s\"", cell->u.cell.nameend);
						else if (e < col)
							ov_error(r->d, cell->loc, "nameend \"%s\" comes before namest \"%s\"",
								 cell->u.cell.nameend, nm);
						else
							span = e - col + 1;
					}
				}
				while ((guint)col < busy->len && g_array_index(busy, int, col) > 0)
					col++;
				if (cals && col + span > width) {
					ov_error(r->d, cell->loc, "entry reaches column %d but the table has %d columns",
						 col + span, width);
					span = MAX(1, width - col);
					if (col >= width)
						col = width - 1, span = 1;
				}
				cell->u.cell.col = col;
				cell->u.cell.colspan = span;
				if (rowheads && col == 0 && sec->type != OV_THEAD) {
					cell->flags |= OV_F_HEADER;
					if (cell->u.cell.scope == NULL)
						cell->u.cell.scope = "row";
				}
				if ((guint)(col + span) > busy->len)
					g_array_set_size(busy, col + span);
				for (int i = col; i < col + span; i++)
					g_array_index(busy, int, i) = MAX(g_array_index(busy, int, i), cell->u.cell.rowspan);
				col += span;
				if (!cals)
					width = MAX(width, col);
			}
			for (guint i = 0; i < busy->len; i++)
				if (g_array_index(busy, int, i) > 0)
					g_array_index(busy, int, i)--;
		}
		for (guint i = 0; i < busy->len; i++)
			if (g_array_index(busy, int, i) > 0) {
				ov_error(r->d, sec->last ? sec->last->loc : sec->loc,
					 "a cell spans %d row(s) past the end of its table part", g_array_index(busy, int, i));
				break;
			}
		g_array_free(busy, TRUE);
	}
	if (!cals) {
		table->u.table.ncols = MAX(width, 1);
		table->u.table.colwidth = ov_alloc(r->doc, sizeof(double) * table->u.table.ncols);
		table->u.table.colalign = ov_alloc(r->doc, sizeof(char *) * table->u.table.ncols);
		table->u.table.colname = ov_alloc(r->doc, sizeof(char *) * table->u.table.ncols);
	}
}

/* ---- index terms, images, metadata: read whole ---- */

/* The first child element of xml called name, or NULL. */
static xmlNode *
child_element(xmlNode *xml, const char *name)
{
	for (xmlNode *c = xml->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

static const char *
child_plain(Reader *r, xmlNode *xml, const char *name)
{
	xmlNode *c = child_element(xml, name);
	return c ? xml_plain(r, c) : NULL;
}

/* A child of an index term that is none of its parts (a misspelt <secondry>, an attribute
 * written as an element, <significance>): the index has no place for it, so it is dropped, and
 * said where it stands with the words that go with it (the schema's own complaint is hidden
 * for unknown elements, as the reader warns of them). */
static void
indexterm_stray(Reader *r, xmlNode *c, const char *file)
{
	const char *prefix = c->ns && c->ns->prefix ? (const char *)c->ns->prefix : NULL;
	const char *words = xml_plain(r, c);
	gboolean known = is_docbook(c) && spec_lookup((const char *)c->name) != NULL;
	char *what = g_strdup_printf("%s<%s%s%s> %s <indexterm>", known ? "" : "unknown element ", prefix ? prefix : "",
				     prefix ? ":" : "", (const char *)c->name, known ? "is no part of an" : "in");

	if (words)
		ov_warn(r->d, loc_of(r, file, c), "%s (dropped, and its words \"%s\")", what, words);
	else
		ov_warn(r->d, loc_of(r, file, c), "%s (dropped)", what);
	g_free(what);
}

static void
read_indexterm(Reader *r, xmlNode *xml, const char *file)
{
	OvNode *n = ov_node_new(r->doc, OV_INDEXTERM, loc_of(r, file, xml));
	const char *cls = attr(r, xml, "class");
	GPtrArray *also = g_ptr_array_new();

	read_common_attrs(r, xml, n);
	n->tag = ov_intern(r->doc, "indexterm");
	n->u.idx.primary = child_plain(r, xml, "primary");
	n->u.idx.secondary = child_plain(r, xml, "secondary");
	n->u.idx.tertiary = child_plain(r, xml, "tertiary");
	n->u.idx.see = child_plain(r, xml, "see");
	n->u.idx.startref = attr(r, xml, "startref");
	n->u.idx.zone = attr(r, xml, "zone");
	for (xmlNode *c = xml->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "primary")) {
			const char *s = attr(r, c, "sortas");
			n->u.idx.sortas = s && !is_space(s, strlen(s)) ? s : NULL; /* an empty one: by the term */
		}
		else if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "seealso")) {
			const char *s = xml_plain(r, c);
			if (s)
				g_ptr_array_add(also, (gpointer)s);
		} else if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "secondary") != 0 &&
			   strcmp((const char *)c->name, "tertiary") != 0 && strcmp((const char *)c->name, "see") != 0)
			indexterm_stray(r, c, file);
	if (also->len) {
		const char **v = ov_alloc(r->doc, sizeof(char *) * (also->len + 1));
		memcpy(v, also->pdata, sizeof(char *) * also->len);
		n->u.idx.seealso = v;
	}
	g_ptr_array_free(also, TRUE);
	if (g_strcmp0(cls, "startofrange") == 0)
		n->u.idx.range = OV_RANGE_START;
	else if (g_strcmp0(cls, "endofrange") == 0)
		n->u.idx.range = OV_RANGE_END;
	if (g_strcmp0(attr(r, xml, "significance"), "preferred") == 0)
		n->flags |= OV_F_PREFERRED;
	if (n->u.idx.primary == NULL && n->u.idx.range != OV_RANGE_END)
		ov_error(r->d, n->loc, "indexterm without a primary term");
	place_any(r, n);
}

static void
read_imagedata(Reader *r, xmlNode *xml, const char *file)
{
	OvNode *n = ov_node_new(r->doc, OV_IMAGE, loc_of(r, file, xml));
	read_common_attrs(r, xml, n);
	/* an imageobject's role says which output it is for (role="fo", role="html") */
	if (n->role == NULL && xml->parent && xml->parent->type == XML_ELEMENT_NODE &&
	    !strcmp(name_of(xml->parent), "imageobject"))
		n->role = attr(r, xml->parent, "role");
	n->tag = ov_intern(r->doc, (const char *)xml->name);
	n->u.img.fileref = attr(r, xml, "fileref");
	n->u.img.format = attr(r, xml, "format");
	n->u.img.width = attr(r, xml, "width");
	n->u.img.depth = attr(r, xml, "depth");
	n->u.img.contentwidth = attr(r, xml, "contentwidth");
	n->u.img.contentdepth = attr(r, xml, "contentdepth");
	n->u.img.scale = attr(r, xml, "scale");
	n->u.img.align = attr(r, xml, "align");
	if (n->u.img.fileref == NULL) {
		if (attr(r, xml, "entityref"))
			ov_error(r->d, n->loc, "%s entityref is not supported: use fileref", n->tag);
		else
			ov_error(r->d, n->loc, "%s without fileref", n->tag);
	}
	place_any(r, n);
}

static OvNode *text_node(Reader *r, OvLoc loc, const char *text);

/* textobject/alt: the alt text of the images of the enclosing media object, kept on the media
 * node until its end (finish_media), since images may come before or after it. */
static void
read_alt(Reader *r, xmlNode *xml)
{
	OvNode *media = owner(r)->target;
	const char *alt;

	if (media->type != OV_MEDIAOBJECT && media->type != OV_INLINEMEDIA) {
		/* an equation's alt (or one astray) with nothing shown beside it: its words stand there */
		static const char *const shown[] = { "mathphrase", "mediaobject", "inlinemediaobject", "graphic", "inlinegraphic" };
		for (xmlNode *c = xml->parent ? xml->parent->children : NULL; c; c = c->next)
			for (gsize i = 0; c->type == XML_ELEMENT_NODE && i < G_N_ELEMENTS(shown); i++)
				if (!strcmp((const char *)c->name, shown[i]))
					return;
		if ((alt = xml_plain(r, xml)) != NULL) {
			OvNode *t = text_node(r, loc_of(r, top(r)->file, xml), alt);
			if (ov_type_info[media->type].content == OV_CONTENT_BLOCKS) {
				OvNode *p = ov_node_new(r->doc, OV_PARA, t->loc);
				p->flags |= OV_F_IMPLICIT;
				ov_node_append(p, t);
				t = p;
			}
			ov_node_append(media, t);
		}
		return;
	}
	alt = xml_plain(r, xml);
	if (alt && media->u.img.alt == NULL)
		media->u.img.alt = alt;
}

static void
finish_media(Reader *r, OvNode *media)
{
	gboolean image = FALSE;
	for (OvNode *c = media->first; c; c = c->next)
		if (c->type == OV_IMAGE) {
			image = TRUE;
			if (c->u.img.alt == NULL)
				c->u.img.alt = media->u.img.alt;
		}
	if (!image && media->u.img.alt && media->type == OV_MEDIAOBJECT && media->parent)
		/* its caption (it has nothing else but images and text objects) goes after its text */
		for (OvNode *after = media; media->first;) {
			OvNode *c = media->first;
			ov_node_unlink(c);
			ov_node_insert_after(after, c);
			after = c;
		}
	if (!image && media->u.img.alt && media->first == NULL) {
		/* no image, only its text: the text stands in its place (as DocBook's stylesheets
		 * show a text object when no image object is usable) */
		OvNode *t = ov_node_new(r->doc, OV_TEXT, media->loc);
		t->text = media->u.img.alt;
		media->type = media->type == OV_INLINEMEDIA ? OV_PHRASE : OV_PARA;
		memset(&media->u, 0, sizeof media->u);
		ov_node_append(media, t);
	}
}

/* Is xml a part of a person the title pages show apart from the name (or not at all)? */
static gboolean
is_person_detail(xmlNode *xml)
{
	static const char *const details[] = { "affiliation", "email", "address", "contrib", "personblurb", "uri",
					       "authorinitials", "authorblurb" };
	for (gsize i = 0; i < G_N_ELEMENTS(details); i++)
		if (!strcmp((const char *)xml->name, details[i]))
			return TRUE;
	return FALSE;
}

/* A person's name: personname, or firstname/surname, or orgname, or plain text. */
static const char *
person_name(Reader *r, xmlNode *xml)
{
	static const char *const parts[] = { "honorific", "firstname", "givenname", "othername", "surname", "lineage" };
	GString *s = g_string_new(NULL);
	const char *res;
	gboolean details = FALSE;

	for (gboolean deeper = TRUE; deeper;) { /* the name inside, at any depth (a loop) */
		deeper = FALSE;
		for (xmlNode *c = xml->children; c && !deeper; c = c->next)
			if (c->type == XML_ELEMENT_NODE && (!strcmp((const char *)c->name, "personname") ||
							    !strcmp((const char *)c->name, "orgname"))) {
				xml = c;
				deeper = TRUE;
			}
	}
	for (gsize i = 0; i < G_N_ELEMENTS(parts); i++) {
		const char *p = child_plain(r, xml, parts[i]);
		if (p) {
			if (s->len)
				g_string_append_c(s, ' ');
			g_string_append(s, p);
		}
	}
	for (xmlNode *c = xml->children; c && !details; c = c->next)
		details = c->type == XML_ELEMENT_NODE && is_person_detail(c);
	if (s->len == 0 && !details) {
		g_string_free(s, TRUE);
		return xml_plain(r, xml);
	}
	if (s->len == 0) /* the text itself, without what the title pages show apart */
		for (xmlNode *c = xml->children; c; c = c->next) {
			const char *p = NULL;
			if (c->type == XML_ELEMENT_NODE && !is_person_detail(c))
				p = xml_plain(r, c);
			else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
				char *t = g_strstrip(g_strdup((const char *)c->content));
				p = *t ? ov_strndup(r->doc, t, strlen(t)) : NULL;
				g_free(t);
			}
			if (p)
				g_string_append_printf(s, "%s%s", s->len ? " " : "", p);
		}
	res = s->len ? ov_strndup(r->doc, s->str, s->len) : NULL;
	g_string_free(s, TRUE);
	return res;
}

/* The element after n in document order inside root (skip: not inside n), or NULL. A loop,
 * not recursion: the walks below go to any depth. */
static xmlNode *
next_element(xmlNode *root, xmlNode *n, gboolean skip)
{
	for (xmlNode *c = skip ? NULL : n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	for (; n && n != root; n = n->parent)
		for (xmlNode *c = n->next; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE)
				return c;
	return NULL;
}

/* The first element called name in xml's subtree (xml itself excluded), or NULL. */
static xmlNode *
find_element(xmlNode *xml, const char *name)
{
	for (xmlNode *c = next_element(xml, xml, FALSE); c; c = next_element(xml, c, FALSE))
		if (!strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

/* An address on one line: its parts (street, city, ...) and its lines, joined by ", ". */
static const char *
address_line(Reader *r, xmlNode *xml)
{
	GString *s = g_string_new(NULL);
	const char *res;

	/* its parts and the lines of its loose text, in order; an email is shown on its own */
	for (xmlNode *c = xml->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "email") != 0) {
			const char *p = xml_plain(r, c);
			if (p)
				g_string_append_printf(s, "%s%s", s->len ? ", " : "", p);
		} else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			char **lines = g_strsplit((const char *)c->content, "\n", -1);
			for (char **l = lines; *l; l++) {
				char *line = g_strstrip(*l);
				if (*line)
					g_string_append_printf(s, "%s%s", s->len ? ", " : "", line);
			}
			g_strfreev(lines);
		}
	res = s->len ? ov_strndup(r->doc, s->str, s->len) : NULL;
	g_string_free(s, TRUE);
	return res;
}

/* Say which elements of xml other than keep and keep2 (their text shown) octavo shows nowhere. */
static void
not_shown(Reader *r, xmlNode *xml, const char *keep, const char *keep2)
{
	for (xmlNode *c = xml->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, keep) != 0 &&
		    strcmp((const char *)c->name, keep2) != 0)
			ov_warn(r->d, loc_of(r, top(r)->file, c), "<%s> of <%s> is not shown: octavo has no place for it",
				(const char *)c->name, (const char *)xml->name);
}

/* An author, editor or other credit: the name, and what the title pages say of them. */
static void
read_person(Reader *r, xmlNode *xml, OvCredit credit, OvMeta *m)
{
	static const char *const affil[] = { "jobtitle", "orgdiv", "orgname" };
	OvPerson p = { credit, person_name(r, xml), child_plain(r, xml, "contrib"), NULL, NULL, NULL };
	xmlNode *a = NULL, *e;
	GString *s = g_string_new(NULL);

	gboolean book = m == &r->doc->meta; /* else a division's own info: its byline, names only */

	for (xmlNode *c = xml->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && (!strcmp((const char *)c->name, "personblurb") ||
						    !strcmp((const char *)c->name, "authorblurb") ||
						    !strcmp((const char *)c->name, "uri") ||
						    /* the title page and the byline give a contrib to
						     * other credits only */
						    (!strcmp((const char *)c->name, "contrib") && credit != OV_CREDIT_OTHER) ||
						    /* a byline names the people, and no more */
						    (!book && (!strcmp((const char *)c->name, "email") ||
							       !strcmp((const char *)c->name, "address") ||
							       !strcmp((const char *)c->name, "affiliation")))))
			ov_warn(r->d, loc_of(r, top(r)->file, c), "<%s> of <%s> is not shown: octavo has no place for it",
				(const char *)c->name, (const char *)xml->name);

	a = child_element(xml, "affiliation");
	if (p.name == NULL) /* nothing but details: the first of them stands for the name */
		for (xmlNode *c = xml->children; c && p.name == NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE && c != a && strcmp((const char *)c->name, "contrib") != 0)
				p.name = xml_plain(r, c);
	if (p.name == NULL) {
		g_string_free(s, TRUE);
		return;
	}
	if (credit == OV_CREDIT_OTHER) {
		const char *cls = attr(r, xml, "class");
		if (g_strcmp0(cls, "translator") == 0)
			p.credit = OV_CREDIT_TRANSLATOR;
		else if (g_strcmp0(cls, "illustrator") == 0)
			p.credit = OV_CREDIT_ILLUSTRATOR;
	}
	for (gsize i = 0; a && i < G_N_ELEMENTS(affil); i++) {
		const char *t = child_plain(r, a, affil[i]);
		if (t)
			g_string_append_printf(s, "%s%s", s->len ? ", " : "", t);
	}
	if (a && s->len == 0 && (e = find_element(a, "shortaffil")) != NULL)
		p.affiliation = xml_plain(r, e);
	else if (s->len)
		p.affiliation = ov_strndup(r->doc, s->str, s->len);
	/* the person's own email and address, else their affiliation's */
	e = child_element(xml, "email");
	if (e == NULL && (e = child_element(xml, "address")) != NULL)
		e = child_element(e, "email");
	if (e == NULL && a)
		e = find_element(a, "email");
	if (e)
		p.email = xml_plain(r, e);
	if ((e = child_element(xml, "address")) != NULL || (a && (e = child_element(a, "address")) != NULL))
		p.address = address_line(r, e);
	if (g_strcmp0(p.email, p.name) == 0)
		p.email = NULL;
	if (g_strcmp0(p.address, p.name) == 0)
		p.address = NULL;
	if (p.credit == OV_CREDIT_AUTHOR)
		g_ptr_array_add(m->authors, (gpointer)p.name);
	g_array_append_val(m->people, p);
	g_string_free(s, TRUE);
}

/* A revision: its number, date, author and remark (or description), as plain text. */
static void
read_revhistory(Reader *r, xmlNode *xml, OvMeta *m)
{
	for (xmlNode *c = xml->children; c; c = c->next) {
		OvRevision rev = { 0 };
		xmlNode *a;
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "revision"))
			continue;
		rev.number = child_plain(r, c, "revnumber");
		rev.date = child_plain(r, c, "date");
		rev.author = child_plain(r, c, "authorinitials");
		if (rev.author == NULL && (a = find_element(c, "author")) != NULL)
			rev.author = person_name(r, a);
		rev.remark = child_plain(r, c, "revremark");
		if (rev.remark == NULL)
			rev.remark = child_plain(r, c, "revdescription");
		if (rev.number || rev.date || rev.author || rev.remark)
			g_array_append_val(m->revisions, rev);
	}
}

static void
read_copyright(Reader *r, xmlNode *xml, OvMeta *m)
{
	/* the book's words (its root's language: the rest is not read yet), or the theme's */
	GString *s = g_string_new(ov_gentext_lang(r->doc->root ? r->doc->root->lang : NULL, OV_GT_COPYRIGHT_SIGN));
	GString *holders = g_string_new(NULL);
	int years = 0;

	for (xmlNode *c = xml->children; c; c = c->next) {
		const char *t;
		if (c->type != XML_ELEMENT_NODE || (t = xml_plain(r, c)) == NULL)
			continue;
		if (!strcmp((const char *)c->name, "year"))
			g_string_append_printf(s, "%s%s", years++ ? ", " : " ", t);
		else if (!strcmp((const char *)c->name, "holder"))
			g_string_append_printf(holders, "%s%s", holders->len ? ", " : " ", t);
	}
	g_string_append(s, holders->str);
	m->copyright = ov_strndup(r->doc, s->str, s->len);
	g_string_free(s, TRUE);
	g_string_free(holders, TRUE);
}

/* A division's authors, editors and other credits, its date, release info and edition (its
 * own info's, m): a line under its title, in italics, in both outputs ("Ada Lovelace, Charles
 * Babbage · Edited by Mary Shelley · 1843"). */
static void
add_byline(Reader *r, xmlNode *xml, const OvMeta *m)
{
	const GArray *people = m->people;
	OvNode *div = top(r)->info_div, *para = NULL, *em, *t;
	OvLoc loc = loc_of(r, top(r)->file, xml);
	const char *lang = r->doc->root ? r->doc->root->lang : NULL; /* the book's: the rest is not read yet */
	GString *line = g_string_new(NULL);
	Byline *all;

	if (!ov_node_is_division(div)) { /* a figure's, a table's, a paragraph's: no place for it */
		ov_warn(r->d, loc, "<%s> in the info of <%s> is not shown", (const char *)xml->name, div->tag ? div->tag : "?");
		g_string_free(line, TRUE);
		return;
	}
	for (OvNode *c = div->first; c; c = c->next)
		if (c->type == OV_PARA && c->tag && !strcmp(c->tag, "byline"))
			para = c;
	if (para == NULL) {
		para = ov_node_new(r->doc, OV_PARA, loc);
		para->tag = ov_intern(r->doc, "byline");
		em = ov_node_new(r->doc, OV_EMPHASIS, loc);
		em->tag = ov_intern(r->doc, "emphasis");
		em->u.em.style = OV_STYLE_ITALIC;
		ov_node_append(para, em);
		ov_node_append(div, para);
	}
	em = para->first;
	if ((all = g_hash_table_lookup(r->bylines, div)) == NULL) {
		all = g_new0(Byline, 1);
		all->people = g_array_new(FALSE, FALSE, sizeof(OvPerson));
		all->notes = g_ptr_array_new();
		g_hash_table_insert(r->bylines, div, all);
	}
	g_array_append_vals(all->people, people->data, people->len);
	{
		const char *date = all->dated ? NULL : m->pubdate ? m->pubdate : m->date;
		const char *notes[] = { date, m->releaseinfo, m->edition };
		all->dated |= date != NULL;
		for (gsize i = 0; i < G_N_ELEMENTS(notes); i++)
			if (notes[i])
				g_ptr_array_add(all->notes, (gpointer)notes[i]);
	}
	/* the whole line again: "A, B · Edited by C · D (contrib)" */
	for (OvCredit c = OV_CREDIT_AUTHOR; c <= OV_CREDIT_OTHER; c++) {
		char *names = ov_gentext_credit(all->people, c, lang, c == OV_CREDIT_OTHER);
		if (names)
			g_string_append_printf(line, "%s%s", line->len ? " \xC2\xB7 " : "", names); /* a middle dot */
		g_free(names);
	}
	for (guint i = 0; i < all->notes->len; i++)
		g_string_append_printf(line, "%s%s", line->len ? " \xC2\xB7 " : "", (const char *)g_ptr_array_index(all->notes, i));
	while (em->first)
		ov_node_unlink(em->first);
	t = ov_node_new(r->doc, OV_TEXT, loc);
	t->text = ov_strndup(r->doc, line->str, line->len);
	ov_node_append(em, t);
	g_string_free(line, TRUE);
}

/* One child of the root's info that is plain metadata. FALSE if octavo does not know it. */
static gboolean
read_meta(Reader *r, xmlNode *c, gboolean store)
{
	OvMeta scratch = { 0 };
	OvMeta *m = store ? &r->doc->meta : &scratch; /* a division's own: its byline (add_byline) */
	const char *name = (const char *)c->name;
	gboolean known = TRUE;

	scratch.authors = g_ptr_array_new();
	scratch.keywords = g_ptr_array_new();
	scratch.people = g_array_new(FALSE, TRUE, sizeof(OvPerson));
	scratch.revisions = g_array_new(FALSE, TRUE, sizeof(OvRevision));
	scratch.printhistory = g_ptr_array_new();

	if (!strcmp(name, "author") || !strcmp(name, "corpauthor")) {
		read_person(r, c, OV_CREDIT_AUTHOR, m);
	} else if (!strcmp(name, "editor")) {
		read_person(r, c, OV_CREDIT_EDITOR, m);
	} else if (!strcmp(name, "othercredit")) {
		read_person(r, c, OV_CREDIT_OTHER, m);
	} else if (!strcmp(name, "authorgroup")) {
		for (xmlNode *a = c->children; a; a = a->next)
			if (a->type == XML_ELEMENT_NODE)
				read_meta(r, a, store);
	} else if (!strcmp(name, "revhistory")) {
		read_revhistory(r, c, m);
	} else if (!strcmp(name, "printhistory")) {
		for (xmlNode *p = c->children; p; p = p->next) {
			const char *t = p->type == XML_ELEMENT_NODE ? xml_plain(r, p) : NULL;
			if (t)
				g_ptr_array_add(m->printhistory, (gpointer)t);
		}
	} else if (!strcmp(name, "orgname")) {
		m->orgname = xml_plain(r, c);
	} else if (!strcmp(name, "date")) {
		m->date = xml_plain(r, c);
	} else if (!strcmp(name, "pubdate")) {
		m->pubdate = xml_plain(r, c);
	} else if (!strcmp(name, "publisher")) {
		const char *p = child_plain(r, c, "publishername");
		m->publisher = p ? p : xml_plain(r, c);
		if (p) {
			m->publisher_address = child_plain(r, c, "address");
			not_shown(r, c, "publishername", "address");
		}
	} else if (!strcmp(name, "publishername")) {
		m->publisher = xml_plain(r, c);
	} else if (!strcmp(name, "copyright")) {
		read_copyright(r, c, m);
	} else if (!strcmp(name, "releaseinfo")) {
		m->releaseinfo = xml_plain(r, c);
	} else if (!strcmp(name, "edition")) {
		m->edition = xml_plain(r, c);
	} else if (!strcmp(name, "isbn")) {
		m->isbn = xml_plain(r, c);
	} else if (!strcmp(name, "biblioid")) {
		const char *cls = attr(r, c, "class");
		if (g_strcmp0(cls, "isbn") == 0)
			m->isbn = xml_plain(r, c);
		else if (m->identifier == NULL && cls && (!strcmp(cls, "uri") || !strcmp(cls, "doi") || !strcmp(cls, "other"))) {
			m->identifier = xml_plain(r, c);
			m->identifier_class = cls;
		}
	} else if (!strcmp(name, "keywordset")) {
		for (xmlNode *k = c->children; k; k = k->next)
			if (k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, "keyword")) {
				const char *t = xml_plain(r, k);
				if (t)
					g_ptr_array_add(m->keywords, (gpointer)t);
			}
	} else if (!strcmp(name, "subjectset")) {
		/* its terms are the book's subjects, as its keywords are (dc:subject, the PDF's keywords) */
		for (xmlNode *k = c->children; k; k = k->next)
			for (xmlNode *t = k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, "subject") ? k->children : NULL; t; t = t->next)
				if (t->type == XML_ELEMENT_NODE && !strcmp((const char *)t->name, "subjectterm")) {
					const char *v = xml_plain(r, t);
					if (v)
						g_ptr_array_add(m->keywords, (gpointer)v);
				}
	} else if (!strcmp(name, "address") || !strcmp(name, "productname") ||
		   !strcmp(name, "productnumber") || !strcmp(name, "bibliomisc") || !strcmp(name, "mediaobject") ||
		   !strcmp(name, "volumenum") || !strcmp(name, "issuenum") || !strcmp(name, "pagenums") ||
		   !strcmp(name, "authorinitials")) {
		/* known, and no output has a place for it: said, not dropped in silence */
		ov_warn(r->d, loc_of(r, top(r)->file, c), "<%s> in <%s> is not shown: octavo has no place for it",
			name, (const char *)c->parent->name);
	} else {
		known = FALSE;
	}
	if (!store && (!strcmp(name, "copyright") || !strcmp(name, "revhistory") || !strcmp(name, "printhistory") ||
		       !strcmp(name, "publisher") || !strcmp(name, "publishername") || !strcmp(name, "orgname") ||
		       !strcmp(name, "keywordset") || !strcmp(name, "subjectset") || !strcmp(name, "isbn") ||
		       !strcmp(name, "biblioid"))) {
		/* the book's own info has a place for these (its title and copyright pages, its
		 * metadata); a division's or a block's has none */
		OvNode *div = top(r)->info_div;
		ov_warn(r->d, loc_of(r, top(r)->file, c), "<%s> in the info of <%s> is not shown: octavo has no place for it",
			name, div && div->tag ? div->tag : "?");
	}
	if (!store && (scratch.people->len || scratch.date || scratch.pubdate || scratch.releaseinfo || scratch.edition))
		add_byline(r, c, &scratch);
	g_ptr_array_free(scratch.authors, TRUE);
	g_ptr_array_free(scratch.keywords, TRUE);
	g_array_free(scratch.people, TRUE);
	g_array_free(scratch.revisions, TRUE);
	g_ptr_array_free(scratch.printhistory, TRUE);
	return known;
}

/* ---- the walk ---- */

static void enter_element(Reader *r, xmlNode *xml);

static void
warn_unknown(Reader *r, xmlNode *xml, const char *why)
{
	Frame *f = top(r);
	const char *prefix = xml->ns && xml->ns->prefix ? (const char *)xml->ns->prefix : NULL;
	ov_warn(r->d, loc_of(r, f->file, xml), "%s <%s%s%s>%s", why, prefix ? prefix : "", prefix ? ":" : "",
		(const char *)xml->name, " (its text is kept)");
}

/* Is xml a simplelist set in the running text (type="inline")? */
static gboolean
inline_list(xmlNode *xml)
{
	xmlChar *type;
	gboolean yes;
	if (xml == NULL || xml->type != XML_ELEMENT_NODE || strcmp((const char *)xml->name, "simplelist") != 0)
		return FALSE;
	type = xmlGetNoNsProp(xml, (const xmlChar *)"type");
	yes = type && !strcmp((const char *)type, "inline");
	xmlFree(type);
	return yes;
}

/* Is xml an element that stands as a block (or may bring blocks: an include)? */
static gboolean
is_block_element(xmlNode *xml)
{
	const ElemSpec *sp;
	if (is_xinclude(xml, "include"))
		return TRUE;
	if (!is_docbook(xml) || (sp = spec_lookup((const char *)xml->name)) == NULL)
		return FALSE;
	return (sp->act == ACT_NODE && ov_type_info[sp->type].level == OV_LEVEL_BLOCK) || sp->act == ACT_ROOT ||
	       (sp->act == ACT_GRAPHIC && sp->type == OV_MEDIAOBJECT);
}

static xmlNode *next_element(xmlNode *root, xmlNode *n, gboolean skip);

/* Does an element hold block elements at any depth (so an unknown wrapper of it is best made
 * transparent: its blocks stay blocks, a listing keeps its lines, rather than all of it run
 * into one paragraph)? A walk, not recursion; what it learns is kept (r->blocky), so that the
 * unknown elements inside, asked in their turn, cost nothing more: linear at any depth. */
static gboolean
holds_blocks(Reader *r, xmlNode *xml)
{
	gpointer known = g_hash_table_lookup(r->blocky, xml);
	xmlNode *c;

	if (known)
		return GPOINTER_TO_INT(known) == 1;
	for (c = next_element(xml, xml, FALSE); c; ) {
		gpointer k = g_hash_table_lookup(r->blocky, c);
		if (k && GPOINTER_TO_INT(k) == 2) {
			c = next_element(xml, c, TRUE); /* known to hold none: not walked again */
			continue;
		}
		if (k || is_block_element(c))
			break;
		c = next_element(xml, c, FALSE);
	}
	if (c) { /* it and every element between it and the block hold blocks */
		for (xmlNode *a = c->parent; a && a != xml->parent; a = a->parent)
			g_hash_table_insert(r->blocky, a, GINT_TO_POINTER(1));
		return TRUE;
	}
	/* none anywhere inside: nor in any element inside */
	for (c = next_element(xml, xml, FALSE); c;) {
		gboolean had = g_hash_table_lookup(r->blocky, c) != NULL;
		g_hash_table_insert(r->blocky, c, GINT_TO_POINTER(2));
		c = next_element(xml, c, had);
	}
	g_hash_table_insert(r->blocky, xml, GINT_TO_POINTER(2));
	return FALSE;
}

static void
push_element(Reader *r, xmlNode *xml, OvNode *node, OvNode *target)
{
	Frame fr = { 0 };
	fr.kind = FR_ELEMENT;
	fr.xml = xml;
	fr.node = node;
	fr.target = target;
	if (node && node->type == OV_VERBATIM)
		fr.verbatim = TRUE;
	push(r, fr);
}

/* Does xml (a title) follow its division's info (DocBook 4's chapterinfo, sect1info …) with
 * nothing between but what may stand before a title? DocBook 4 let a division's title stand in
 * both, and the division's own is then its title. */
static gboolean
after_info(xmlNode *xml)
{
	for (xmlNode *c = xml->prev; c; c = c->prev) {
		const char *name = (const char *)c->name;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (g_str_has_suffix(name, "info") && strcmp(name, "releaseinfo") != 0)
			return TRUE;
		if (strcmp(name, "beginpage") != 0 && strcmp(name, "indexterm") != 0 && strcmp(name, "anchor") != 0)
			return FALSE; /* a title or text before it: it is misplaced */
	}
	return FALSE;
}

/* A title's words with its white space collapsed, to compare two titles (a new string). */
static char *
title_words(const char *s)
{
	GString *o = g_string_new(NULL);
	for (; s && *s; s++)
		if (!is_xml_space(*s))
			g_string_append_c(o, *s);
		else if (o->len && !is_xml_space(s[1]) && s[1])
			g_string_append_c(o, ' ');
	return g_string_free(o, FALSE);
}

static char *words_chomped(const OvNode *n);

/* DocBook 4's division t with two titles, had (set already) and xml (tag): a warning when
 * their words differ, naming the one not used (in_info: xml, the one in the info; else had). */
static void
two_titles(Reader *r, OvLoc loc, const OvNode *t, const char *tag, const OvNode *had, xmlNode *xml, gboolean in_info)
{
	char *text = words_chomped(had), *was = title_words(text), *is = title_words(xml_plain(r, xml));
	const char *div = t->tag ? t->tag : ov_type_name(t->type);
	if (strcmp(was, is) != 0) {
		if (in_info)
			ov_warn(r->d, loc, "<%s> \"%s\" in the info of <%s> is not used: its own <%s> \"%s\" is", tag, is, div,
				tag, was);
		else
			ov_warn(r->d, loc, "<%s> \"%s\" of <%s> is not used: its own <%s> \"%s\" is", tag, was, div, tag, is);
	}
	g_free(text);
	g_free(was);
	g_free(is);
}

/* An element that becomes a node. */
static gboolean has_content(xmlNode *xml);

static void
enter_node(Reader *r, xmlNode *xml, const ElemSpec *sp, OvType type, OvLoc loc)
{
	OvNode *n = ov_node_new(r->doc, type, loc), *target;
	Frame *f = top(r);
	OvLevel level = ov_type_info[type].level;

	n->tag = ov_intern(r->doc, (const char *)xml->name);
	if (sp)
		n->flags |= (type == OV_FIGURE || type == OV_TABLE) ? (guint)sp->sub : 0;
	read_common_attrs(r, xml, n);
	read_node_attrs(r, xml, n, sp);
	if (type == OV_VERBATIM && r->areas->len && r->areas_for == NULL && xml == r->areas_listing)
		r->areas_for = n; /* the areas of the areaspec before it: marked once it is read */
	if (!sp) {
		n->flags |= OV_F_UNKNOWN;
		n->u.em.style = 0;
	}

	if (type == OV_TITLE || type == OV_SUBTITLE) {
		/* a title goes first in what it titles, wherever it was written */
		OvNode *t = owner(r)->target;
		if (f->info_div)
			t = f->info_div;
		OvNode *had = ov_node_child(t, type);
		if (had && f->info_div == NULL && xml->parent == owner(r)->xml && after_info(xml)) {
			/* DocBook 4: a title in the division's info and its own after it; the
			 * division's own is its title (as DocBook's stylesheets take it) */
			two_titles(r, loc, t, n->tag, had, xml, FALSE);
			ov_node_unlink(had);
			had = NULL;
		}
		if (had && f->info_div && ov_type_info[t->type].content == OV_CONTENT_BLOCKS) {
			/* DocBook 4: a title before the info (a book's, before its bookinfo), and the
			 * info's: the one written first is the title, the info's is not set again */
			two_titles(r, loc, t, n->tag, had, xml, TRUE);
			push_element(r, xml, n, n); /* its words read into a node set nowhere */
			return;
		}
		if (ov_type_info[t->type].content != OV_CONTENT_BLOCKS || had) {
			n->type = OV_PHRASE; /* a second title, or a title in running text */
			if (ov_type_info[t->type].content == OV_CONTENT_BLOCKS && f->info_div == NULL &&
			    xml->parent == owner(r)->xml && !after_info(xml))
				/* written in what it would title, after its title (or its text): a
				 * misplaced title, which no output can show as one */
				ov_warn(r->d, loc, "<%s> here is not a title: <%s> has its %s already, and a title goes first (set as a paragraph)",
					n->tag, t->tag ? t->tag : ov_type_name(t->type), n->tag);
			place_inline(r, n);
		} else if (type == OV_SUBTITLE && ov_node_child(t, OV_TITLE)) {
			ov_node_insert_after(ov_node_child(t, OV_TITLE), n);
		} else {
			ov_node_prepend(t, n);
		}
		push_element(r, xml, n, n);
		return;
	}
	if (level == OV_LEVEL_BLOCK && !f->blocks_as_inline) {
		if (!place_block(r, n)) {
			/* a block where only inline content can go: keep its text, inline */
			ov_warn(r->d, loc, "<%s> cannot stand inside <%s>: its text is kept inline", n->tag,
				owner(r)->target->tag ? owner(r)->target->tag : ov_type_name(owner(r)->target->type));
			n->type = OV_PHRASE;
			n->u.em.style = 0;
			place_inline(r, n);
			push_element(r, xml, n, n);
			top(r)->blocks_as_inline = TRUE;
			return;
		}
	} else if (level == OV_LEVEL_BLOCK) {
		n->type = OV_PHRASE;
		n->u.em.style = 0;
		place_inline(r, n);
	} else if (level == OV_LEVEL_INLINE) {
		place_inline(r, n);
	} else {
		place_any(r, n);
	}
	if (type == OV_TABLE) {
		if (!strcmp(name_of(xml), "entrytbl"))
			read_tgroup(r, xml, n, f->file);
		push_element(r, xml, n, n);
		return;
	}
	if (n->type == OV_PARA && (!strcmp(n->tag, "glosssee") || !strcmp(n->tag, "glossseealso"))) {
		const char *other = attr(r, xml, "otherterm");
		OvNode *t = ov_node_new(r->doc, OV_TEXT, loc);
		/* the book's words (its root's language: the rest of the book is not read yet) */
		t->text = ov_printf(r->doc, "%s ", ov_gentext_lang(r->doc->root ? r->doc->root->lang : NULL,
								  n->tag[8] ? OV_GT_SEE_ALSO : OV_GT_SEE));
		ov_node_append(n, t);
		if (other && xml->children == NULL) {
			OvNode *x = ov_node_new(r->doc, OV_XREF, loc);
			x->tag = "xref";
			x->u.link.linkend = other;
			ov_node_append(n, x);
		}
	}
	target = ov_type_info[n->type].content == OV_CONTENT_NONE ? NULL : n;
	if (n->type == OV_PHRASE && (!strcmp(n->tag, "glossterm") || !strcmp(n->tag, "firstterm")) &&
	    attr(r, xml, "linkend")) {
		/* a term linked to its glossary entry: its words a link there; none: the entry's term */
		OvNode *l = ov_node_new(r->doc, has_content(xml) ? OV_LINK : OV_XREF, loc);
		l->tag = has_content(xml) ? "link" : "xref";
		l->u.link.linkend = attr(r, xml, "linkend");
		ov_node_append(n, l);
		target = has_content(xml) ? l : NULL;
	}
	push_element(r, xml, n, target);
	if (ov_type_info[n->type].content == OV_CONTENT_NONE)
		top(r)->child = NULL; /* a leaf: its content (if any) is not walked */
	if (n->type == OV_MEDIAOBJECT || n->type == OV_INLINEMEDIA)
		top(r)->in_media = TRUE;
}

/* HTML table rows written straight in the table go to its implicit tbody, made at the first
 * (after a thead and a tfoot, as HTML orders them), wherever text set after the table or a
 * tfoot stands since. */
static OvNode *
row_target(Reader *r, OvNode *table, OvLoc loc)
{
	OvNode *body;
	for (OvNode *c = table->last; c; c = c->prev)
		if (c->type == OV_TBODY && (c->flags & OV_F_IMPLICIT))
			return c;
	body = ov_node_new(r->doc, OV_TBODY, loc);
	body->flags |= OV_F_IMPLICIT;
	ov_node_append(table, body);
	return body;
}

static void enter_include(Reader *r, xmlNode *xml);
static void enter_qanda(Reader *r, xmlNode *xml);
static gboolean in_qandaset(xmlNode *xml);
static void enter_co(Reader *r, xmlNode *xml, OvLoc loc);
static void enter_callout(Reader *r, xmlNode *xml, OvLoc loc);
static void enter_areaspec(Reader *r, xmlNode *xml, OvLoc loc);

/* A child of info: titles go to the division; the root's abstract, legal notice and cover
 * become blocks of OV_INFO; its other children fill OvMeta. */
/* A division's titleabbrev: its running head in the PDF. */
static void
title_abbrev(Reader *r, xmlNode *xml, OvNode *div)
{
	if (strcmp((const char *)xml->name, "titleabbrev") != 0)
		return;
	if (div == NULL || !ov_node_is_division(div) || div->type == OV_SECTION) {
		/* only a top-level division's is used: the PDF's running head (an article's
		 * own too, its running head) */
		ov_warn(r->d, loc_of(r, top(r)->file, xml),
			"<titleabbrev> of <%s> is not shown: only a top-level division's is used (the PDF's running head)",
			div && div->tag ? div->tag : div ? ov_type_name(div->type) : "?");
		return;
	}
	div->u.div.titleabbrev = xml_plain(r, xml);
}

static void
enter_info_child(Reader *r, xmlNode *xml, const ElemSpec *sp, OvLoc loc)
{
	OvNode *div = top(r)->info_div;
	const char *name = (const char *)xml->name;

	if (sp && sp->act == ACT_NODE && (sp->type == OV_TITLE || sp->type == OV_SUBTITLE)) {
		enter_node(r, xml, sp, sp->type, loc);
		return;
	}
	if (sp && sp->act == ACT_IGNORE) {
		title_abbrev(r, xml, div);
		return;
	}
	if (sp && sp->act == ACT_INDEXTERM) {
		read_indexterm(r, xml, top(r)->file);
		return;
	}
	if (sp && sp->act == ACT_NODE && (sp->type == OV_ABSTRACT || sp->type == OV_LEGALNOTICE || sp->type == OV_COVER)) {
		OvNode *n = ov_node_new(r->doc, sp->type, loc);
		OvNode *holder = div;
		n->tag = ov_intern(r->doc, name);
		read_common_attrs(r, xml, n);
		if (div->type == OV_DOCUMENT) {
			holder = ov_node_child(div, OV_INFO);
			if (holder == NULL) {
				holder = ov_node_new(r->doc, OV_INFO, loc);
				ov_node_append(div, holder);
			}
		} else if (sp->type != OV_ABSTRACT) {
			ov_warn(r->d, loc, "<%s> is used only in the book's own info", name);
			return;
		}
		ov_node_append(holder, n);
		push_element(r, xml, n, n);
		return;
	}
	if (is_docbook(xml) && read_meta(r, xml, div->type == OV_DOCUMENT))
		return;
	ov_warn(r->d, loc, "<%s> in info is not used", name);
}

/* Has the element any text that is not whitespace, or any element inside? */
static gboolean
has_content(xmlNode *xml)
{
	for (xmlNode *c = xml->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "anchor") != 0 &&
		    strcmp((const char *)c->name, "indexterm") != 0)
			return TRUE; /* an anchor or an index term shows no words */
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content &&
		    !is_space((const char *)c->content, strlen((const char *)c->content)))
			return TRUE;
	}
	return FALSE;
}

/* Has xml a title of its own, or one in its info? */
static gboolean
has_title(xmlNode *xml)
{
	for (xmlNode *c = xml->children; c; c = c->next) {
		const char *n = (const char *)c->name;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp(n, "title") ||
		    (g_str_has_suffix(n, "info") && strcmp(n, "releaseinfo") != 0 && child_element(c, "title")))
			return TRUE;
	}
	return FALSE;
}

/* A reference page's division: a reference, a refentry, its synopsis and its sections. A
 * reference is a part in the book (deeper: a chapter, a section); a refentry a chapter in the
 * book, else a section (in a reference too, so that it takes no chapter's number). None is
 * numbered, as DocBook's stylesheets number none, but a reference (a part). An untitled
 * refentry is titled by its refentrytitle, else its first refname; a synopsis "Synopsis". */
static void
enter_ref(Reader *r, xmlNode *xml, const ElemSpec *sp, OvLoc loc)
{
	const char *name = (const char *)xml->name;
	OvNode *t = owner(r)->target, *n;
	OvType type = sp->type;
	const char *title = NULL;

	if (!strcmp(name, "reference"))
		type = t->type == OV_DOCUMENT ? OV_PART : t->type == OV_PART ? OV_CHAPTER : OV_SECTION;
	else if (!strcmp(name, "refentry"))
		type = t->type == OV_DOCUMENT ? OV_CHAPTER : OV_SECTION;
	enter_node(r, xml, sp, type, loc);
	n = top(r)->node;
	if (top(r)->xml != xml || n == NULL || n->type != type)
		return; /* set inline, where no division can stand: its words are kept */
	if (strcmp(name, "reference") != 0 && !(n->flags & OV_F_LABELLED))
		n->flags |= OV_F_LABELLED; /* no number (label NULL), unless the source gives one */
	if (has_title(xml))
		return;
	if (!strcmp(name, "refentry")) {
		xmlNode *m = child_element(xml, "refmeta"), *nd = child_element(xml, "refnamediv");
		if (m)
			title = child_plain(r, m, "refentrytitle");
		if (title == NULL && nd)
			title = child_plain(r, nd, "refname");
	} else if (!strcmp(name, "refsynopsisdiv")) {
		title = "Synopsis"; /* gentext has no word for it yet: DocBook's English one */
	}
	if (title) {
		OvNode *tn = ov_node_new(r->doc, OV_TITLE, loc);
		tn->tag = ov_intern(r->doc, "title");
		tn->flags |= OV_F_IMPLICIT;
		ov_node_append(tn, text_node(r, loc, title));
		ov_node_prepend(n, tn);
	}
}

/* A segmented list: its title, then a paragraph per item, a line per segment, "Title: value"
 * (as DocBook's stylesheets list it); the segments' words plain. */
static void
enter_seglist(Reader *r, xmlNode *xml, OvLoc loc)
{
	GPtrArray *titles = g_ptr_array_new(), *paras = g_ptr_array_new();
	xmlNode *title = child_element(xml, "title");

	for (xmlNode *c = xml->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "segtitle"))
			g_ptr_array_add(titles, (gpointer)xml_plain(r, c));
	if (title && xml_plain(r, title)) {
		OvNode *p = ov_node_new(r->doc, OV_PARA, loc_of(r, top(r)->file, title));
		OvNode *b = ov_node_new(r->doc, OV_EMPHASIS, p->loc);
		p->tag = ov_intern(r->doc, "segmentedlist");
		b->tag = ov_intern(r->doc, "emphasis");
		b->u.em.style = OV_STYLE_BOLD;
		ov_node_append(b, text_node(r, p->loc, xml_plain(r, title)));
		ov_node_append(p, b);
		g_ptr_array_add(paras, p);
	}
	for (xmlNode *item = xml->children; item; item = item->next) {
		OvNode *p;
		guint i = 0;
		if (item->type != XML_ELEMENT_NODE || strcmp((const char *)item->name, "seglistitem") != 0)
			continue;
		p = ov_node_new(r->doc, OV_PARA, loc_of(r, top(r)->file, item));
		p->tag = ov_intern(r->doc, "seglistitem");
		for (xmlNode *seg = item->children; seg; seg = seg->next) {
			const char *t;
			if (seg->type != XML_ELEMENT_NODE || strcmp((const char *)seg->name, "seg") != 0)
				continue;
			t = xml_plain(r, seg);
			if (p->first)
				ov_node_append(p, ov_node_new(r->doc, OV_LINEBREAK, p->loc));
			if (i < titles->len && g_ptr_array_index(titles, i))
				t = ov_printf(r->doc, "%s: %s", (const char *)g_ptr_array_index(titles, i), t ? t : "");
			if (t)
				ov_node_append(p, text_node(r, p->loc, t));
			i++;
		}
		g_ptr_array_add(paras, p);
	}
	for (guint i = 0; i < paras->len; i++) {
		OvNode *p = g_ptr_array_index(paras, i);
		if (!place_block(r, p)) { /* where only words can go: its words there, set apart */
			p->type = OV_PHRASE;
			place_inline(r, p);
			ov_node_append(p, text_node(r, p->loc, " "));
		}
	}
	(void)loc;
	g_ptr_array_free(titles, TRUE);
	g_ptr_array_free(paras, TRUE);
}

/* In a refnamediv: "name, name — purpose", as DocBook's stylesheets write it, however the
 * source lays its parts out. */
static void
refname_separator(Reader *r, xmlNode *xml, OvLoc loc)
{
	OvNode *t = owner(r)->target;
	const char *name = (const char *)xml->name;
	if (t->tag == NULL || strcmp(t->tag, "refnamediv") != 0)
		return;
	while (t->last && t->last->type == OV_TEXT && is_space(t->last->text, strlen(t->last->text)))
		ov_node_unlink(t->last); /* the source's line breaks between them */
	if (t->last)
		ov_node_append(t, text_node(r, loc, !strcmp(name, "refpurpose") ? " \xE2\x80\x94 " : ", "));
}

/* Is xml an info element (info, chapterinfo …)? */
static gboolean
is_info(xmlNode *xml)
{
	const ElemSpec *sp;
	return xml && xml->type == XML_ELEMENT_NODE && is_docbook(xml) &&
	       (sp = spec_lookup((const char *)xml->name)) != NULL && sp->act == ACT_INFO;
}

/* Does xml stand in an element octavo does not know (a task, a topic, made transparent when
 * it holds blocks), or in such an element's info? Its info describes no division octavo
 * makes: it must not be read as the enclosing one's (its title is a heading where it stands). */
static gboolean
in_unknown(xmlNode *xml)
{
	xmlNode *p = xml->parent;
	if (is_info(p))
		p = p->parent;
	return p && p->type == XML_ELEMENT_NODE && !is_xinclude(p, "include") &&
	       (!is_docbook(p) || spec_lookup((const char *)p->name) == NULL);
}

static void
enter_element(Reader *r, xmlNode *xml)
{
	Frame *f = top(r);
	const char *name = (const char *)xml->name;
	OvLoc loc = loc_of(r, f->file, xml);
	const ElemSpec *sp = NULL;

	if (is_xinclude(xml, "include")) {
		enter_include(r, xml);
		return;
	}
	if (is_xinclude(xml, "fallback"))
		return; /* used only when its include fails */
	if (is_docbook(xml))
		sp = spec_lookup(name);
	if (sp && sp->type == OV_XREF && attr(r, xml, "linkend") && has_content(xml)) {
		/* DocBook's xref is empty; words written inside one are kept, as a link's */
		ov_warn(r->d, loc, "<xref> with content: set as a <link> to \"%s\" with that text", attr(r, xml, "linkend"));
		sp = spec_lookup("link");
	}

	if (f->info_div && f->node == NULL && f->kind == FR_ELEMENT) {
		enter_info_child(r, xml, sp, loc);
		return;
	}
	if (sp && !strcmp(name, "remark") && !r->remarks) {
		/* an editorial note, not a part of the book: left out (its words deliberately so),
		 * unless the theme shows remarks; an id of its own still takes a link to its place */
		const char *id = attr_id(r, xml);
		if (id) {
			OvNode *a = ov_node_new(r->doc, OV_ANCHOR, loc);
			a->tag = ov_intern(r->doc, "anchor");
			a->id = id;
			place_any(r, a);
		}
		return;
	}
	if (sp && !strcmp(name, "olink") && !has_content(xml)) {
		/* a link into another document with no words: octavo cannot resolve it, so its
		 * target is shown as written, "doc#ptr" */
		const char *doc = attr(r, xml, "targetdoc"), *ptr = attr(r, xml, "targetptr");
		const char *words = doc && ptr ? ov_printf(r->doc, "%s#%s", doc, ptr) : doc ? doc : ptr;
		ov_warn(r->d, loc, "<olink> with no words%s%s", words ? ": its target is shown, " : " and no target: nothing is shown",
			words ? words : "");
		if (words) {
			OvNode *n = ov_node_new(r->doc, OV_PHRASE, loc);
			n->tag = ov_intern(r->doc, "olink");
			read_common_attrs(r, xml, n);
			ov_node_append(n, text_node(r, loc, words));
			place_inline(r, n);
		}
		return;
	}
	if (sp && sp->type == OV_TITLE && sp->act == ACT_NODE && in_qandaset(xml->parent))
		sp = spec_lookup("bridgehead"); /* a heading where it stands, in no table of contents */
	if (sp && sp->act == ACT_NODE && (sp->type == OV_TITLE || sp->type == OV_SUBTITLE) && in_unknown(xml) &&
	    target_takes_blocks(owner(r)->target))
		sp = spec_lookup("bridgehead"); /* an unknown element's title: a heading where it stands */
	else if (is_info(xml->parent) && in_unknown(xml) &&
		 !(sp && sp->act == ACT_NODE && ov_type_info[sp->type].level == OV_LEVEL_BLOCK) &&
		 !(sp && (sp->act == ACT_INDEXTERM || sp->act == ACT_IGNORE))) {
		ov_warn(r->d, loc, "<%s> in the info of <%s> is not shown: octavo has no place for it", name,
			(const char *)xml->parent->parent->name);
		return;
	}

	if (sp == NULL && !strcmp(name, "math") && xml->parent && child_element(xml->parent, "alt")) {
		/* MathML beside the equation's alt: neither output sets MathML, and its text
		 * ("E=mc2") would run into the alt's words; the alt stands for it */
		ov_warn(r->d, loc, "MathML <math> is not set: its equation's <alt> stands for it");
		return;
	}
	if (sp == NULL) {
		warn_unknown(r, xml, "unknown element");
		if (target_takes_blocks(owner(r)->target) && holds_blocks(r, xml)) {
			push_element(r, xml, NULL, NULL);
			return;
		}
		if (xml->prev && xml->prev->type == XML_ELEMENT_NODE && !is_xinclude(xml->prev, "include") &&
		    (!is_docbook(xml->prev) || spec_lookup((const char *)xml->prev->name) == NULL) &&
		    (!target_takes_blocks(owner(r)->target) || !holds_blocks(r, xml->prev)))
			/* two unknown elements written together (<lhs>a</lhs><rhs>b</rhs>): their
			 * words set apart, not run into one */
			place_inline(r, text_node(r, loc, " "));
		enter_node(r, xml, NULL, OV_PHRASE, loc);
		return;
	}
	switch (sp->act) {
	case ACT_ROOT: {
		/* an article or a book inside a book (collected papers): a division of it, never
		 * the book itself, so its info is its own (a byline under its title), not the
		 * book's metadata. In the book or a part: a chapter (a book: a part, when it
		 * stands in the book); deeper: a section. */
		OvNode *t = owner(r)->target;
		OvType as = OV_SECTION;
		if (t->type == OV_DOCUMENT && !strcmp(name, "book"))
			as = OV_PART;
		else if (t->type == OV_DOCUMENT || t->type == OV_PART)
			as = OV_CHAPTER;
		ov_warn(r->d, loc, "<%s> inside a document: set as a %s, its info as the %s's own", name,
			ov_type_name(as), ov_type_name(as));
		enter_node(r, xml, sp, as, loc);
		return;
	}
	case ACT_INFO: {
		Frame fr = { 0 };
		if (in_qandaset(xml->parent) || in_unknown(xml)) {
			/* a set's or its division's: its title a bridgehead; an unknown element's
			 * (a task's): no division's, read where it stands (enter_element) */
			push_element(r, xml, NULL, NULL);
			return;
		}
		OvNode *div = owner(r)->target;
		fr.kind = FR_ELEMENT;
		fr.xml = xml;
		fr.info_div = div;
		push(r, fr);
		return;
	}
	case ACT_TRANSPARENT:
		push_element(r, xml, NULL, NULL);
		if ((top(r)->keep_id = attr_id(r, xml)) != NULL)
			top(r)->before = owner(r)->target ? owner(r)->target->last : NULL;
		return;
	case ACT_QANDA:
		enter_qanda(r, xml);
		return;
	case ACT_CO:
		enter_co(r, xml, loc);
		return;
	case ACT_CALLOUT:
		enter_callout(r, xml, loc);
		return;
	case ACT_AREASPEC:
		enter_areaspec(r, xml, loc);
		return;
	case ACT_TGROUP: {
		OvNode *t = owner(r)->target;
		if (t->type != OV_TABLE) {
			ov_warn(r->d, loc, "<tgroup> outside a table");
			push_element(r, xml, NULL, NULL);
			return;
		}
		if (t->u.table.ncols == 0) {
			/* the first tgroup is the table: links to it go to the table */
			const char *id = attr_id(r, xml);
			if (id && t->id == NULL)
				t->id = id;
			else if (id)
				ov_warn(r->d, loc, "<tgroup xml:id=\"%s\">: its table has an id of its own; links to this one will fail", id);
			read_tgroup(r, xml, t, f->file);
			push_element(r, xml, NULL, NULL);
		} else {
			/* another tgroup: a table of its own columns, after the first and the others
			 * before it, in their order */
			OvNode *more = ov_node_new(r->doc, OV_TABLE, loc), *after = t;
			while (after->next && after->next->type == OV_TABLE && (after->next->flags & OV_F_CONTINUED) &&
			       g_strcmp0(after->next->tag, "tgroup") == 0)
				after = after->next;
			more->tag = ov_intern(r->doc, "tgroup");
			more->flags |= OV_F_IMPLICIT | OV_F_CONTINUED;
			ov_node_insert_after(after, more);
			more->id = attr_id(r, xml);
			read_tgroup(r, xml, more, f->file);
			push_element(r, xml, more, more);
		}
		return;
	}
	case ACT_IGNORE:
		title_abbrev(r, xml, owner(r)->target);
		if (attr_id(r, xml) && (!strcmp(name, "colspec") || !strcmp(name, "spanspec")))
			ov_warn(r->d, loc, "<%s xml:id=\"%s\">: a column is no place to link to; links to it will fail", name,
				attr_id(r, xml));
		if ((!strcmp(name, "toc") || !strcmp(name, "lot")) && has_content(xml))
			ov_warn(r->d, loc, "a written <%s> is not shown: octavo makes the contents from the book", name);
		if (!strcmp(name, "refmeta"))
			not_shown(r, xml, "refentrytitle", "manvolnum");
		if (!strcmp(name, "audioobject") || !strcmp(name, "videoobject"))
			ov_warn(r->d, loc, "<%s> is not shown: neither output plays sound or video (its media object's image or text stands for it)",
				name);
		return;
	case ACT_INDEXTERM:
		read_indexterm(r, xml, f->file);
		return;
	case ACT_IMAGEDATA:
		read_imagedata(r, xml, f->file);
		return;
	case ACT_GRAPHIC:
		/* what DocBook 4 means by it: a mediaobject (an inlinemediaobject) holding one
		 * imagedata with the graphic's own fileref, sizes and alignment; in a figure, the
		 * figure's picture */
	{
		const char *file = f->file; /* f may move as the stack grows */
		enter_node(r, xml, sp, sp->type, loc);
		read_imagedata(r, xml, file);
		return;
	}
	case ACT_TEXTOBJECT:
		read_alt(r, xml);
		return;
	case ACT_NODE:
		break;
	}
	if (sp->type == OV_ROW) {
		OvNode *t = owner(r)->target;
		OvNode *body = t->type == OV_TABLE ? row_target(r, t, loc) : NULL;
		if (body) {
			OvNode *n = ov_node_new(r->doc, OV_ROW, loc);
			n->tag = ov_intern(r->doc, name);
			read_common_attrs(r, xml, n);
			ov_node_append(body, n);
			push_element(r, xml, n, n);
			return;
		}
	}
	if (sp->type == OV_TABLE && !strcmp(name, "entrytbl") && owner(r)->target->type == OV_ROW) {
		/* an entrytbl stands in a row where an entry would: it gets a cell of its own */
		OvNode *cell = ov_node_new(r->doc, OV_CELL, loc);
		Frame fr = { 0 };
		cell->tag = ov_intern(r->doc, "entry");
		cell->flags |= OV_F_IMPLICIT;
		read_node_attrs(r, xml, cell, spec_lookup("entry"));
		ov_node_append(owner(r)->target, cell);
		fr.kind = FR_ELEMENT;
		fr.node = cell;
		fr.target = cell;
		push(r, fr); /* no children of its own: it ends after the entrytbl */
	}
	if (!strcmp(name, "reference") || !strcmp(name, "refentry") || !strcmp(name, "refsynopsisdiv") ||
	    !strncmp(name, "refsect", 7)) {
		enter_ref(r, xml, sp, loc);
		return;
	}
	if (!strcmp(name, "refname") || !strcmp(name, "refpurpose") || !strcmp(name, "refdescriptor"))
		refname_separator(r, xml, loc);
	if (!strcmp(name, "segmentedlist")) {
		enter_seglist(r, xml, loc);
		return;
	}
	if (!strcmp(name, "sbr") && f->verbatim) {
		OvNode *t = text_node(r, loc, "\n"); /* a line break in a synopsis: its own */
		place_inline(r, t);
		return;
	}
	if (sp->type == OV_CAPTION && owner(r)->target->type == OV_TABLE) {
		enter_node(r, xml, sp, OV_TITLE, loc); /* an HTML table's caption is its title */
		return;
	}
	if ((sp->type == OV_SIMPLELIST && inline_list(xml)) ||
	    (sp->type == OV_LISTITEM && !strcmp(name, "member") && inline_list(xml->parent))) {
		/* simplelist type="inline": its members in the running text, "A4, Letter, Legal" */
		OvNode *list = owner(r)->target;
		while (sp->type == OV_LISTITEM && list->last && list->last->type == OV_TEXT &&
		       is_space(list->last->text, strlen(list->last->text)))
			ov_node_unlink(list->last); /* the source's line breaks between members */
		if (sp->type == OV_LISTITEM && list->last)
			ov_node_append(list, text_node(r, loc, ", "));
		enter_node(r, xml, sp, OV_PHRASE, loc);
		return;
	}
	if (sp->type == OV_TITLE && f->info_div == NULL && !target_takes_blocks(owner(r)->target)) {
		enter_node(r, xml, sp, OV_PHRASE, loc);
		return;
	}
	enter_node(r, xml, sp, sp->type, loc);
}

/* ---- XInclude ---- */

static xmlNode *
xinclude_fallback(xmlNode *xml)
{
	for (xmlNode *c = xml->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && is_xinclude(c, "fallback"))
			return c;
	return NULL;
}

static gboolean
has_scheme(const char *href)
{
	const char *p = href;
	if (!g_ascii_isalpha(*p))
		return FALSE;
	while (g_ascii_isalnum(*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':' && p - href > 1; /* "C:" style drive letters do not occur here */
}

/* Where an href points, as a path to open and show (relative to the including file), and
 * checked: no URL, inside the book's folder, existing, not already being included.
 * NULL (with an error, or silently for a missing file when quiet_missing) otherwise. */
static char *
include_resolve(Reader *r, const char *from_file, const char *href, OvLoc loc, gboolean quiet_missing,
		char **real_out)
{
	char *dir, *path, *real;
	gsize dlen;

	if (href == NULL || *href == '\0') {
		ov_error(r->d, loc, "xi:include without href");
		return NULL;
	}
	if (has_scheme(href)) {
		ov_error(r->d, loc, "XInclude of \"%s\" refused: octavo reads only files inside the book's folder, never URLs", href);
		return NULL;
	}
	if (g_path_is_absolute(href)) {
		path = g_strdup(href);
	} else {
		dir = g_path_get_dirname(from_file);
		path = strcmp(dir, ".") == 0 ? g_strdup(href) : g_build_filename(dir, href, NULL);
		g_free(dir);
	}
	real = realpath(path, NULL);
	if (real == NULL) {
		int e = errno;
		if (!(quiet_missing && e == ENOENT))
			ov_error(r->d, loc, "cannot read XInclude \"%s\": %s", href, g_strerror(e));
		g_free(path);
		return NULL;
	}
	dlen = strlen(r->doc->dir);
	if (strncmp(real, r->doc->dir, dlen) != 0 || (real[dlen] != '/' && real[dlen] != '\0') ||
	    strcmp(r->doc->dir, "/") == 0) {
		ov_error(r->d, loc, "XInclude of \"%s\" refused: it is outside the book's folder %s", href, r->doc->dir);
		free(real);
		g_free(path);
		return NULL;
	}
	{
		struct stat st;
		if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) { /* a pipe or a device could block forever */
			ov_error(r->d, loc, "cannot read XInclude \"%s\": it is not a plain file", href);
			free(real);
			g_free(path);
			return NULL;
		}
	}
	for (guint i = 0; i < r->incl_chain->len; i++)
		if (strcmp(g_ptr_array_index(r->incl_chain, i), real) == 0) {
			ov_error(r->d, loc, "XInclude loop: \"%s\" includes itself, directly or through other files", href);
			free(real);
			g_free(path);
			return NULL;
		}
	*real_out = real;
	return path;
}

static void
enter_include(Reader *r, xmlNode *xml)
{
	Frame *f = top(r);
	const char *file = f->file;
	OvLoc loc = loc_of(r, file, xml);
	const char *href = attr(r, xml, "href");
	const char *parse = attr(r, xml, "parse");
	xmlNode *fallback = xinclude_fallback(xml);
	char *real = NULL, *path;
	const char *shown;
	guint before;

	if (attr(r, xml, "xpointer")) {
		ov_error(r->d, loc, "xi:include xpointer is not supported: include whole files");
		return;
	}
	if (parse && strcmp(parse, "xml") && strcmp(parse, "text")) {
		ov_error(r->d, loc, "xi:include parse=\"%s\": only \"xml\" and \"text\" exist", parse);
		return;
	}
	if (r->incl_chain->len >= MAX_INCLUDE_DEPTH) {
		ov_error(r->d, loc, "XIncludes nested more than %d deep", MAX_INCLUDE_DEPTH);
		return;
	}
	before = r->d->errors;
	path = include_resolve(r, file, href, loc, fallback != NULL, &real);
	if (path == NULL) {
		if (fallback && r->d->errors == before) {
			Frame fr = { 0 };
			fr.kind = FR_FALLBACK;
			fr.xml = fallback;
			push(r, fr);
		}
		return;
	}
	shown = ov_intern(r->doc, path);
	g_ptr_array_add(r->doc->files, (gpointer)shown);
	if (parse && !strcmp(parse, "text")) {
		char *buf = NULL;
		gsize len = 0;
		const char *enc = attr(r, xml, "encoding");
		if (enc && g_ascii_strcasecmp(enc, "utf-8") && g_ascii_strcasecmp(enc, "us-ascii"))
			ov_error(r->d, loc, "xi:include encoding=\"%s\": text includes must be UTF-8", enc);
		else if (!g_file_get_contents(real, &buf, &len, NULL))
			ov_error(r->d, loc, "cannot read XInclude \"%s\"", href);
		else if (!g_utf8_validate_len(buf, len, NULL) || memchr(buf, 0, len))
			ov_error(r->d, loc, "XInclude \"%s\" is not valid UTF-8 text", href);
		else
			add_text(r, file, xml, buf, len);
		g_free(buf);
	} else {
		xmlDoc *xd = parse_file(r, shown, real, loc);
		xmlNode *root = xd ? xmlDocGetRootElement(xd) : NULL;
		if (root) {
			Frame fr = { 0 };
			fr.kind = FR_INCLUDE;
			fr.file = shown;
			push(r, fr);
			top(r)->child = root;
			top(r)->xml = xml;
			g_ptr_array_add(r->incl_chain, g_strdup(real));
		}
	}
	free(real);
	g_free(path);
}

/* ---- entities ---- */

static void
enter_entity(Reader *r, xmlNode *ref)
{
	Frame *f = top(r);
	xmlEntity *e = xmlGetDocEntity(ref->doc, ref->name);
	OvLoc loc = loc_of(r, f->file, ref->parent);
	int depth = 0;

	if (e == NULL) {
		gunichar c = builtin_entity((const char *)ref->name);
		char buf[8];
		if (c) {
			int n = g_unichar_to_utf8(c, buf);
			add_text(r, f->file, ref->parent, buf, (gsize)n);
		} else {
			ov_error(r->d, loc, "undefined entity '&%s;'", ref->name);
		}
		return;
	}
	if (e->etype != XML_INTERNAL_GENERAL_ENTITY)
		return; /* refused, with an error, when the file was parsed (sax_reference) */
	if (g_hash_table_contains(r->open_entities, e)) {
		ov_error(r->d, loc, "entity '&%s;' refers to itself", ref->name);
		return;
	}
	depth = (int)g_hash_table_size(r->open_entities);
	if (depth >= MAX_ENTITY_DEPTH) {
		ov_error(r->d, loc, "entities nested more than %d deep", MAX_ENTITY_DEPTH);
		return;
	}
	if (e->children) {
		Frame fr = { 0 };
		fr.kind = FR_ENTITY;
		fr.xml = (xmlNode *)e;
		fr.ref_loc = loc;
		push(r, fr);
	} else if (e->content) {
		add_text(r, f->file, ref->parent, (const char *)e->content, strlen((const char *)e->content));
	}
}

/* ---- the walk ---- */

/* Where the outermost entity being expanded was referenced. */
static OvLoc
entity_loc(Reader *r)
{
	for (guint i = 0; i < r->stack->len; i++) {
		Frame *g = &g_array_index(r->stack, Frame, i);
		if (g->kind == FR_ENTITY)
			return g->ref_loc;
	}
	return ov_loc(top(r)->file, 0, 0);
}

static gboolean
in_entity(Reader *r)
{
	return g_hash_table_size(r->open_entities) > 0;
}

/* A key combination or a menu choice, its parts joined: "Ctrl+S" (a sequence of keys: "Esc
 * x"), "File → Save" with the shortcut last in brackets: "File → Save (Ctrl+S)". The source's
 * whitespace between the parts goes. */
static void
join_parts(Reader *r, xmlNode *xml, OvNode *n)
{
	gboolean menu = !strcmp(n->tag, "menuchoice");
	const char *action = attr(r, xml, "action");
	const char *sep = menu ? "\xC2\xA0\xE2\x86\x92 " /* no-break space, →, space */
			       : g_strcmp0(action, "seq") == 0 ? " " : "+";
	GPtrArray *shortcuts = g_ptr_array_new();
	OvNode *prev_part = NULL, *next;
	gboolean written = FALSE; /* words between two parts: the source's own separator */

	for (OvNode *c = n->first; c; c = next) {
		next = c->next;
		if (c->type == OV_TEXT && is_space(c->text, strlen(c->text))) {
			ov_node_unlink(c);
		} else if (menu && c->tag && !strcmp(c->tag, "shortcut")) {
			ov_node_unlink(c);
			g_ptr_array_add(shortcuts, c);
		} else if (c->type == OV_TEXT) {
			written = TRUE;
		} else if (c->type != OV_INDEXTERM && c->type != OV_ANCHOR && c->type != OV_FOOTNOTE) {
			/* a part: a key, a menu's item, a mouse button */
			if (prev_part && !written) {
				OvNode *t = ov_node_new(r->doc, OV_TEXT, c->loc);
				t->text = sep;
				ov_node_insert_after(c->prev, t);
			}
			prev_part = c;
			written = FALSE;
		}
	}
	for (guint i = 0; i < shortcuts->len; i++) {
		OvNode *sc = g_ptr_array_index(shortcuts, i), *t = ov_node_new(r->doc, OV_TEXT, sc->loc);
		t->text = i > 0 ? ", " : n->first ? " (" : "(";
		ov_node_append(n, t);
		ov_node_append(n, sc);
		if (i + 1 == shortcuts->len) {
			t = ov_node_new(r->doc, OV_TEXT, sc->loc);
			t->text = ")";
			ov_node_append(n, t);
		}
	}
	g_ptr_array_free(shortcuts, TRUE);
}

static OvNode *
text_node(Reader *r, OvLoc loc, const char *text)
{
	OvNode *t = ov_node_new(r->doc, OV_TEXT, loc);
	t->text = text;
	return t;
}

/* Is c an element whose tag is one of the NULL-terminated names? */
static gboolean
tag_in(const OvNode *c, const char *const *names)
{
	for (; c->type != OV_TEXT && c->tag && *names; names++)
		if (!strcmp(c->tag, *names))
			return TRUE;
	return FALSE;
}

/* A person's name in the text: its parts set apart by a space where the source has none
 * ("<firstname>Ann</firstname><surname>Lee</surname>": "Ann Lee", as in the book's info). */
static void
space_name_parts(Reader *r, OvNode *n)
{
	static const char *const parts[] = { "honorific", "firstname", "givenname", "othername", "surname", "lineage", NULL };
	for (OvNode *c = n->first; c && c->next; c = c->next)
		if ((tag_in(c, parts) && tag_in(c->next, parts)) ||
		    (c->type != OV_TEXT && g_strcmp0(c->next->tag, "contrib") == 0)) /* "Ann Lee wrote it" */
			ov_node_insert_after(c, text_node(r, c->loc, " "));
}

/* Is c a text node of white space only (the source's indentation)? */
static gboolean
is_space_text(const OvNode *c)
{
	return c && c->type == OV_TEXT && is_space(c->text, strlen(c->text));
}

/* An author group's names, "Ann Lee, Bob Ray", where the source sets nothing between them but
 * white space (one author to a line, indented): that white space becomes the comma, and white
 * space at the group's ends goes, so that nothing stands between the last name and the stop a
 * bibliography entry sets after the group ("Bob Ray." not "Bob Ray ."). */
static void
comma_authors(Reader *r, OvNode *n)
{
	while (is_space_text(n->first))
		ov_node_unlink(n->first);
	while (is_space_text(n->last))
		ov_node_unlink(n->last);
	for (OvNode *c = n->first; c && c->next; c = c->next) {
		OvNode *e = c->next, *next;
		if (c->type == OV_TEXT || c->type == OV_INDEXTERM || c->type == OV_ANCHOR)
			continue;
		/* an index term or an anchor between two names shows nothing */
		while (is_space_text(e) || (e && (e->type == OV_INDEXTERM || e->type == OV_ANCHOR)))
			e = e->next;
		if (e == NULL || e->type == OV_TEXT)
			continue; /* words of the source's own between them: "A and B" */
		for (OvNode *s = c->next; s != e; s = next) {
			next = s->next;
			if (s->type == OV_TEXT)
				ov_node_unlink(s);
		}
		ov_node_insert_after(c, text_node(r, c->loc, ", "));
	}
}

/* A trademark's sign, by its class (™ by default, as DocBook's stylesheets). */
static const char *
trademark_sign_of(const char *cls)
{
	return g_strcmp0(cls, "registered") == 0  ? "\xC2\xAE"     /* ® */
	       : g_strcmp0(cls, "service") == 0   ? "\xE2\x84\xA0" /* ℠ */
	       : g_strcmp0(cls, "copyright") == 0 ? "\xC2\xA9"     /* © */
						  : "\xE2\x84\xA2"; /* ™ */
}

/* A trademark's sign after it. */
static void
trademark_sign(Reader *r, xmlNode *xml, OvNode *n)
{
	ov_node_append(n, text_node(r, n->loc, trademark_sign_of(attr(r, xml, "class"))));
}

/* A glossary entry's acronym or abbreviation, after its term: "Widget (WG)". */
static const char *const bracketed[] = { "acronym", "abbrev", NULL };
static gboolean has_words(const OvNode *n);

static void
bracket_acronym(Reader *r, OvNode *n)
{
	OvNode *prev = n->prev, *p = prev;
	if (!has_words(n))
		return;
	if (prev == NULL) /* first in its term: the term after it is set apart when it ends */
		return;
	while (p && p->type == OV_TEXT && is_space(p->text, strlen(p->text)))
		p = p->prev;
	if (p && p->type == OV_TEXT && !strcmp(p->text, ")") && p->prev && tag_in(p->prev, bracketed))
		p->text = ","; /* another one: "Widget (WG, Wdg.)" */
	else
		ov_node_insert_after(prev, text_node(r, n->loc, " ("));
	ov_node_insert_after(n, text_node(r, n->loc, ")"));
}

/* An empty keycap names its key by its function ("Ctrl", "Esc"). */
static void
keycap_name(Reader *r, xmlNode *xml, OvNode *n)
{
	static const struct { const char *function, *name; } keys[] = {
		{ "alt", "Alt" }, { "backspace", "Backspace" }, { "command", "\xE2\x8C\x98" }, { "control", "Ctrl" },
		{ "delete", "Del" }, { "down", "\xE2\x86\x93" }, { "end", "End" }, { "enter", "Enter" },
		{ "escape", "Esc" }, { "home", "Home" }, { "insert", "Ins" }, { "left", "\xE2\x86\x90" },
		{ "meta", "Meta" }, { "option", "Option" }, { "pagedown", "PgDn" }, { "pageup", "PgUp" },
		{ "right", "\xE2\x86\x92" }, { "shift", "Shift" }, { "space", "Space" }, { "tab", "Tab" },
		{ "up", "\xE2\x86\x91" },
	};
	const char *f = attr(r, xml, "function");
	for (OvNode *c = n->first; c; c = c->next)
		if (c->type != OV_TEXT || !is_space(c->text, strlen(c->text)))
			return; /* it names itself */
	for (gsize i = 0; f && i < G_N_ELEMENTS(keys); i++)
		if (!strcmp(f, keys[i].function)) {
			ov_node_append(n, text_node(r, n->loc, keys[i].name));
			return;
		}
	if (f && !strcmp(f, "other") && attr(r, xml, "otherfunction")) /* a key DocBook has no name for */
		ov_node_append(n, text_node(r, n->loc, attr(r, xml, "otherfunction")));
}

/* n's words, white space at the end left out (a new string). */
static char *
words_chomped(const OvNode *n)
{
	GString *t = g_string_new(NULL);
	ov_node_text(n, t);
	g_strchomp(t->str);
	return g_string_free(t, FALSE);
}

/* Do n's words end without a stop of their own (., ! or ?)? */
static gboolean
needs_stop(const OvNode *n)
{
	char *t = words_chomped(n);
	gboolean needs = t[0] && !strchr(".!?", t[strlen(t) - 1]);
	g_free(t);
	return needs;
}

static gboolean
has_words(const OvNode *n)
{
	char *t = words_chomped(n);
	gboolean has = *g_strchug(t) != '\0';
	g_free(t);
	return has;
}

/* White space at the end of a field (the source's line break before its end tag), taken out
 * so that the stop set after the field follows its last word. */
static void
chomp_field(Reader *r, OvNode *n)
{
	while (n && n->type != OV_TEXT && n->type != OV_FOOTNOTE) {
		while (is_space_text(n->last))
			ov_node_unlink(n->last);
		n = n->last;
	}
	if (n && n->text && n->text[0] && is_xml_space(n->text[strlen(n->text) - 1]))
		n->text = g_strchomp((char *)ov_printf(r->doc, "%s", n->text));
}

/* Is n a text node of white space only? */
static gboolean
blank_text(const OvNode *n)
{
	return n && n->type == OV_TEXT && is_space(n->text, strlen(n->text));
}

/* Between every two parts of n (its element children) that the source does not set apart,
 * sep; with drop, the white space the source writes between them goes first (sep stands for
 * it). */
static void
set_apart(Reader *r, OvNode *n, const char *sep, gboolean drop)
{
	for (OvNode *c = n->first; c; c = c->next) {
		OvNode *prev;
		if (c->type == OV_TEXT)
			continue;
		while (drop && blank_text(c->prev))
			ov_node_unlink(c->prev);
		prev = c->prev;
		if (prev && prev->type != OV_TEXT)
			ov_node_insert_after(prev, text_node(r, c->loc, sep));
	}
}

/* A compound field of a bibliography entry, its parts set apart as DocBook's stylesheets
 * set them: a copyright "© 1999, 2003 Holder", a publisher "Name, City, State" (its address's
 * parts joined by commas too), whatever white space the source writes between them. */
static void
join_field(Reader *r, OvNode *n)
{
	const char *tag = n->tag;
	if (n->type != OV_PHRASE || tag == NULL)
		return;
	if (!strcmp(tag, "copyright")) {
		OvNode *prev = NULL;
		for (OvNode *c = n->first, *next; c; c = next) {
			next = c->next;
			if (blank_text(c)) {
				ov_node_unlink(c);
				continue;
			}
			if (prev)
				ov_node_insert_after(prev, text_node(r, c->loc, g_strcmp0(prev->tag, "year") == 0 &&
								       g_strcmp0(c->tag, "year") == 0 ? ", " : " "));
			prev = c;
		}
		ov_node_prepend(n, text_node(r, n->loc, "\xC2\xA9 "));
	} else if (!strcmp(tag, "publisher") || !strcmp(tag, "address") || !strcmp(tag, "confgroup")) {
		for (OvNode *c = n->first; c; c = c->next)
			join_field(r, c);
		set_apart(r, n, ", ", TRUE);
		while (blank_text(n->first))
			ov_node_unlink(n->first);
		while (blank_text(n->last))
			ov_node_unlink(n->last);
	}
}

/* A bibliography entry's fields, in order: those of a biblioset are the entry's too. */
static void
biblio_fields(OvNode *n, GPtrArray *fields)
{
	for (OvNode *c = n->first; c; c = c->next) {
		if (c->type == OV_TEXT || c->type == OV_ANCHOR || c->type == OV_INDEXTERM || c->type == OV_FOOTNOTE)
			continue;
		if (c->type == OV_PHRASE && g_strcmp0(c->tag, "biblioset") == 0)
			biblio_fields(c, fields); /* a loop would do; bibliosets nest a level or two */
		else
			g_ptr_array_add(fields, c);
	}
}

/* A bibliography entry's fields set apart: its abbreviation in brackets first, "[Lee24]";
 * in a biblioentry (fields alone, no punctuation of the author's) each field ends with a full
 * stop, unless it ends with punctuation of its own, and the title is in italics; a
 * biblioset's fields (an article's, then its journal's) are set as the entry's own. */
static void
punctuate_biblio(Reader *r, OvNode *n, gboolean entry)
{
	OvNode *last = NULL;
	GPtrArray *fields = g_ptr_array_new();

	if (entry)
		biblio_fields(n, fields);
	else
		for (OvNode *c = n->first; c; c = c->next)
			if (!(c->type == OV_TEXT || c->type == OV_ANCHOR || c->type == OV_INDEXTERM || c->type == OV_FOOTNOTE))
				g_ptr_array_add(fields, c);
	for (guint i = 0; i < fields->len; i++) {
		OvNode *c = g_ptr_array_index(fields, i);
		if (c->tag && !strcmp(c->tag, "abbrev") && !has_words(c)) /* empty: nothing to set */
			continue;
		if (c->tag && !strcmp(c->tag, "abbrev")) {
			ov_node_prepend(c, text_node(r, c->loc, "["));
			ov_node_append(c, text_node(r, c->loc, "]"));
			ov_node_insert_after(c, text_node(r, c->loc, " "));
			continue;
		}
		if (!entry)
			continue;
		join_field(r, c);
		if (c->type == OV_PHRASE && c->tag && !strcmp(c->tag, "title"))
			c->u.em.style |= OV_STYLE_ITALIC;
		if (last) {
			chomp_field(r, last);
			ov_node_insert_after(last, text_node(r, last->loc, needs_stop(last) ? ". " : " "));
		}
		last = c;
	}
	g_ptr_array_free(fields, TRUE);
	if (last)
		chomp_field(r, last);
	if (last && needs_stop(last))
		ov_node_insert_after(last, text_node(r, last->loc, "."));
}

/* A glossary's "See X" and "See also X" end with a full stop, as a sentence (and as DocBook's
 * stylesheets set them), unless the words written there end with punctuation of their own. An
 * xref's words are not known yet (the resolver makes them): one that ends the line gets the
 * stop. */
static void
stop_glosssee(Reader *r, OvNode *n)
{
	char *t;
	gsize len;
	gboolean own;

	chomp_field(r, n);
	t = words_chomped(n);
	len = strlen(t);
	own = n->last && n->last->type != OV_XREF && len &&
	      (strchr(".!?:;", t[len - 1]) || g_str_has_suffix(t, "\xE2\x80\xA6") /* … */);
	g_free(t);
	if (!own)
		ov_node_append(n, text_node(r, n->loc, "."));
}

/* Is xml a qandaset or a qandadiv, or the info of one? */
static gboolean
in_qandaset(xmlNode *xml)
{
	if (xml && xml->type == XML_ELEMENT_NODE && (!strcmp((const char *)xml->name, "info") ||
						     !strcmp((const char *)xml->name, "blockinfo")))
		xml = xml->parent;
	return xml && xml->type == XML_ELEMENT_NODE &&
	       (!strcmp((const char *)xml->name, "qandaset") || !strcmp((const char *)xml->name, "qandadiv"));
}

/* The qandaset around a question or answer, or NULL. */
static xmlNode *
qandaset_of(xmlNode *xml)
{
	for (xmlNode *p = xml->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
		if (!strcmp((const char *)p->name, "qandaset"))
			return p;
	return NULL;
}

/* Count the elements called name in xml's subtree, in document order, up to upto (itself
 * included; not inside one called name or stop): TRUE once it is met. */
static gboolean
count_named(xmlNode *xml, xmlNode *upto, const char *name, const char *stop, int *n)
{
	for (xmlNode *c = next_element(xml, xml, FALSE); c;) {
		if (stop && !strcmp((const char *)c->name, stop)) {
			c = next_element(xml, c, TRUE);
			continue;
		}
		if (!strcmp((const char *)c->name, name)) {
			++*n;
			if (c == upto)
				return TRUE;
			c = next_element(xml, c, TRUE);
			continue;
		}
		c = next_element(xml, c, FALSE);
	}
	return FALSE;
}

/* A question or an answer: its blocks go where it stands; the first starts with a label, its
 * own (label) or the qandaset's defaultlabel: "qanda" (the default: "Q:", "A:" in the book's
 * language), "number" (questions numbered 1., 2. … in their qandaset), "none". */
static void
enter_qanda(Reader *r, xmlNode *xml)
{
	gboolean question = !strcmp((const char *)xml->name, "question");
	xmlNode *set = qandaset_of(xml);
	const char *how = set ? attr(r, set, "defaultlabel") : NULL;
	const char *own = child_plain(r, xml, "label"), *label = NULL;
	Frame *f;

	if (own) {
		label = own;
	} else if (g_strcmp0(how, "number") == 0 && question && set) {
		int n = 0;
		count_named(set, xml, "question", "qandaset", &n);
		label = ov_printf(r->doc, "%d.", n);
	} else if (g_strcmp0(how, "none") != 0 && g_strcmp0(how, "number") != 0) {
		label = ov_gentext_lang(r->doc->root ? r->doc->root->lang : NULL, question ? OV_GT_QUESTION : OV_GT_ANSWER);
	}
	push_element(r, xml, NULL, NULL);
	f = top(r);
	f->qa_label = label;
	f->qa = TRUE;
	f->keep_id = attr_id(r, xml);
	f->before = owner(r)->target->last;
}

/* A question or answer ends: its label goes at the start of its first paragraph (a paragraph
 * of its own before anything else). */
static void
finish_qanda(Reader *r, const Frame *f)
{
	OvNode *target = r->stack->len ? owner(r)->target : NULL;
	OvNode *first = f->before ? f->before->next : target ? target->first : NULL;
	OvNode *em, *t, *para;

	if (target == NULL)
		return;
	while (first && (first->type == OV_INDEXTERM || first->type == OV_ANCHOR)) /* set nowhere */
		first = first->next;
	para = first;
	/* a paragraph of its own when it begins with anything else (a list, a question of a set
	 * inside an answer) */
	if (para == NULL || para->type != OV_PARA || (para->tag && (!strcmp(para->tag, "question") || !strcmp(para->tag, "answer")))) {
		if (f->qa_label == NULL) /* no label to set: no paragraph to make for it */
			return;
		para = ov_node_new(r->doc, OV_PARA, loc_of(r, f->file, f->xml));
		para->tag = ov_intern(r->doc, "para");
		if (first && first->prev)
			ov_node_insert_after(first->prev, para);
		else if (first)
			ov_node_prepend(target, para);
		else
			ov_node_append(target, para);
		first = para;
	}
	/* the outputs set it unindented, a question a little apart from the answer before (and
	 * an xref to a question shows its words), whether it has a label or none */
	para->tag = ov_intern(r->doc, (const char *)f->xml->name);
	if (f->qa_label == NULL)
		return;
	em = ov_node_new(r->doc, OV_EMPHASIS, para->loc);
	em->tag = ov_intern(r->doc, "label");
	em->u.em.style = OV_STYLE_BOLD;
	t = ov_node_new(r->doc, OV_TEXT, para->loc);
	t->text = f->qa_label;
	ov_node_append(em, t);
	if (para->first) {
		OvNode *sp = ov_node_new(r->doc, OV_TEXT, para->loc);
		sp->text = " ";
		ov_node_prepend(para, sp);
	}
	ov_node_prepend(para, em);
}

/* A transparent element's id (a qandaentry's, a question's): the first node made inside it
 * takes it, or an anchor at the start of its text. */
static void
keep_id(Reader *r, const Frame *f)
{
	OvNode *target = r->stack->len ? owner(r)->target : NULL;
	OvNode *first = target == NULL ? NULL : f->before ? f->before->next : target->first;
	OvNode *anchor;
	OvLoc loc = loc_of(r, f->file, f->xml);

	while (first && first->type == OV_INDEXTERM) /* set nowhere */
		first = first->next;
	if (first && first->id == NULL) {
		first->id = f->keep_id;
		return;
	}
	if (first && ov_type_info[first->type].content == OV_CONTENT_INLINES) {
		anchor = ov_node_new(r->doc, OV_ANCHOR, loc);
		anchor->tag = ov_intern(r->doc, "anchor");
		anchor->id = f->keep_id;
		ov_node_prepend(first, anchor);
		return;
	}
	ov_warn(r->d, loc, "<%s xml:id=\"%s\">: nothing inside to carry the id; links to it will fail",
		(const char *)f->xml->name, f->keep_id);
}

/* Is xml a listing callouts can mark? */
static gboolean
is_listing(xmlNode *xml)
{
	return xml->type == XML_ELEMENT_NODE &&
	       (!strcmp((const char *)xml->name, "programlisting") || !strcmp((const char *)xml->name, "screen") ||
		!strcmp((const char *)xml->name, "literallayout") || !strcmp((const char *)xml->name, "synopsis"));
}

/* A callout's mark, "(N)" in bold (a co's, an area's). */
static OvNode *
co_mark(Reader *r, OvLoc loc, int num)
{
	OvNode *n = ov_node_new(r->doc, OV_PHRASE, loc), *t = ov_node_new(r->doc, OV_TEXT, loc);
	n->tag = ov_intern(r->doc, "co");
	n->u.em.style = OV_STYLE_BOLD;
	t->text = ov_printf(r->doc, "(%d)", num);
	ov_node_append(n, t);
	return n;
}

/* A callout's mark: "(N)", N its place among the marks of its listing. */
static void
enter_co(Reader *r, xmlNode *xml, OvLoc loc)
{
	xmlNode *listing = xml->parent; /* the listing it marks (else the element it stands in) */
	OvNode *n;
	int num = 0;

	for (xmlNode *p = xml->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
		if (is_listing(p)) {
			listing = p;
			break;
		}
	count_named(listing, xml, "co", NULL, &num);
	if (listing == r->areas_listing) /* after the areas of the areaspec before it: one series */
		num += r->areas_num;
	n = co_mark(r, loc, num);
	read_common_attrs(r, xml, n);
	place_inline(r, n);
	if (n->id)
		g_hash_table_insert(r->callouts, (gpointer)n->id, GINT_TO_POINTER(num));
}

/* The line an area's mark ends: its coords' first number (units linecolumn, the default), the
 * second (linerange); 0 for other units. */
static int
area_line(Reader *r, xmlNode *area, const char *units)
{
	const char *coords = attr(r, area, "coords"), *u = attr(r, area, "units");
	char *end;
	long a, b;

	if (u == NULL)
		u = units;
	if (coords == NULL || (u && strcmp(u, "linecolumn") && strcmp(u, "linerange")))
		return 0;
	a = strtol(coords, &end, 10);
	b = strtol(end, &end, 10);
	if (u && !strcmp(u, "linerange") && b > 0)
		a = b;
	return a <= 0 ? 0 : a < 1000000 ? (int)a : 1000000; /* a line past any listing's end: marked at its end */
}

static void
add_area(Reader *r, xmlNode *area, const char *id, int num, const char *units)
{
	Area a = { id, NULL, area_line(r, area, units), num, loc_of(r, top(r)->file, area) };
	if (id)
		g_hash_table_insert(r->callouts, (gpointer)id, GINT_TO_POINTER(num));
	if (a.line == 0)
		ov_warn(r->d, a.loc, "<%s units=\"%s\" coords=\"%s\">: no line to mark (a mark needs units linecolumn or linerange and a line number); an anchor at the start of the listing",
			(const char *)area->name, attr(r, area, "units") ? attr(r, area, "units") : units ? units : "linecolumn",
			attr(r, area, "coords") ? attr(r, area, "coords") : "");
	g_array_append_val(r->areas, a);
}

/* Areas number their callouts in order, and mark the next listing at their lines' ends. */
static void
enter_areaspec(Reader *r, xmlNode *xml, OvLoc loc)
{
	const char *units = attr(r, xml, "units");
	int num = 0;

	g_array_set_size(r->areas, 0);
	r->areas_for = NULL;
	r->areas_listing = NULL;
	r->areas_num = 0;
	for (xmlNode *l = xml->next; l && r->areas_listing == NULL; l = l->next) /* in its programlistingco */
		if (is_listing(l))
			r->areas_listing = l;
	for (xmlNode *a = xml->children; a; a = a->next) {
		gboolean set;
		const char *set_id;
		guint first = r->areas->len;
		if (a->type != XML_ELEMENT_NODE)
			continue;
		num++;
		set = !strcmp((const char *)a->name, "areaset");
		if (!set) {
			add_area(r, a, attr_id(r, a), num, units);
			continue;
		}
		/* an areaset's areas share its number; the set's id goes on the first without one */
		set_id = attr_id(r, a);
		if (set_id)
			g_hash_table_insert(r->callouts, (gpointer)set_id, GINT_TO_POINTER(num));
		for (xmlNode *b = a->children; b; b = b->next)
			if (b->type == XML_ELEMENT_NODE) {
				const char *id = attr_id(r, b);
				if (id == NULL)
					id = set_id, set_id = NULL;
				add_area(r, b, id, num, attr(r, a, "units") ? attr(r, a, "units") : units);
			}
		if (set_id && r->areas->len > first) /* every area had an id of its own */
			g_array_index(r->areas, Area, first).set_id = set_id;
	}
	r->areas_num = num;
	if (r->areas_listing == NULL && r->areas->len) {
		ov_warn(r->d, loc, "<areaspec> with no listing after it in <%s>: its areas only number their callouts",
			xml->parent ? (const char *)xml->parent->name : "?");
		g_array_set_size(r->areas, 0);
	}
}

/* A mark "(N)", in bold, after a space; id its link target (and its areaset's, around it). */
static void
insert_mark(Reader *r, OvNode *after, OvNode *parent, const Area *a)
{
	OvNode *sp = ov_node_new(r->doc, OV_TEXT, a->loc), *n = co_mark(r, a->loc, a->num);
	sp->text = " ";
	n->id = a->id;
	if (a->set_id) {
		OvNode *set = ov_node_new(r->doc, OV_PHRASE, a->loc);
		set->tag = n->tag;
		set->u.em.style = OV_STYLE_BOLD;
		set->id = a->set_id;
		ov_node_append(set, n);
		n = set;
	}
	if (after)
		ov_node_insert_after(after, sp);
	else
		ov_node_prepend(parent, sp);
	ov_node_insert_after(sp, n);
}

/* Where a mark goes after the text node t of listing: after the co mark t is in, if any (the
 * listing's last text may be a co's "(N)": a mark inside it would read as part of it). */
static OvNode *
after_marks(const OvNode *listing, OvNode *t)
{
	for (OvNode *p = t->parent; p && p != listing; p = p->parent)
		if (p->type == OV_PHRASE && g_strcmp0(p->tag, "co") == 0)
			t = p;
	return t;
}

/* The listing an areaspec marks, read: each area's mark at the end of its line (before the
 * newline), an anchor at the start for one with no line; a line past the end is a warning. */
static void
place_areas(Reader *r, OvNode *listing)
{
	GPtrArray *texts = g_ptr_array_new();
	OvIter it;
	OvEvent ev;
	int line = 1;
	OvNode *last = NULL;
	gboolean ended = FALSE;

	ov_iter_init(&it, listing);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER && it.cur->type == OV_FOOTNOTE)
			ov_iter_skip_children(&it); /* set elsewhere: its lines are not the listing's */
		else if (ev == OV_EV_ENTER && it.cur->type == OV_TEXT)
			g_ptr_array_add(texts, it.cur);
	for (guint i = 0; i < r->areas->len; i++) {
		Area *a = &g_array_index(r->areas, Area, i);
		for (int k = 0; k < 2 && a->line == 0; k++) {
			const char *id = k ? a->set_id : a->id;
			OvNode *anchor;
			if (id == NULL)
				continue;
			anchor = ov_node_new(r->doc, OV_ANCHOR, a->loc);
			anchor->tag = ov_intern(r->doc, "anchor");
			anchor->id = id;
			anchor->xreflabel = ov_printf(r->doc, "(%d)", a->num); /* what an xref to it shows */
			ov_node_prepend(listing, anchor);
		}
	}
	for (guint k = 0; k < texts->len; k++) {
		OvNode *t = g_ptr_array_index(texts, k);
		const char *s = t->text, *nl;
		last = t;
		while ((nl = strchr(s, '\n')) != NULL) {
			gboolean here = FALSE;
			for (guint i = 0; i < r->areas->len && !here; i++)
				here = g_array_index(r->areas, Area, i).line == line;
			if (here) { /* the text up to the newline, the marks, the rest */
				OvNode *rest = ov_node_new(r->doc, OV_TEXT, t->loc), *at = t;
				rest->text = ov_strndup(r->doc, nl, strlen(nl));
				t->text = ov_strndup(r->doc, t->text, nl - t->text);
				ov_node_insert_after(t, rest);
				for (guint i = r->areas->len; i-- > 0;) {
					const Area *a = &g_array_index(r->areas, Area, i);
					if (a->line == line)
						insert_mark(r, at, NULL, a);
				}
				t = last = rest;
				s = rest->text;
				nl = s;
			}
			s = nl + 1;
			line++;
		}
	}
	/* the last line, with no newline after it; lines past the end, marked at the end of the
	 * last line (before a newline that ends the listing) */
	if (last && *last->text && last->text[strlen(last->text) - 1] == '\n') {
		gsize n = strlen(last->text);
		OvNode *nl = ov_node_new(r->doc, OV_TEXT, last->loc);
		nl->text = "\n";
		last->text = ov_strndup(r->doc, last->text, n - 1);
		ov_node_insert_after(last, nl);
		line--; /* the last line ended with the newline: its areas are marked */
		ended = TRUE;
	}
	for (guint i = r->areas->len; i-- > 0;) {
		const Area *a = &g_array_index(r->areas, Area, i);
		if (a->line == 0 || a->line < line || (ended && a->line == line))
			continue;
		if (a->line > line)
			ov_warn(r->d, a->loc, "area at line %d: the listing has %d line%s; marked at its end", a->line, line,
				line == 1 ? "" : "s");
		if (last)
			insert_mark(r, after_marks(listing, last), NULL, a);
		else
			insert_mark(r, NULL, listing, a);
	}
	g_ptr_array_free(texts, TRUE);
	g_array_set_size(r->areas, 0);
}

/* A callout: a calloutlist's entry, its mark ("(N)": the number of the first co or area it
 * refers to, else its place in the list) as the term, its blocks as the item. */
static void
enter_callout(Reader *r, xmlNode *xml, OvLoc loc)
{
	OvNode *entry = ov_node_new(r->doc, OV_VARLISTENTRY, loc), *term = ov_node_new(r->doc, OV_TERM, loc),
	       *item = ov_node_new(r->doc, OV_LISTITEM, loc), *t = ov_node_new(r->doc, OV_TEXT, loc);
	CalloutMark mark = { t, attr(r, xml, "arearefs"), 0 };

	count_named(xml->parent, xml, "callout", NULL, &mark.place);
	g_array_append_val(r->callout_marks, mark); /* numbered by number_callouts */
	entry->tag = ov_intern(r->doc, "callout");
	read_common_attrs(r, xml, entry);
	term->tag = ov_intern(r->doc, "co");
	ov_node_append(term, t);
	ov_node_append(entry, term);
	ov_node_append(entry, item);
	ov_node_append(owner(r)->target, entry);
	push_element(r, xml, entry, item);
}

/* The callouts' marks, once the book is read (a list may come before its listing): the number
 * of the first co or area each refers to, else its place in its list, with a warning. */
static void
number_callouts(Reader *r)
{
	for (guint i = 0; i < r->callout_marks->len; i++) {
		CalloutMark *m = &g_array_index(r->callout_marks, CalloutMark, i);
		char **ids = m->refs ? g_strsplit_set(m->refs, " \t\r\n", -1) : NULL;
		GString *marks = g_string_new(NULL);
		int num = 0, last = 0;
		/* every mark it explains: "(1) (2)", each once */
		for (char **id = ids; id && *id; id++)
			if (**id && (num = GPOINTER_TO_INT(g_hash_table_lookup(r->callouts, *id))) != 0 && num != last &&
			    marks->len < 200) {
				g_string_append_printf(marks, "%s(%d)", marks->len ? " " : "", num);
				last = num;
			}
		g_strfreev(ids);
		if (marks->len == 0) {
			ov_warn(r->d, m->text->loc, "callout: arearefs \"%s\" names no co or area; numbered (%d) by its place in its list",
				m->refs ? m->refs : "", m->place);
			g_string_printf(marks, "(%d)", m->place);
		}
		m->text->text = ov_strdup(r->doc, marks->str);
		g_string_free(marks, TRUE);
	}
}

/* A command synopsis's parts, as DocBook's stylesheets write them: an arg optional by
 * default in [brackets], a required one in {braces}, a repeated one followed by "...", a
 * group's args joined by " | " (the group bracketed by its choice, its args not), parts the
 * source writes together set apart by a space; a citerefentry "ls(1)". */
static void
finish_synopsis(Reader *r, xmlNode *xml, OvNode *n)
{
	const char *tag = n->tag;

	if (!strcmp(tag, "citerefentry")) {
		OvNode *v = NULL;
		for (OvNode *c = n->first; c; c = c->next)
			if (c->tag && !strcmp(c->tag, "manvolnum"))
				v = c;
		while (blank_text(n->first))
			ov_node_unlink(n->first); /* the source's line breaks inside it */
		while (blank_text(n->last))
			ov_node_unlink(n->last);
		if (v == NULL)
			return;
		while (blank_text(v->prev))
			ov_node_unlink(v->prev);
		ov_node_insert_after(v->prev ? v->prev : v, text_node(r, v->loc, "("));
		if (v->prev == NULL) { /* no title: the volume alone, "(1)" */
			ov_node_unlink(v->next);
			ov_node_prepend(n, text_node(r, v->loc, "("));
		}
		ov_node_insert_after(v, text_node(r, v->loc, ")"));
		return;
	}
	if (!strcmp(tag, "cmdsynopsis")) {
		set_apart(r, n, " ", FALSE);
		return;
	}
	/* an arg or a group */
	{
		const char *choice = attr(r, xml, "choice"), *rep = attr(r, xml, "rep");
		gboolean in_group = xml->parent && !strcmp(name_of(xml->parent), "group");
		const char *open = "[", *close = "]";
		if (!strcmp(tag, "group"))
			set_apart(r, n, " | ", TRUE);
		else
			set_apart(r, n, " ", FALSE);
		while (blank_text(n->first))
			ov_node_unlink(n->first);
		while (blank_text(n->last))
			ov_node_unlink(n->last);
		if (g_strcmp0(choice, "plain") == 0 || (in_group && !strcmp(tag, "arg")))
			open = close = NULL; /* a group's args are bracketed by the group */
		else if (g_strcmp0(choice, "req") == 0)
			open = "{", close = "}";
		if (g_strcmp0(rep, "repeat") == 0)
			ov_node_append(n, text_node(r, n->loc, "..."));
		if (open) {
			ov_node_prepend(n, text_node(r, n->loc, open));
			ov_node_append(n, text_node(r, n->loc, close));
		}
	}
}

static void
exit_frame(Reader *r)
{
	Frame f = *top(r);

	g_array_set_size(r->stack, r->stack->len - 1);
	if (f.kind == FR_ENTITY)
		g_hash_table_remove(r->open_entities, f.xml);
	if (f.kind == FR_INCLUDE) {
		g_free(g_ptr_array_steal_index(r->incl_chain, r->incl_chain->len - 1));
		return;
	}
	if (f.qa)
		finish_qanda(r, &f);
	if (f.keep_id)
		keep_id(r, &f);
	if (f.node == NULL)
		return;
	if (f.node == r->areas_for) {
		r->areas_for = NULL;
		place_areas(r, f.node);
	}
	if (f.node->type == OV_PHRASE && f.node->tag && (!strcmp(f.node->tag, "keycombo") || !strcmp(f.node->tag, "menuchoice")))
		join_parts(r, f.xml, f.node);
	else if (f.node->type == OV_PHRASE && f.node->tag &&
		 (!strcmp(f.node->tag, "personname") || !strcmp(f.node->tag, "author") ||
		  !strcmp(f.node->tag, "editor") || !strcmp(f.node->tag, "othercredit")))
		space_name_parts(r, f.node);
	else if (f.node->type == OV_PHRASE && g_strcmp0(f.node->tag, "authorgroup") == 0)
		comma_authors(r, f.node);
	else if (f.node->type == OV_PHRASE && (g_strcmp0(f.node->tag, "trademark") == 0 ||
						(g_strcmp0(f.node->tag, "productname") == 0 && attr(r, f.xml, "class"))))
		trademark_sign(r, f.xml, f.node); /* a product name with a class: its sign too */
	else if (f.node->type == OV_CODE && g_strcmp0(f.node->tag, "keycap") == 0)
		keycap_name(r, f.xml, f.node);
	else if (f.node->type == OV_PHRASE && f.xml->parent && name_of(f.xml->parent) &&
		 !strcmp(name_of(f.xml->parent), "glossentry") && tag_in(f.node, bracketed))
		bracket_acronym(r, f.node);
	else if (f.node->type == OV_PHRASE && g_strcmp0(f.node->tag, "glossterm") == 0 && f.node->prev &&
		 tag_in(f.node->prev, bracketed) && f.xml->parent && name_of(f.xml->parent) &&
		 !strcmp(name_of(f.xml->parent), "glossentry"))
		ov_node_insert_after(f.node->prev, text_node(r, f.node->loc, " ")); /* "WG Widget" */
	else if (f.node->type == OV_PARA && f.node->tag &&
		 (!strcmp(f.node->tag, "biblioentry") || !strcmp(f.node->tag, "bibliomixed"))) {
		gboolean entry = !strcmp(f.node->tag, "biblioentry");
		punctuate_biblio(r, f.node, entry);
		/* a block in the entry (an abstract) split it: the fields after it, in the
		 * paragraph that goes on after the block, are set apart as well */
		for (OvNode *c = f.node->next; entry && f.target != f.node && c; c = c->next) {
			if (c->type == OV_PARA && (c->flags & OV_F_CONTINUED))
				punctuate_biblio(r, c, TRUE);
			if (c == f.target)
				break;
		}
	}
	else if (f.node->type == OV_PARA && f.node->tag &&
		 (!strcmp(f.node->tag, "glosssee") || !strcmp(f.node->tag, "glossseealso")))
		stop_glosssee(r, f.node);
	else if (f.node->type == OV_TABLE)
		finish_table(r, f.node);
	else if ((f.node->type == OV_PHRASE || f.node->type == OV_PARA) && f.node->tag &&
		 (!strcmp(f.node->tag, "citerefentry") || !strcmp(f.node->tag, "cmdsynopsis") ||
		  !strcmp(f.node->tag, "arg") || !strcmp(f.node->tag, "group")))
		finish_synopsis(r, f.xml, f.node);
	else if (f.node->type == OV_PARA && g_strcmp0(f.node->tag, "indexentry") == 0) {
		/* a written index entry's parts (primaryie, secondaryie …) a line each */
		for (OvNode *c = f.node->first; c; c = c->next)
			if (c->type != OV_TEXT && c->prev) {
				while (blank_text(c->prev))
					ov_node_unlink(c->prev);
				if (c->prev && c->prev->type != OV_LINEBREAK) {
					OvNode *br = ov_node_new(r->doc, OV_LINEBREAK, c->loc);
					br->tag = ov_intern(r->doc, "sbr");
					ov_node_insert_after(c->prev, br);
				}
			}
	}
	else if (f.node->type == OV_MEDIAOBJECT || f.node->type == OV_INLINEMEDIA)
		finish_media(r, f.node);
}

static void
walk(Reader *r)
{
	while (r->stack->len) {
		Frame *f = top(r);
		xmlNode *c = f->child;
		if (c == NULL || r->d->errors > 10000) {
			exit_frame(r);
			continue;
		}
		f->child = f->kind == FR_INCLUDE ? NULL : c->next;
		switch (c->type) {
		case XML_ELEMENT_NODE:
			enter_element(r, c);
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE: {
			gsize n = strlen((const char *)c->content);
			if (in_entity(r)) {
				if (n > r->entity_budget) {
					if (r->entity_budget != 0)
						ov_error(r->d, entity_loc(r),
							 "entities expand to too much text (an entity bomb?): expansion stopped");
					r->entity_budget = 0;
					break;
				}
				r->entity_budget -= n;
			}
			add_text(r, top(r)->file, c, (const char *)c->content, n);
			break;
		}
		case XML_ENTITY_REF_NODE:
			enter_entity(r, c);
			break;
		default:
			break; /* comments, processing instructions */
		}
	}
}

/* ---- links without words ---- */

/* Does n print something of itself, with no text of its own: an xref's words, an image, a
 * note's mark? */
static gboolean
prints_itself(const OvNode *n)
{
	switch (n->type) {
	case OV_XREF: case OV_INLINEMEDIA: case OV_IMAGE: case OV_FOOTNOTE: case OV_FOOTNOTEREF: case OV_QUOTE:
		return TRUE;
	default:
		return FALSE;
	}
}

/* A link (or an xref) that holds no words, only white space, anchors, index terms or empty
 * elements, shows its generated words: what it holds moves out, before it (an anchor keeps its
 * place), white space after it (the words are set where it began), and it is left empty.
 * Bottom up, in one walk: an inner link left empty prints. */
static void
empty_wordless_links(OvDoc *doc)
{
	GArray *words = g_array_new(FALSE, FALSE, sizeof(gboolean)); /* per open node: words inside */
	GPtrArray *wordless = g_ptr_array_new();
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		OvNode *n = it.cur;
		gboolean has;
		if (ev == OV_EV_ENTER) {
			has = (n->type == OV_TEXT && !is_space(n->text, strlen(n->text))) || prints_itself(n);
			g_array_append_val(words, has);
			continue;
		}
		has = g_array_index(words, gboolean, words->len - 1);
		g_array_set_size(words, words->len - 1);
		if ((n->type == OV_LINK || n->type == OV_XREF) && n->first && !has &&
		    g_strcmp0(n->tag, "email") != 0 && g_strcmp0(n->tag, "uri") != 0) {
			g_ptr_array_add(wordless, n);
			has = TRUE; /* emptied, it prints its target's words */
		} else if (n->type == OV_LINK || n->type == OV_XREF) {
			has = has || n->first == NULL;
		} else if (n->type == OV_ANCHOR || n->type == OV_INDEXTERM) {
			has = FALSE;
		}
		if (has && words->len)
			g_array_index(words, gboolean, words->len - 1) = TRUE;
	}
	for (guint i = 0; i < wordless->len; i++) {
		OvNode *l = g_ptr_array_index(wordless, i), *prev = l->prev, *after = l;
		/* its white space goes after it, unless punctuation follows ("See <link> </link>.") */
		gboolean before = l->next && l->next->type == OV_TEXT && l->next->text[0] &&
				  strchr(".,;:!?)]}", l->next->text[0]);
		while (l->first) {
			OvNode *c = l->first;
			ov_node_unlink(c);
			if (c->type == OV_TEXT && !before) {
				ov_node_insert_after(after, c);
				after = c;
			} else {
				if (prev)
					ov_node_insert_after(prev, c);
				else
					ov_node_prepend(l->parent, c);
				prev = c;
			}
		}
	}
	g_ptr_array_free(wordless, TRUE);
	g_array_free(words, TRUE);
}

/* ---- whitespace, as DocBook means it ---- */

typedef struct {
	OvNode *container;
	OvNode *last_text;
	gboolean verbatim;
	gboolean space_before; /* the text so far ends in a space (or nothing yet) */
	/* a quotation's opening mark (lead_quote's, the outermost of marks set one after the
	 * other) was just set: white space right after it goes before it, unless space_at_mark
	 * (there is one there already) */
	gboolean lead, space_at_mark;
	OvNode *lead_quote;
	/* white space right before a closing mark went: a space is owed after it, before the
	 * next word (not before punctuation, nor at the container's end) */
	gboolean owed;
} WsState;

/* A space before n: at the end of the text before it, or a text of its own. */
static void
space_before_node(OvDoc *doc, OvNode *n)
{
	OvNode *t;
	if (n->prev && n->prev->type == OV_TEXT) {
		n->prev->text = ov_printf(doc, "%s ", n->prev->text);
		return;
	}
	t = ov_node_new(doc, OV_TEXT, n->loc);
	t->text = " ";
	if (n->prev)
		ov_node_insert_after(n->prev, t);
	else
		ov_node_prepend(n->parent, t);
}

/* Merge a run of adjacent text siblings into the first. */
static void
merge_texts(OvDoc *doc, OvNode *t)
{
	GString *s;
	if (t->next == NULL || t->next->type != OV_TEXT)
		return;
	s = g_string_new(t->text);
	while (t->next && t->next->type == OV_TEXT) {
		OvNode *n = t->next;
		g_string_append(s, n->text);
		ov_node_unlink(n);
	}
	t->text = ov_strndup(doc, s->str, s->len);
	g_string_free(s, TRUE);
}

static void
collapse_text(OvDoc *doc, OvNode *t, WsState *st)
{
	const char *p = t->text;
	GString *s = g_string_sized_new(strlen(p));

	if (st->owed && *p && !is_xml_space(*p) && g_unichar_isalnum(g_utf8_get_char(p)))
		g_string_append_c(s, ' ');
	if (*p)
		st->owed = FALSE;
	for (; *p; p++) {
		if (is_xml_space(*p)) {
			if (st->lead && !st->space_at_mark) {
				space_before_node(doc, st->lead_quote);
				st->space_at_mark = TRUE;
			}
			if (!st->space_before)
				g_string_append_c(s, ' ');
			st->space_before = TRUE;
		} else {
			g_string_append_c(s, *p);
			st->space_before = FALSE;
			st->lead = FALSE;
		}
	}
	if (strcmp(s->str, t->text) != 0) /* a tab or newline alone becomes a space: same length */
		t->text = ov_strndup(doc, s->str, s->len);
	g_string_free(s, TRUE);
	if (*t->text)
		st->last_text = t;
}

static void
finish_container(OvDoc *doc, WsState *st)
{
	OvNode *t = st->last_text;
	gsize n;

	if (t == NULL)
		return;
	n = strlen(t->text);
	if (st->verbatim) {
		while (n > 0 && is_xml_space(t->text[n - 1]))
			n--;
	} else if (n > 0 && t->text[n - 1] == ' ') {
		n--;
	}
	if (n != strlen(t->text))
		t->text = ov_strndup(doc, t->text, n);
}

static void
normalize_whitespace(OvDoc *doc)
{
	GArray *st = g_array_new(FALSE, TRUE, sizeof(WsState));
	GPtrArray *dead = g_ptr_array_new();
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		OvNode *n = it.cur;
		WsState *top_st = st->len ? &g_array_index(st, WsState, st->len - 1) : NULL;
		gboolean container = ov_type_info[n->type].content == OV_CONTENT_INLINES &&
				     ov_type_info[n->type].level == OV_LEVEL_BLOCK;

		if (container) {
			if (ev == OV_EV_ENTER) {
				WsState s = { n, NULL, n->type == OV_VERBATIM, TRUE, FALSE, FALSE, NULL, FALSE };
				g_array_append_val(st, s);
			} else {
				finish_container(doc, top_st);
				g_array_set_size(st, st->len - 1);
			}
			continue;
		}
		if (n->type == OV_QUOTE && top_st && !top_st->verbatim) {
			/* its marks print: white space inside them goes outside, "“a”" for
			 * "<quote> a </quote>", and the space before and after is kept */
			OvNode *t = top_st->last_text; /* set inside the quotation, if at all */
			if (ev == OV_EV_ENTER) {
				if (top_st->owed) { /* after another's closing mark */
					space_before_node(doc, n);
					top_st->owed = FALSE;
					top_st->space_before = TRUE;
				}
				if (!top_st->lead) {
					top_st->lead_quote = n;
					top_st->space_at_mark = top_st->space_before;
				}
				top_st->lead = TRUE;
				top_st->space_before = TRUE;
			} else {
				if (t && *t->text && t->text[strlen(t->text) - 1] == ' ') {
					t->text = ov_strndup(doc, t->text, strlen(t->text) - 1);
					top_st->owed = TRUE;
				}
				top_st->lead = FALSE;
				top_st->space_before = FALSE;
			}
			top_st->last_text = NULL;
			continue;
		}
		if (ev != OV_EV_ENTER || top_st == NULL)
			continue;
		switch (n->type) {
		case OV_TEXT:
			merge_texts(doc, n);
			if (top_st->verbatim) {
				if (top_st->last_text == NULL && top_st->space_before) {
					/* a newline right after the opening tag is not content */
					if (n->text[0] == '\n')
						n->text++;
					else if (n->text[0] == '\r' && n->text[1] == '\n')
						n->text += 2;
					top_st->space_before = FALSE;
				}
				if (*n->text)
					top_st->last_text = n;
			} else {
				collapse_text(doc, n, top_st);
			}
			if (*n->text == '\0')
				g_ptr_array_add(dead, n);
			break;
		case OV_INDEXTERM:
		case OV_ANCHOR:
			break;
		default: {
			/* an xref, a link without words of its own (its target's, or its address) and
			 * an inline image print something: the space before one is not trailing, even
			 * when it ends the paragraph ("Details in <xref/>" must not become "Details
			 * inTwo"), and the space after it is kept */
			gboolean prints = n->type == OV_XREF || n->type == OV_INLINEMEDIA ||
					  (n->type == OV_LINK && n->first == NULL);
			if (ov_type_info[n->type].content == OV_CONTENT_NONE || n->type == OV_FOOTNOTE || prints)
				top_st->space_before = FALSE;
			if (prints)
				top_st->last_text = NULL;
			if (prints && top_st->owed)
				space_before_node(doc, n);
			if (prints || ov_type_info[n->type].content == OV_CONTENT_NONE)
				top_st->lead = top_st->owed = FALSE;
			break;
		}
		}
	}
	/* texts emptied by trimming at the end of their container */
	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER && it.cur->type == OV_TEXT && *it.cur->text == '\0' &&
		    (dead->len == 0 || g_ptr_array_index(dead, dead->len - 1) != it.cur))
			g_ptr_array_add(dead, it.cur);
	for (guint i = 0; i < dead->len; i++) {
		OvNode *t = g_ptr_array_index(dead, i);
		OvNode *p = t->parent;
		if (t->parent == NULL && t->prev == NULL)
			continue;
		ov_node_unlink(t);
		if (p && p->type == OV_PARA && (p->flags & OV_F_IMPLICIT) && p->first == NULL)
			ov_node_unlink(p);
	}
	g_ptr_array_free(dead, TRUE);
	g_array_free(st, TRUE);
}

/* Text a table or a media object holds outside its cells or objects (a para in a row, words
 * in a mediaobject): no back end has a place for it there, so it is set after the table or
 * object, with a warning, rather than lost. */
static void
place_strays(Reader *r)
{
	GPtrArray *strays = g_ptr_array_new();
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, r->doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		OvNode *n = it.cur, *p = n->parent;
		if (ev == OV_EV_ENTER && n->type == OV_PARA && p &&
		    (p->type == OV_ROW || p->type == OV_THEAD || p->type == OV_TBODY || p->type == OV_TFOOT ||
		     p->type == OV_TABLE || p->type == OV_MEDIAOBJECT)) {
			g_ptr_array_add(strays, n);
			ov_iter_skip_children(&it);
		}
	}
	for (guint i = 0; i < strays->len; i++) {
		OvNode *n = g_ptr_array_index(strays, i), *at = n->parent, *after;
		const char *where = at->tag ? at->tag : ov_type_name(at->type);
		while (at->type != OV_TABLE && at->type != OV_MEDIAOBJECT && at->parent)
			at = at->parent;
		ov_warn(r->d, n->loc, "text in <%s> outside %s: set after the %s", where,
			at->type == OV_TABLE ? "every cell" : "its objects", at->type == OV_TABLE ? "table" : "media object");
		ov_node_unlink(n);
		/* after the table, or after the strays already moved there, in their order */
		for (after = at; after->next && after->next->flags & OV_F_STRAY; after = after->next)
			;
		n->flags |= OV_F_STRAY;
		ov_node_insert_after(after, n);
	}
	g_ptr_array_free(strays, TRUE);
}

/* ---- reading a book ---- */

static void
reader_init(Reader *r, OvDoc *doc, OvDiags *d)
{
	memset(r, 0, sizeof *r);
	r->doc = doc;
	r->d = d;
	r->stack = g_array_new(FALSE, TRUE, sizeof(Frame));
	r->xmldocs = g_ptr_array_new_with_free_func((GDestroyNotify)xmlFreeDoc);
	r->incl_chain = g_ptr_array_new_with_free_func(g_free);
	r->open_entities = g_hash_table_new(g_direct_hash, g_direct_equal);
	r->callouts = g_hash_table_new(g_str_hash, g_str_equal);
	r->areas = g_array_new(FALSE, FALSE, sizeof(Area));
	r->callout_marks = g_array_new(FALSE, FALSE, sizeof(CalloutMark));
	r->bylines = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)byline_free);
	r->blocky = g_hash_table_new(g_direct_hash, g_direct_equal);
}

static void
reader_clear(Reader *r)
{
	g_free(r->last_msg);
	g_array_free(r->stack, TRUE);
	g_ptr_array_free(r->xmldocs, TRUE);
	g_ptr_array_free(r->incl_chain, TRUE);
	g_hash_table_destroy(r->open_entities);
	g_hash_table_destroy(r->callouts);
	g_array_free(r->areas, TRUE);
	g_array_free(r->callout_marks, TRUE);
	g_hash_table_destroy(r->bylines);
	g_hash_table_destroy(r->blocky);
}

static gboolean
book_dir(OvDoc *doc, const char *path, OvDiags *d)
{
	char *dir = g_path_get_dirname(path);
	char *real = realpath(dir, NULL);
	g_free(dir);
	if (real == NULL) {
		ov_error(d, ov_loc(doc->path, 0, 0), "cannot read: %s", g_strerror(errno));
		d->io_failed = TRUE;
		return FALSE;
	}
	doc->dir = ov_strdup(doc, real);
	free(real);
	return TRUE;
}

static xmlNode *
check_root(Reader *r, xmlDoc *xd)
{
	xmlNode *root = xmlDocGetRootElement(xd);
	OvLoc loc = loc_of(r, r->doc->path, root);

	if (root == NULL) {
		ov_error(r->d, ov_loc(r->doc->path, 1, 1), "no root element");
		return NULL;
	}
	if (!is_docbook(root) || (strcmp((const char *)root->name, "book") && strcmp((const char *)root->name, "article"))) {
		ov_error(r->d, loc, "not a DocBook book: the root element is <%s>%s%s%s; octavo reads <book> and <article>",
			 root->name, root->ns ? " in namespace \"" : "", root->ns ? (const char *)root->ns->href : "",
			 root->ns ? "\"" : "");
		return NULL;
	}
	return root;
}

OvDoc *
ov_docbook_read(const char *path, OvDiags *d)
{
	return ov_docbook_read_book(path, FALSE, d);
}

OvDoc *
ov_docbook_read_book(const char *path, gboolean remarks, OvDiags *d)
{
	Reader r;
	OvDoc *doc = ov_doc_new(path);
	xmlDoc *xd;
	xmlNode *root;
	OvNode *top_node;
	Frame fr = { 0 };
	char *real;

	reader_global_init();
	reader_init(&r, doc, d);
	r.remarks = remarks;
	g_ptr_array_add(doc->files, (gpointer)doc->path);
	if (!book_dir(doc, path, d) || (real = realpath(path, NULL)) == NULL) {
		if (doc->dir) {
			ov_error(d, ov_loc(doc->path, 0, 0), "cannot read: %s", g_strerror(errno));
			d->io_failed = TRUE;
		}
		reader_clear(&r);
		ov_doc_free(doc);
		return NULL;
	}
	xd = parse_file(&r, doc->path, real, ov_loc(NULL, 0, 0));
	root = xd ? check_root(&r, xd) : NULL;
	if (root == NULL) {
		free(real);
		reader_clear(&r);
		ov_doc_free(doc);
		return NULL;
	}
	r.entity_budget = (gsize)16 * 1024 * 1024;
	g_ptr_array_add(r.incl_chain, real);
	doc->docbook5 = root->ns != NULL;
	top_node = ov_node_new(doc, OV_DOCUMENT, loc_of(&r, doc->path, root));
	top_node->tag = ov_intern(doc, (const char *)root->name);
	read_common_attrs(&r, root, top_node);
	doc->root = top_node;
	fr.kind = FR_ELEMENT;
	fr.xml = root;
	fr.node = top_node;
	fr.target = top_node;
	fr.file = doc->path;
	push(&r, fr);
	walk(&r);
	number_callouts(&r);
	place_strays(&r);
	empty_wordless_links(doc);
	normalize_whitespace(doc);
	doc->meta.lang = top_node->lang ? top_node->lang : "en";
	reader_clear(&r);
	return doc;
}

/* ---- validation against the RELAX NG schema ---- */

/* ---- copying trees without recursion ----
 *
 * libxml2's xmlDocCopyNode and xmlDocCopyNodeList recurse once per level of the tree: a deep
 * enough book overflows the stack. These copies walk with a loop, and keep each node's
 * recorded position (_private) and line. */

/* The copy of a namespace in the destination: declared on the copy's root when the source
 * declares it outside the subtree being copied. */
static xmlNs *
copy_ns(GHashTable *map, xmlNode *root, xmlNode *node, xmlNs *ns)
{
	xmlNs *d;

	if (ns == NULL)
		return NULL;
	if (ns->prefix && xmlStrEqual(ns->prefix, (const xmlChar *)"xml"))
		return xmlSearchNs(node->doc, node, ns->prefix); /* predefined, found without a walk */
	d = g_hash_table_lookup(map, ns);
	if (d == NULL) {
		d = xmlNewNs(root, ns->href, ns->prefix);
		if (d == NULL)
			d = xmlNewNs(node, ns->href, ns->prefix);
		if (d)
			g_hash_table_insert(map, ns, d);
	}
	return d;
}

/* A copy of one node (not its children) into to, with its attributes and namespaces. */
static xmlNode *
copy_node(xmlDoc *to, xmlNode *n, xmlNode *parent, xmlNode **root, GHashTable *map)
{
	xmlNode *c;

	switch (n->type) {
	case XML_ELEMENT_NODE:
		c = xmlNewDocNode(to, NULL, n->name, NULL);
		break;
	case XML_TEXT_NODE:
		c = xmlNewDocText(to, n->content);
		break;
	case XML_CDATA_SECTION_NODE:
		c = xmlNewCDataBlock(to, n->content, xmlStrlen(n->content));
		break;
	case XML_ENTITY_REF_NODE:
		c = xmlNewReference(to, n->name);
		break;
	case XML_COMMENT_NODE:
		c = xmlNewDocComment(to, n->content);
		break;
	case XML_PI_NODE:
		c = xmlNewDocPI(to, n->name, n->content);
		break;
	default:
		return NULL; /* nothing else occurs in content */
	}
	if (c == NULL)
		return NULL;
	c->_private = n->_private;
	c->line = n->line;
	if (parent)
		xmlAddChild(parent, c);
	if (*root == NULL)
		*root = c;
	if (n->type != XML_ELEMENT_NODE)
		return c;
	for (xmlNs *ns = n->nsDef; ns; ns = ns->next) {
		xmlNs *d = xmlNewNs(c, ns->href, ns->prefix);
		if (d)
			g_hash_table_insert(map, ns, d);
	}
	xmlSetNs(c, copy_ns(map, *root, c, n->ns));
	for (xmlAttr *a = n->properties; a; a = a->next) {
		xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
		xmlNewNsProp(c, copy_ns(map, *root, c, a->ns), a->name, v ? v : (const xmlChar *)"");
		xmlFree(v);
	}
	return c;
}

/* A copy of the list of siblings from first on (with their subtrees) into to, unlinked.
 * Returns the first copy; the copies are siblings of it. */
static xmlNode *
copy_list(xmlDoc *to, xmlNode *first)
{
	GHashTable *map = g_hash_table_new(g_direct_hash, g_direct_equal);
	xmlNode *head = NULL, *prev = NULL;

	for (xmlNode *top_src = first; top_src; top_src = top_src->next) {
		xmlNode *root = NULL, *parent = NULL, *n = top_src;
		while (n) {
			xmlNode *c = copy_node(to, n, parent, &root, map);
			if (c && n->type == XML_ELEMENT_NODE && n->children) {
				parent = c;
				n = n->children;
				continue;
			}
			while (n != top_src && n->next == NULL) {
				n = n->parent;
				parent = parent ? parent->parent : NULL;
			}
			n = n == top_src ? NULL : n->next;
		}
		if (root == NULL)
			continue;
		if (prev)
			xmlAddNextSibling(prev, root);
		else
			head = root;
		prev = root;
	}
	g_hash_table_destroy(map);
	return head;
}

/* A copy of node and its subtree into to. */
static xmlNode *
copy_tree(xmlDoc *to, xmlNode *node)
{
	xmlNode *next = node->next, *c;
	node->next = NULL; /* copy_list copies siblings too */
	c = copy_list(to, node);
	node->next = next;
	return c;
}

/* How deeply the elements under node nest (node itself is level 1), without recursion. */
static int
tree_depth(xmlNode *node)
{
	int depth = 0, max = 0;
	xmlNode *n = node;

	while (n) {
		if (n->type == XML_ELEMENT_NODE)
			max = MAX(max, depth + 1);
		if (n->type == XML_ELEMENT_NODE && n->children) {
			depth++;
			n = n->children;
			continue;
		}
		while (n != node && n->next == NULL) {
			n = n->parent;
			depth--;
		}
		n = n == node ? NULL : n->next;
	}
	return max;
}

/* Replace every xi:include of xd (a file shown as file) by what it includes, files first
 * expanded themselves. Problems were reported by the reader, so they are skipped here. */
static void
expand_includes(Reader *r, xmlDoc *xd, const char *file, int depth, GHashTable *shown)
{
	GPtrArray *incs = g_ptr_array_new();
	xmlNode *n = xmlDocGetRootElement(xd);

	while (n) { /* collect without recursion */
		if (n->type == XML_ELEMENT_NODE && is_xinclude(n, "include"))
			g_ptr_array_add(incs, n);
		else if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n && !n->next)
			n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
		if (n)
			n = n->next;
	}
	for (guint i = 0; i < incs->len; i++) {
		xmlNode *inc = g_ptr_array_index(incs, i);
		xmlChar *href = xmlGetNoNsProp(inc, (const xmlChar *)"href");
		xmlChar *parse = xmlGetNoNsProp(inc, (const xmlChar *)"parse");
		char *real = NULL;
		OvDiags quiet;
		char *path;
		ov_diags_init(&quiet);
		r->d = &quiet;
		path = depth < MAX_INCLUDE_DEPTH ? include_resolve(r, file, (const char *)href, ov_loc(file, 0, 0), TRUE, &real) : NULL;
		if (path && parse && !xmlStrcmp(parse, (const xmlChar *)"text")) {
			char *buf = NULL;
			if (g_file_get_contents(real, &buf, NULL, NULL))
				xmlReplaceNode(inc, xmlNewDocText(xd, (const xmlChar *)buf));
			else
				xmlUnlinkNode(inc);
			xmlFreeNode(inc);
			g_free(buf);
		} else if (path) {
			xmlDoc *sub = parse_file(r, ov_intern(r->doc, path), real, ov_loc(NULL, 0, 0));
			xmlNode *root = sub ? xmlDocGetRootElement(sub) : NULL;
			if (root) {
				xmlNode *copy;
				g_ptr_array_add(r->incl_chain, g_strdup(real));
				expand_includes(r, sub, ov_intern(r->doc, path), depth + 1, shown);
				g_free(g_ptr_array_steal_index(r->incl_chain, r->incl_chain->len - 1));
				root = xmlDocGetRootElement(sub);
				copy = copy_tree(xd, root);
				/* marks the file the copy came from (kept by the copies of the copy, when
				 * this file is itself included); shown holds the paths so set, as the
				 * reader shows them: relative to the current folder, not to the book */
				xmlNodeSetBase(copy, (const xmlChar *)path);
				g_hash_table_add(shown, (gpointer)ov_intern(r->doc, path));
				xmlReplaceNode(inc, copy);
			} else {
				xmlUnlinkNode(inc);
			}
			xmlFreeNode(inc);
		} else {
			xmlUnlinkNode(inc);
			xmlFreeNode(inc);
		}
		ov_diags_clear(&quiet);
		free(real);
		g_free(path);
		xmlFree(href);
		xmlFree(parse);
	}
	g_ptr_array_free(incs, TRUE);
}

/* DocBook 4's graphic (inlinegraphic) as DocBook 5 writes it, for the schema: a mediaobject
 * (an inlinemediaobject) holding an imageobject whose imagedata takes the graphic's image
 * attributes, as the reader reads it. Its new children are walked (and put in the namespace)
 * next. */
static void
graphic_to_mediaobject(xmlDoc *xd, xmlNode *g)
{
	static const char *const image_attrs[] = { "fileref", "entityref", "format", "width", "depth", "contentwidth",
						    "contentdepth", "scale", "scalefit", "align", "valign", "srccredit" };
	xmlNode *obj = xmlNewDocNode(xd, NULL, (const xmlChar *)"imageobject", NULL);
	xmlNode *data = xmlNewDocNode(xd, NULL, (const xmlChar *)"imagedata", NULL);

	xmlNodeSetName(g, (const xmlChar *)(!strcmp((const char *)g->name, "graphic") ? "mediaobject" : "inlinemediaobject"));
	for (gsize i = 0; i < G_N_ELEMENTS(image_attrs); i++) {
		xmlAttr *a = xmlHasNsProp(g, (const xmlChar *)image_attrs[i], NULL);
		xmlChar *v;
		if (a == NULL)
			continue;
		v = xmlNodeGetContent((xmlNode *)a);
		xmlNewProp(data, (const xmlChar *)image_attrs[i], v);
		xmlFree(v);
		xmlRemoveProp(a);
	}
	xmlAddChild(obj, data);
	/* before any children it has (it should have none: its words are the reader's concern) */
	if (g->children)
		xmlAddPrevSibling(g->children, obj);
	else
		xmlAddChild(g, obj);
}

/* Entity references become what they stand for (the schema sees no references), and
 * DocBook 4 moves into the DocBook 5 namespace: the schema speaks DocBook 5. */
static void
to_docbook5(xmlDoc *xd, gboolean db4)
{
	xmlNode *root = xmlDocGetRootElement(xd);
	xmlNs *ns = db4 ? xmlNewNs(root, (const xmlChar *)DB5_NS, NULL) : NULL;
	xmlNode *n = root;

	while (n) {
		if (n->type == XML_ENTITY_REF_NODE) {
			xmlEntity *e = xmlGetDocEntity(xd, n->name);
			/* an external entity stands for nothing: it is refused (with an error) */
			gboolean external = e && e->etype != XML_INTERNAL_GENERAL_ENTITY && e->etype != XML_INTERNAL_PREDEFINED_ENTITY;
			xmlNode *rep = external ? NULL : e && e->children ? copy_list(xd, e->children) : xmlNewDocText(xd, (const xmlChar *)"x");
			xmlNode *next = n->next, *parent = n->parent;
			xmlNode *last = rep;
			while (last && last->next)
				last = last->next;
			for (xmlNode *c = rep, *nx; c; c = nx) {
				nx = c->next;
				xmlUnlinkNode(c);
				xmlAddPrevSibling(n, c);
			}
			xmlUnlinkNode(n);
			xmlFreeNode(n);
			n = last ? last : (next ? next : parent);
			if (n == parent)
				goto up;
			continue;
		}
		if (db4 && n->type == XML_ELEMENT_NODE && n->ns == NULL) {
			const char *name = (const char *)n->name;
			xmlSetNs(n, ns);
			if (g_str_has_suffix(name, "info") && strcmp(name, "info") && strcmp(name, "releaseinfo"))
				xmlNodeSetName(n, (const xmlChar *)"info");
			else if (!strcmp(name, "graphic") || !strcmp(name, "inlinegraphic"))
				graphic_to_mediaobject(xd, n);
		}
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
	up:
		while (n && !n->next)
			n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
		if (n)
			n = n->next;
	}
}

typedef struct {
	Reader *r;
	const char *file;
	OvDiags *d;
	GHashTable *shown; /* the xml:base values expand_includes set: included files' paths */
} SchemaErrors;

/* The file node came from: the path on the nearest included file's root, else the book.
 * (libxml2's xmlNodeGetBase would take that path, already relative to the current folder, as
 * relative to the book's folder: "bk/bk/ch.xml" for bk/book.xml's include of ch.xml.) */
static const char *
schema_file(SchemaErrors *se, xmlNode *node)
{
	for (xmlNode *n = node; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
		xmlChar *base = xmlGetNsProp(n, (const xmlChar *)"base", XML_XML_NAMESPACE);
		const char *file = base ? g_hash_table_lookup(se->shown, base) : NULL;
		xmlFree(base);
		if (file)
			return file;
	}
	return se->file;
}

static void
schema_error(void *data, xmlErrorPtr err)
{
	SchemaErrors *se = data;
	xmlNode *node = err->node;
	OvLoc loc = ov_loc(se->file, err->line > 0 ? (guint)err->line : 0, err->line > 0 ? 1 : 0);
	char *msg;

	if (err->message && strstr(err->message, "has extra content"))
		return; /* the same problem again, seen from the parent */
	if (node && node->type == XML_ELEMENT_NODE && err->message && strstr(err->message, "Did not expect element") &&
	    spec_lookup((const char *)node->name) == NULL && !is_xinclude(node, "include"))
		return; /* an unknown element: the reader has warned already */
	if (node && node->type == XML_ELEMENT_NODE)
		loc = loc_of(se->r, schema_file(se, node), node);
	msg = g_strchomp(g_strdup(err->message ? err->message : "schema error"));
	ov_warn(se->d, loc, "schema: %s", msg);
	g_free(msg);
}

/* libxml2's RELAX NG validator recurses once or more per level of the tree. It runs on a
 * thread whose stack is sized for the tree's depth: Debian 12's libxml2 2.9.14 with
 * octavo.rng takes about 0.7 KB a level of nested quotations or lists, 2.7 KB of nested
 * inline markup and 4 KB of nested admonitions (measured at 20,000 levels); four times that
 * for margin, and four times more under AddressSanitizer, whose frames are larger. Only the
 * pages touched become memory. */
#if defined(__SANITIZE_ADDRESS__)
#define STACK_PER_LEVEL (64 * 1024)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STACK_PER_LEVEL (64 * 1024)
#endif
#endif
#ifndef STACK_PER_LEVEL
#define STACK_PER_LEVEL (16 * 1024)
#endif

typedef struct {
	xmlDoc *xd;
	const char *rng;
	SchemaErrors *se;
	gboolean schema_read;
} Validation;

static void *
validate_thread(void *data)
{
	Validation *v = data;
	xmlRelaxNGParserCtxtPtr pctx = xmlRelaxNGNewParserCtxt(v->rng);
	xmlRelaxNGPtr schema = pctx ? xmlRelaxNGParse(pctx) : NULL;
	xmlRelaxNGValidCtxtPtr vctx;

	xmlRelaxNGFreeParserCtxt(pctx);
	if (schema == NULL)
		return NULL;
	v->schema_read = TRUE;
	vctx = xmlRelaxNGNewValidCtxt(schema);
	xmlRelaxNGSetValidStructuredErrors(vctx, schema_error, v->se);
	xmlRelaxNGValidateDoc(vctx, v->xd);
	xmlRelaxNGFreeValidCtxt(vctx);
	xmlRelaxNGFree(schema);
	return NULL;
}

/* Run fn(arg) on a thread with a stack of the given size. FALSE if the thread cannot start. */
static gboolean
run_with_stack(void *(*fn)(void *), void *arg, gsize stack)
{
	pthread_attr_t attr;
	pthread_t t;
	gboolean ok;

	pthread_attr_init(&attr);
	ok = pthread_attr_setstacksize(&attr, stack) == 0 && pthread_create(&t, &attr, fn, arg) == 0;
	pthread_attr_destroy(&attr);
	if (ok)
		pthread_join(t, NULL);
	return ok;
}

gboolean
ov_docbook_validate(const char *path, const char *rng, OvDiags *d)
{
	Reader r;
	OvDoc *doc = ov_doc_new(path);
	OvDiags quiet;
	Validation v = { 0 };
	xmlDoc *xd;
	SchemaErrors se = { 0 };
	char *real;
	gboolean ok = FALSE;
	int depth;

	reader_global_init();
	ov_diags_init(&quiet);
	reader_init(&r, doc, &quiet);
	if (!book_dir(doc, path, &quiet) || (real = realpath(path, NULL)) == NULL)
		goto out;
	xd = parse_file(&r, doc->path, real, ov_loc(NULL, 0, 0));
	g_ptr_array_add(r.incl_chain, real);
	if (xd == NULL)
		goto out;
	se.shown = g_hash_table_new(g_str_hash, g_str_equal);
	expand_includes(&r, xd, doc->path, 0, se.shown);
	to_docbook5(xd, xmlDocGetRootElement(xd)->ns == NULL);
	depth = tree_depth(xmlDocGetRootElement(xd));
	if (depth > MAX_ELEMENT_DEPTH) { /* only through includes: each file is held to the limit */
		ov_warn(d, ov_loc(doc->path, 0, 0), "not checked against the schema: with its includes, elements nest %d levels deep (more than %d)",
			depth, MAX_ELEMENT_DEPTH);
		ok = TRUE;
		goto out;
	}
	se.r = &r;
	se.file = doc->path;
	se.d = d;
	v.xd = xd;
	v.rng = rng;
	v.se = &se;
	allowed_load = rng;
	if (!run_with_stack(validate_thread, &v, (gsize)256 * 1024 + (gsize)depth * STACK_PER_LEVEL)) {
		allowed_load = NULL;
		ov_warn(d, ov_loc(doc->path, 0, 0), "not checked against the schema: no memory for a stack %d levels deep", depth);
		ok = TRUE;
		goto out;
	}
	allowed_load = NULL;
	if (!v.schema_read) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot read the schema %s", rng);
		goto out;
	}
	ok = TRUE;
out:
	if (se.shown)
		g_hash_table_destroy(se.shown);
	reader_clear(&r);
	ov_diags_clear(&quiet);
	ov_doc_free(doc);
	return ok;
}
