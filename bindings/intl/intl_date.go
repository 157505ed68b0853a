package intl

import (
	"strings"
)

// dateLocale is the locale host formats dates in: its CLDR data
// (cldr_data.go) and the id resolvedOptions().locale shows. A locale host
// has no data for formats as en-US, as Intl does (and says so).
type dateLocale struct {
	id  string
	loc *cldrLocale
}

// dateAliases are the locales whose CLDR data is another's ("tag=data,"
// pairs: a string, not a map, so nothing is built at start-up).
const dateAliases = ",en-US=en,es-ES=es,it-IT=it,pt-BR=pt,nl-NL=nl,sv-SE=sv,pl-PL=pl,ru-RU=ru,ja-JP=ja,zh-CN=zh,zh-Hans=zh,zh-Hans-CN=zh,ko-KR=ko,"

func dateAlias(tag string) string {
	i := strings.Index(dateAliases, ","+tag+"=")
	if i < 0 {
		return ""
	}
	rest := dateAliases[i+len(tag)+2:]
	return rest[:strings.IndexByte(rest, ',')]
}

// dateLocaleFor picks the data for a locale: its own where cldrgen has
// it (en-AU, de-AT, fr-CA...), else de's and fr's for
// those languages, a data locale's by the spec's lookup, else en-US's.
// The id is the tag asked for only where Node formats it as the data does
// (de-DE, fr-FR...); en-SG, de-LU, fr-BE and the like show the locale
// they are formatted in.
func dateLocaleFor(tag string) *dateLocale {
	if l := cldrLocaleByID(tag); l != nil && strings.Contains(tag, "-") {
		return &dateLocale{id: tag, loc: l} // en-AU, de-AT, fr-CA...
	}
	lang, region, _ := strings.Cut(tag, "-")
	region, _, _ = strings.Cut(region, "-")
	switch {
	case lang == "en" && region == "GB":
		return &dateLocale{id: tag, loc: cldrLocaleByID("en-GB")}
	case lang == "en":
		return &dateLocale{id: "en-US", loc: cldrLocaleByID("en")}
	case lang == "de" && (region == "DE" || region == "AT"), lang == "fr" && region == "FR":
		return &dateLocale{id: tag, loc: cldrLocaleByID(lang)}
	case lang == "de" || lang == "fr":
		return &dateLocale{id: lang, loc: cldrLocaleByID(lang)}
	}
	if id, l := dataLocaleFor(tag); l != nil {
		return &dateLocale{id: id, loc: l}
	}
	return &dateLocale{id: "en-US", loc: cldrLocaleByID("en")}
}

// dataLocaleFor is the data locale the spec's lookup finds for a tag (the
// tag with subtags dropped from the end until one has data), and that
// locale's id; nil when there is none.
func dataLocaleFor(tag string) (string, *cldrLocale) {
	for t := tag; t != ""; {
		if a := dateAlias(t); a != "" {
			return t, cldrLocaleByID(a)
		}
		if l := cldrLocaleByID(t); l != nil {
			return t, l
		}
		i := strings.LastIndexByte(t, '-')
		if i < 0 {
			break
		}
		t = t[:i]
	}
	return "", nil
}

// dateSupported says whether DateTimeFormat has data for a locale or one
// it falls back to by the spec's lookup (so supportedLocalesOf lists it).
func dateSupported(tag string) bool {
	if _, l := dataLocaleFor(tag); l != nil {
		return true
	}
	lang, _, _ := strings.Cut(tag, "-")
	return lang == "en" || lang == "de" || lang == "fr"
}

// DateOptions are Intl.DateTimeFormat's options (intl.js checks them); an
// empty field is absent.
type DateOptions struct {
	Weekday      string `json:"weekday"`
	Era          string `json:"era"`
	Year         string `json:"year"`
	Month        string `json:"month"`
	Day          string `json:"day"`
	DayPeriod    string `json:"dayPeriod"`
	Hour         string `json:"hour"`
	Minute       string `json:"minute"`
	Second       string `json:"second"`
	FracDigits   int    `json:"fractionalSecondDigits"`
	TimeZoneName string `json:"timeZoneName"`
	Hour12       *bool  `json:"hour12"`
	HourCycle    string `json:"hourCycle"`
	DateStyle    string `json:"dateStyle"`
	TimeStyle    string `json:"timeStyle"`
}

// datePart is one piece of a formatted date, as formatToParts gives it.
type datePart struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type partList []datePart

func (p *partList) add(typ, v string) { *p = append(*p, datePart{typ, v}) }

// lit adds literal text, to the literal before it if any (as ICU does).
func (p *partList) lit(v string) {
	if n := len(*p); n > 0 && (*p)[n-1].Type == "literal" {
		(*p)[n-1].Value += v
		return
	}
	p.add("literal", v)
}
