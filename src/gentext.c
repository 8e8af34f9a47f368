/* gentext.c: the words octavo writes into a book, in the book's language. The division, figure
 * and admonition words follow DocBook XSL's localisations where those are current usage. */
#include <string.h>
#include "gentext.h"

typedef struct {
	const char *lang; /* primary subtag, lower case ("pt-br": the one region that differs) */
	const char *w[OV_GT_N];
} Words;

static const Words table[] = {
	{ "en", { "Part", "Chapter", "Appendix", "Section", "Table", "Figure", "Example", "Preface", "Colophon",
		  "Dedication", "Glossary", "Bibliography", "Index", "Contents", "Note", "Tip", "Warning", "Important",
		  "Caution", "See", "See also", "Symbols", "page", "on page", "Cover", "Title page", "Copyright",
		  "About this book", "Landmarks", "Pages", "Start of content",
		  "Published", "Set in %s and %s with octavo %s.",
		  "Edited by", "Translated by", "Illustrated by", "Revision History", "Revision", "Q:", "A:", "Copyright \u00A9", "step", "Inside cover", "Equation" } },
	{ "de", { "Teil", "Kapitel", "Anhang", "Abschnitt", "Tabelle", "Abbildung", "Beispiel", "Vorwort", "Kolophon",
		  "Widmung", "Glossar", "Literaturverzeichnis", "Stichwortverzeichnis", "Inhalt", "Anmerkung", "Tipp",
		  "Warnung", "Wichtig", "Achtung", "Siehe", "Siehe auch", "Symbole", "Seite", "auf Seite", "Umschlag",
		  "Titelseite", "Impressum", "Über dieses Buch", "Orientierungspunkte", "Seiten", "Beginn des Inhalts",
		  "Veröffentlicht", "Gesetzt in %s und %s mit octavo %s.",
		  "Herausgegeben von", "Übersetzt von", "Illustriert von", "Versionsgeschichte", "Version", "F:", "A:", "Copyright \u00A9", "Schritt", "Umschlaginnenseite", "Gleichung" } },
	{ "fr", { "Partie", "Chapitre", "Annexe", "Section", "Tableau", "Figure", "Exemple", "Préface", "Colophon",
		  "Dédicace", "Glossaire", "Bibliographie", "Index", "Table des matières", "Note", "Astuce",
		  "Avertissement", "Important", "Attention", "Voir", "Voir aussi", "Symboles", "page", "à la page",
		  "Couverture", "Page de titre", "Droits d’auteur", "À propos de ce livre", "Repères", "Pages",
		  "Début du contenu",
		  "Publié", "Composé en %s et %s avec octavo %s.",
		  "Sous la direction de", "Traduit par", "Illustré par", "Historique des versions", "Version", "Q\u00A0:", "R\u00A0:", "Copyright \u00A9", "étape", "Deuxième de couverture", "Équation" } },
	{ "es", { "Parte", "Capítulo", "Apéndice", "Sección", "Tabla", "Figura", "Ejemplo", "Prefacio", "Colofón",
		  "Dedicatoria", "Glosario", "Bibliografía", "Índice alfabético", "Índice", "Nota", "Sugerencia",
		  "Advertencia", "Importante", "Precaución", "Véase", "Véase también", "Símbolos", "página",
		  "en la página", "Cubierta", "Portada", "Derechos de autor", "Acerca de este libro",
		  "Puntos de referencia", "Páginas", "Inicio del contenido",
		  "Publicado", "Compuesto en %s y %s con octavo %s.",
		  "Edición de", "Traducción de", "Ilustraciones de", "Historial de revisiones", "Revisión", "P:", "R:", "Copyright \u00A9", "paso", "Interior de cubierta", "Ecuación" } },
	{ "it", { "Parte", "Capitolo", "Appendice", "Sezione", "Tabella", "Figura", "Esempio", "Prefazione", "Colophon",
		  "Dedica", "Glossario", "Bibliografia", "Indice analitico", "Indice", "Nota", "Suggerimento",
		  "Avvertenza", "Importante", "Attenzione", "Vedi", "Vedi anche", "Simboli", "pagina", "a pagina",
		  "Copertina", "Frontespizio", "Diritti d’autore", "Informazioni su questo libro", "Punti di riferimento",
		  "Pagine", "Inizio del contenuto",
		  "Pubblicato", "Composto in %s e %s con octavo %s.",
		  "A cura di", "Traduzione di", "Illustrazioni di", "Cronologia delle revisioni", "Revisione", "D:", "R:", "Copyright \u00A9", "passo", "Seconda di copertina", "Equazione" } },
	{ "nl", { "Deel", "Hoofdstuk", "Bijlage", "Paragraaf", "Tabel", "Afbeelding", "Voorbeeld", "Voorwoord", "Colofon",
		  "Opdracht", "Woordenlijst", "Bibliografie", "Register", "Inhoud", "Opmerking", "Tip", "Waarschuwing",
		  "Belangrijk", "Let op", "Zie", "Zie ook", "Symbolen", "pagina", "op pagina", "Omslag", "Titelpagina",
		  "Auteursrecht", "Over dit boek", "Oriëntatiepunten", "Pagina’s", "Begin van de inhoud",
		  "Gepubliceerd", "Gezet in %s en %s met octavo %s.",
		  "Onder redactie van", "Vertaald door", "Geïllustreerd door", "Revisiegeschiedenis", "Revisie", "V:", "A:", "Copyright \u00A9", "stap", "Binnenzijde omslag", "Vergelijking" } },
	{ "pt", { "Parte", "Capítulo", "Apêndice", "Secção", "Tabela", "Figura", "Exemplo", "Prefácio", "Ficha técnica",
		  "Dedicatória", "Glossário", "Bibliografia", "Índice remissivo", "Índice", "Nota", "Dica", "Aviso",
		  "Importante", "Cuidado", "Ver", "Ver também", "Símbolos", "página", "na página", "Capa",
		  "Folha de rosto", "Direitos de autor", "Sobre este livro", "Pontos de referência", "Páginas",
		  "Início do conteúdo",
		  "Publicado", "Composto em %s e %s com octavo %s.",
		  "Edição de", "Tradução de", "Ilustrações de", "Histórico de revisões", "Revisão", "P:", "R:", "Copyright \u00A9", "passo", "Verso da capa", "Equação" } },
	{ "pt-br", { "Parte", "Capítulo", "Apêndice", "Seção", "Tabela", "Figura", "Exemplo", "Prefácio", "Ficha técnica",
		     "Dedicatória", "Glossário", "Bibliografia", "Índice remissivo", "Sumário", "Nota", "Dica", "Aviso",
		     "Importante", "Cuidado", "Ver", "Ver também", "Símbolos", "página", "na página", "Capa",
		     "Folha de rosto", "Direitos autorais", "Sobre este livro", "Pontos de referência", "Páginas",
		     "Início do conteúdo",
		  "Publicado", "Composto em %s e %s com octavo %s.",
		     "Edição de", "Tradução de", "Ilustrações de", "Histórico de revisões", "Revisão", "P:", "R:", "Copyright \u00A9", "passo", "Verso da capa", "Equação" } },
	{ "nb", { "Del", "Kapittel", "Tillegg", "Avsnitt", "Tabell", "Figur", "Eksempel", "Forord", "Kolofon",
		  "Dedikasjon", "Ordliste", "Litteratur", "Register", "Innhold", "Merk", "Tips", "Advarsel", "Viktig",
		  "Forsiktig", "Se", "Se også", "Symboler", "side", "på side", "Omslag", "Tittelside", "Opphavsrett",
		  "Om denne boken", "Landemerker", "Sider", "Start på innholdet",
		  "Utgitt", "Satt med %s og %s i octavo %s.",
		  "Redigert av", "Oversatt av", "Illustrert av", "Revisjonshistorikk", "Revisjon", "Spørsmål:", "Svar:", "Copyright \u00A9", "trinn", "Omslagets innside", "Likning" } },
	{ "nn", { "Del", "Kapittel", "Tillegg", "Avsnitt", "Tabell", "Figur", "Døme", "Forord", "Kolofon",
		  "Dedikasjon", "Ordliste", "Litteratur", "Register", "Innhald", "Merk", "Tips", "Åtvaring", "Viktig",
		  "Forsiktig", "Sjå", "Sjå òg", "Symbol", "side", "på side", "Omslag", "Tittelside", "Opphavsrett",
		  "Om denne boka", "Landemerke", "Sider", "Start på innhaldet",
		  "Gjeve ut", "Sett med %s og %s i octavo %s.",
		  "Redigert av", "Omsett av", "Illustrert av", "Revisjonshistorikk", "Revisjon", "Spørsmål:", "Svar:", "Copyright \u00A9", "steg", "Innsida av omslaget", "Likning" } },
	{ "sv", { "Del", "Kapitel", "Bilaga", "Avsnitt", "Tabell", "Figur", "Exempel", "Förord", "Kolofon",
		  "Dedikation", "Ordlista", "Litteraturförteckning", "Register", "Innehåll", "Notera", "Tips", "Varning",
		  "Viktigt", "Observera", "Se", "Se även", "Symboler", "sidan", "på sidan", "Omslag", "Titelsida",
		  "Upphovsrätt", "Om den här boken", "Landmärken", "Sidor", "Början av innehållet",
		  "Utgiven", "Satt med %s och %s i octavo %s.",
		  "Redigerad av", "Översatt av", "Illustrerad av", "Revisionshistorik", "Revision", "F:", "S:", "Copyright \u00A9", "steg", "Omslagets insida", "Ekvation" } },
	{ "da", { "Del", "Kapitel", "Appendiks", "Afsnit", "Tabel", "Figur", "Eksempel", "Forord", "Kolofon",
		  "Tilegnelse", "Ordliste", "Litteratur", "Stikordsregister", "Indhold", "Bemærk", "Tip", "Advarsel",
		  "Vigtigt", "Forsigtig", "Se", "Se også", "Symboler", "side", "på side", "Omslag", "Titelblad",
		  "Ophavsret", "Om denne bog", "Pejlemærker", "Sider", "Start på indholdet",
		  "Udgivet", "Sat med %s og %s i octavo %s.",
		  "Redigeret af", "Oversat af", "Illustreret af", "Revisionshistorik", "Revision", "Spørgsmål:", "Svar:", "Copyright \u00A9", "trin", "Omslagets inderside", "Ligning" } },
	/* cs, pl, fi, ru: "page N" stands in running text, where these languages decline the
	 * word; the abbreviation does not change ("viz s. 12") */
	{ "fi", { "Osa", "Luku", "Liite", "Alaluku", "Taulukko", "Kuva", "Esimerkki", "Esipuhe", "Kolofoni",
		  "Omistus", "Sanasto", "Lähdeluettelo", "Hakemisto", "Sisällys", "Huomautus", "Vihje", "Varoitus",
		  "Tärkeää", "Huomio", "Katso", "Katso myös", "Symbolit", "s.", "sivulla", "Kansi", "Nimiösivu",
		  "Tekijänoikeudet", "Tietoa tästä kirjasta", "Maamerkit", "Sivut", "Sisällön alku",
		  "Julkaistu", "Kirjasimet %s ja %s, taitto octavo %s.",
		  "Toimittanut", "Kääntänyt", "Kuvittanut", "Versiohistoria", "Versio", "K:", "V:", "Copyright \u00A9", "vaihe", "Kannen sisäpuoli", "Yhtälö" } },
	{ "cs", { "Část", "Kapitola", "Příloha", "Oddíl", "Tabulka", "Obrázek", "Příklad", "Předmluva", "Tiráž",
		  "Věnování", "Slovník pojmů", "Bibliografie", "Rejstřík", "Obsah", "Poznámka", "Tip", "Varování",
		  "Důležité", "Upozornění", "Viz", "Viz též", "Symboly", "s.", "na straně", "Obálka", "Titulní strana",
		  "Autorská práva", "O této knize", "Orientační body", "Strany", "Začátek obsahu",
		  "Vydáno", "Vysázeno písmy %s a %s programem octavo %s.",
		  "Redakce:", "Překlad:", "Ilustrace:", "Historie revizí", "Revize", "Otázka:", "Odpověď:", "Copyright \u00A9", "krok", "Vnitřní strana obálky", "Rovnice" } },
	{ "pl", { "Część", "Rozdział", "Dodatek", "Podrozdział", "Tabela", "Rysunek", "Przykład", "Przedmowa", "Kolofon",
		  "Dedykacja", "Słowniczek", "Bibliografia", "Indeks", "Spis treści", "Uwaga", "Wskazówka", "Ostrzeżenie",
		  "Ważne", "Przestroga", "Zob.", "Zob. też", "Symbole", "s.", "na stronie", "Okładka", "Strona tytułowa",
		  "Prawa autorskie", "O tej książce", "Punkty orientacyjne", "Strony", "Początek treści",
		  "Wydano", "Złożono krojami %s i %s w programie octavo %s.",
		  "Redakcja:", "Tłumaczenie:", "Ilustracje:", "Historia zmian", "Wersja", "Pytanie:", "Odpowiedź:", "Copyright \u00A9", "krok", "Wewnętrzna strona okładki", "Równanie" } },
	{ "ru", { "Часть", "Глава", "Приложение", "Раздел", "Таблица", "Рисунок", "Пример", "Предисловие",
		  "Выходные данные", "Посвящение", "Глоссарий", "Библиография", "Предметный указатель", "Содержание",
		  "Примечание", "Совет", "Предупреждение", "Важно", "Внимание", "См.", "См. также", "Символы", "с.",
		  "на странице", "Обложка", "Титульный лист", "Авторские права", "Об этой книге", "Ориентиры", "Страницы",
		  "Начало содержания",
		  "Опубликовано", "Набрано шрифтами %s и %s в octavo %s.",
		  "Редактор:", "Перевод:", "Иллюстрации:", "История изменений", "Версия", "Вопрос:", "Ответ:", "\u00A9", "шаг", "Оборот обложки", "Уравнение" } },
};

const char *const ov_gentext_keys[OV_GT_N + 1] = { /* NULL-terminated: a strv */
	"part", "chapter", "appendix", "section", "table", "figure", "example", "preface", "colophon", "dedication",
	"glossary", "bibliography", "index", "contents", "note", "tip", "warning", "important", "caution", "see",
	"see-also", "symbols", "page", "on-page", "cover", "title-page", "copyright", "about", "landmarks", "pages",
	"start", "published", "set-in", "edited-by", "translated-by", "illustrated-by", "revision-history", "revision",
	"question", "answer", "copyright-sign", "step", "inside-cover", "equation"
};

static char *override[OV_GT_N];

void
ov_gentext_override(char *const *words)
{
	for (int i = 0; i < OV_GT_N; i++) {
		g_free(override[i]);
		override[i] = words && words[i] ? g_strdup(words[i]) : NULL;
	}
}

/* Quotation marks: outer open and close, inner open and close (French: with no-break spaces). */
typedef struct {
	const char *lang;
	const char *q[4];
} Quotes;

static const Quotes quotes[] = {
	{ "en", { "\u201C", "\u201D", "\u2018", "\u2019" } },                 /* “ ” ‘ ’ */
	{ "de", { "\u201E", "\u201C", "\u201A", "\u2018" } },                 /* „ “ ‚ ‘ */
	{ "cs", { "\u201E", "\u201C", "\u201A", "\u2018" } },
	{ "da", { "\u201E", "\u201C", "\u201A", "\u2018" } },
	{ "fr", { "\u00AB\u00A0", "\u00A0\u00BB", "\u2039\u00A0", "\u00A0\u203A" } }, /* « » ‹ › */
	{ "nb", { "\u00AB", "\u00BB", "\u2018", "\u2019" } },                 /* « » ‘ ’ */
	{ "nn", { "\u00AB", "\u00BB", "\u2018", "\u2019" } },
	{ "ru", { "\u00AB", "\u00BB", "\u201E", "\u201C" } },                 /* « » „ “ */
	{ "es", { "\u00AB", "\u00BB", "\u201C", "\u201D" } },                 /* « » “ ” */
	{ "it", { "\u00AB", "\u00BB", "\u201C", "\u201D" } },
	{ "pt", { "\u00AB", "\u00BB", "\u201C", "\u201D" } },
	{ "pt-br", { "\u201C", "\u201D", "\u2018", "\u2019" } },
	{ "sv", { "\u201D", "\u201D", "\u2019", "\u2019" } },                 /* ” ” ’ ’ */
	{ "fi", { "\u201D", "\u201D", "\u2019", "\u2019" } },
	{ "pl", { "\u201E", "\u201D", "\u00AB", "\u00BB" } },                 /* „ ” « » */
};

/* A language tag's key: its primary subtag in lower case, "pt-br" for Brazilian Portuguese,
 * "nb" for "no". */
static void
lang_key(const char *lang, char key[9])
{
	gsize n = 0;

	while (lang && lang[n] && lang[n] != '-' && lang[n] != '_' && n < 8) {
		key[n] = g_ascii_tolower(lang[n]);
		n++;
	}
	key[n] = '\0';
	if (!strcmp(key, "pt") && (lang[n] == '-' || lang[n] == '_') && !g_ascii_strncasecmp(lang + n + 1, "br", 2) &&
	    (lang[n + 3] == '\0' || lang[n + 3] == '-' || lang[n + 3] == '_'))
		strcpy(key, "pt-br");
	else if (!strcmp(key, "no"))
		strcpy(key, "nb");
}

/* The row for a language tag, English for one octavo has no words for. */
static const Words *
row(const char *lang)
{
	char key[9];

	lang_key(lang, key);
	for (gsize i = 0; i < G_N_ELEMENTS(table); i++)
		if (!strcmp(table[i].lang, key))
			return &table[i];
	return &table[0];
}

void
ov_gentext_quotes(const char *lang, int depth, const char **open, const char **close)
{
	const Quotes *q = &quotes[0];
	char key[9];

	lang_key(lang, key);
	for (gsize i = 0; i < G_N_ELEMENTS(quotes); i++)
		if (!strcmp(quotes[i].lang, key))
			q = &quotes[i];
	*open = q->q[depth % 2 ? 2 : 0];
	*close = q->q[depth % 2 ? 3 : 1];
}

const char *
ov_gentext_lang(const char *lang, OvGentext w)
{
	return override[w] ? override[w] : row(lang)->w[w];
}

const char *
ov_gentext_word_lang(const char *lang, OvGentext w)
{
	if (override[w] || row(lang) != &table[0])
		return lang ? lang : "en";
	return lang && g_ascii_strncasecmp(lang, "en", 2) == 0 && !g_ascii_isalpha(lang[2]) ? lang : "en";
}

const char *
ov_gentext(const OvDoc *doc, OvGentext w)
{
	return ov_gentext_lang(doc ? doc->meta.lang : NULL, w);
}

static gboolean
is_list(const OvNode *n)
{
	return n->type == OV_ITEMIZEDLIST || n->type == OV_ORDEREDLIST || n->type == OV_SIMPLELIST ||
	       n->type == OV_VARIABLELIST;
}

OvMark
ov_list_mark(const OvNode *list)
{
	static const struct { const char *name; OvMark m; } named[] = {
		{ "bullet", OV_MARK_DISC }, { "disc", OV_MARK_DISC }, { "dash", OV_MARK_DASH }, { "circle", OV_MARK_CIRCLE },
		{ "opencircle", OV_MARK_CIRCLE }, { "square", OV_MARK_SQUARE }, { "box", OV_MARK_SQUARE }, { "none", OV_MARK_NONE },
	};
	static const OvMark by_depth[] = { OV_MARK_DISC, OV_MARK_DASH, OV_MARK_CIRCLE };

	if (list == NULL || (list->type != OV_ITEMIZEDLIST && list->type != OV_SIMPLELIST))
		return OV_MARK_DISC;
	if (list->type == OV_SIMPLELIST)
		return OV_MARK_NONE;
	for (gsize i = 0; list->u.list.mark && i < G_N_ELEMENTS(named); i++)
		if (!g_ascii_strcasecmp(list->u.list.mark, named[i].name))
			return named[i].m;
	return by_depth[ov_list_depth(list) % 3];
}

int
ov_list_depth(const OvNode *list)
{
	int depth = 0;
	for (const OvNode *a = list->parent; a; a = a->parent)
		depth += is_list(a);
	return depth;
}

gboolean
ov_list_inherits(const OvNode *list)
{
	const OvNode *item = list->parent;
	return list->type == OV_ORDEREDLIST && list->u.list.inherit && item && item->type == OV_LISTITEM && item->label &&
	       item->parent && item->parent->type == OV_ORDEREDLIST;
}

const char *
ov_list_mark_text(OvMark m)
{
	static const char *const text[] = { "", "\u2022", "\u2013", "\u25E6", "\u25AA" };
	return text[m];
}

const char *
ov_gentext_type(const OvDoc *doc, const OvNode *n)
{
	switch (n->type) {
	case OV_PART: return ov_gentext(doc, OV_GT_PART);
	case OV_CHAPTER: return ov_gentext(doc, OV_GT_CHAPTER);
	case OV_APPENDIX: return ov_gentext(doc, OV_GT_APPENDIX);
	case OV_SECTION: return ov_gentext(doc, OV_GT_SECTION);
	case OV_TABLE: return ov_gentext(doc, OV_GT_TABLE);
	case OV_FIGURE:
		return ov_gentext(doc, g_strcmp0(n->tag, "example") == 0	? OV_GT_EXAMPLE
				       : g_strcmp0(n->tag, "equation") == 0 ? OV_GT_EQUATION
									    : OV_GT_FIGURE);
	default: return NULL;
	}
}

/* The word that stands for an untitled division: ov_default_title's, or (any) also the one of
 * ov_gentext_division; -1 for none. */
static int
division_word(const OvNode *div, gboolean any)
{
	switch (div->type) {
	case OV_PREFACE: /* acknowledgements have no word of their own */
		return g_strcmp0(div->tag, "acknowledgements") || any ? OV_GT_PREFACE : -1;
	case OV_COLOPHON: return OV_GT_COLOPHON;
	case OV_DEDICATION: return OV_GT_DEDICATION;
	case OV_GLOSSARY: return g_strcmp0(div->tag, "bibliography") ? OV_GT_GLOSSARY : OV_GT_BIBLIOGRAPHY;
	case OV_INDEX: return OV_GT_INDEX;
	case OV_PART: return any ? OV_GT_PART : -1;
	case OV_CHAPTER: return any ? OV_GT_CHAPTER : -1;
	case OV_APPENDIX: return any ? OV_GT_APPENDIX : -1;
	default: return any ? OV_GT_SECTION : -1;
	}
}

const char *
ov_default_title(const OvDoc *doc, const OvNode *div)
{
	int w = division_word(div, FALSE);
	return w < 0 ? NULL : ov_gentext(doc, w);
}

const char *
ov_gentext_division(const OvDoc *doc, const OvNode *div)
{
	return ov_gentext(doc, division_word(div, TRUE));
}

/* Has a title words of its own (anything but white space)? */
static gboolean
title_has_words(const OvNode *t)
{
	GString *s = g_string_new(NULL);
	gboolean any = FALSE;

	ov_node_text(t, s);
	for (const char *p = s->str; *p && !any; p = g_utf8_next_char(p))
		any = !g_unichar_isspace(g_utf8_get_char(p));
	g_string_free(s, TRUE);
	return any;
}

const char *
ov_division_title_lang(const OvDoc *doc, const OvNode *div, gboolean any)
{
	const OvNode *t = ov_node_child(div, OV_TITLE);
	int w;

	if (t && title_has_words(t)) {
		if (!(t->flags & OV_F_GENERATED))
			return NULL;
		any = FALSE; /* the word octavo gave it */
	}
	w = division_word(div, any);
	return w < 0 ? NULL : ov_gentext_word_lang(doc ? doc->meta.lang : NULL, w);
}

char *
ov_division_title(const OvDoc *doc, const OvNode *div, gboolean any)
{
	const OvNode *t = ov_node_child(div, OV_TITLE);
	GString *s = g_string_new(NULL);
	const char *def;

	if (t)
		ov_node_text(t, s);
	g_strstrip(s->str);
	for (const char *p = s->str; *p; p = g_utf8_next_char(p))
		if (!g_unichar_isspace(g_utf8_get_char(p)))
			return g_string_free(s, FALSE);
	g_string_free(s, TRUE);
	def = any ? ov_gentext_division(doc, div) : ov_default_title(doc, div);
	return def ? g_strdup(def) : NULL;
}

static void
add_line(GArray *a, OvTextLineKind kind, char *text)
{
	OvTextLine l = { kind, text };
	g_array_append_val(a, l);
}

char *
ov_gentext_credit(const GArray *people, OvCredit credit, const char *lang, gboolean with_contrib)
{
	static const OvGentext word[] = { [OV_CREDIT_EDITOR] = OV_GT_EDITED_BY, [OV_CREDIT_TRANSLATOR] = OV_GT_TRANSLATED_BY,
					  [OV_CREDIT_ILLUSTRATOR] = OV_GT_ILLUSTRATED_BY };
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < people->len; i++) {
		const OvPerson *p = &g_array_index(people, OvPerson, i);
		if (p->credit != credit)
			continue;
		g_string_append_printf(s, "%s%s", s->len ? ", " : "", p->name);
		if (with_contrib && p->contrib)
			g_string_append_printf(s, " (%s)", p->contrib);
	}
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	if (credit == OV_CREDIT_EDITOR || credit == OV_CREDIT_TRANSLATOR || credit == OV_CREDIT_ILLUSTRATOR) {
		g_string_prepend_c(s, ' ');
		g_string_prepend(s, ov_gentext_lang(lang, word[credit]));
	}
	return g_string_free(s, FALSE);
}

GArray *
ov_gentext_people(const OvDoc *doc)
{
	const GArray *people = doc->meta.people;
	GArray *a = g_array_new(FALSE, FALSE, sizeof(OvTextLine));

	for (guint i = 0; i < people->len; i++) {
		const OvPerson *p = &g_array_index(people, OvPerson, i);
		const char *details[] = { p->affiliation, p->email, p->address };
		if (p->credit != OV_CREDIT_AUTHOR)
			continue;
		add_line(a, OV_LINE_NAME, g_strdup(p->name));
		for (gsize d = 0; d < G_N_ELEMENTS(details); d++)
			if (details[d])
				add_line(a, OV_LINE_DETAIL, g_strdup(details[d]));
	}
	/* an organisation the info names, unless it is named already */
	if (doc->meta.orgname && g_strcmp0(doc->meta.orgname, doc->meta.publisher) != 0) {
		gboolean named = FALSE;
		for (guint i = 0; i < people->len; i++) { /* a name, or a part of an affiliation */
			const OvPerson *p = &g_array_index(people, OvPerson, i);
			char **parts = p->affiliation ? g_strsplit(p->affiliation, ", ", -1) : NULL;
			named |= strcmp(doc->meta.orgname, p->name) == 0 ||
				 (parts && g_strv_contains((const char *const *)parts, doc->meta.orgname));
			g_strfreev(parts);
		}
		if (!named)
			add_line(a, OV_LINE_NAME, g_strdup(doc->meta.orgname));
	}
	for (OvCredit c = OV_CREDIT_EDITOR; c <= OV_CREDIT_ILLUSTRATOR; c++) {
		char *line = ov_gentext_credit(people, c, doc->meta.lang, FALSE);
		if (line)
			add_line(a, OV_LINE_CREDIT, line);
	}
	for (guint i = 0; i < people->len; i++) {
		const OvPerson *p = &g_array_index(people, OvPerson, i);
		if (p->credit == OV_CREDIT_OTHER)
			add_line(a, OV_LINE_CREDIT, p->contrib ? g_strdup_printf("%s (%s)", p->name, p->contrib)
							       : g_strdup(p->name));
	}
	return a;
}

GPtrArray *
ov_gentext_revisions(const OvDoc *doc)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < doc->meta.revisions->len; i++) {
		const OvRevision *r = &g_array_index(doc->meta.revisions, OvRevision, i);
		GString *s = g_string_new(NULL);
		if (r->number)
			g_string_printf(s, "%s %s", ov_gentext(doc, OV_GT_REVISION), r->number);
		if (r->date)
			g_string_append_printf(s, "%s%s", s->len ? ", " : "", r->date);
		if (r->author)
			g_string_append_printf(s, "%s%s", s->len ? ", " : "", r->author);
		if (r->remark) /* a sentence after the heading's: "Revision 2, 2026-11-01, JS. Remark." */
			g_string_append_printf(s, "%s%s", s->len == 0 ? "" : s->str[s->len - 1] == '.' ? " " : ". ", r->remark);
		g_ptr_array_add(a, g_string_free(s, FALSE));
	}
	return a;
}

void
ov_text_lines_free(GArray *lines)
{
	for (guint i = 0; lines && i < lines->len; i++)
		g_free(g_array_index(lines, OvTextLine, i).text);
	if (lines)
		g_array_free(lines, TRUE);
}

const char *
ov_run_in_stop(const OvNode *title)
{
	GString *t = g_string_new(NULL);
	const char *stop = ".";
	ov_node_text(title, t);
	g_strchomp(t->str);
	if (t->str[0]) {
		gunichar c = g_utf8_get_char(g_utf8_prev_char(t->str + strlen(t->str)));
		if ((c < 0x80 && strchr(".!?:;", (int)c)) || c == 0x2026 || c == 0x203D || c == 0xFF1F || c == 0xFF01 ||
		    c == 0x3002)
			stop = ""; /* "Ends with a colon:", "Why?": no stop after its own */
	}
	g_string_free(t, TRUE);
	return stop;
}

const char *const ov_upright_langs[] = { "ar", "fa", "ur", "ps", "he", "yi", NULL };

gboolean
ov_lang_upright(const char *lang)
{
	char key[9];
	lang_key(lang, key);
	for (int i = 0; ov_upright_langs[i]; i++)
		if (!strcmp(key, ov_upright_langs[i]))
			return TRUE;
	return FALSE;
}

int
ov_inline_style_shown(const OvNode *n)
{
	int st = ov_inline_style(n);
	if ((st & OV_STYLE_ITALIC) && ov_lang_upright(ov_node_lang(n)))
		st = (st & ~OV_STYLE_ITALIC) | (n->type == OV_EMPHASIS ? OV_STYLE_BOLD : 0);
	return st;
}
