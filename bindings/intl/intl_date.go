package intl

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dateLocale is the locale host formats dates in: its patterns
// (intl_pattern.go) and the id resolvedOptions().locale shows. A locale
// host has no data for formats as en-US, as Intl does (and says so).
type dateLocale struct {
	id  string
	pat *datePatterns
}

// dateLocaleFor picks the data for a locale: en-GB's for the English of
// the Commonwealth, de's and fr's for those languages, a pattern locale's
// by the spec's lookup, else en-US's. The id is the tag asked for only
// where Node formats it as the data does (de-AT, fr-FR...); en-AU, de-CH,
// fr-CA and the like show the locale they are formatted in.
func dateLocaleFor(tag string) *dateLocale {
	lang, region, _ := strings.Cut(tag, "-")
	region, _, _ = strings.Cut(region, "-")
	switch {
	case lang == "en" && region == "GB":
		return &dateLocale{id: tag, pat: patternLocales["en-GB"]}
	case lang == "en" && (region == "AU" || region == "NZ" || region == "IE" || region == "IN" || region == "ZA"):
		return &dateLocale{id: "en-GB", pat: patternLocales["en-GB"]}
	case lang == "en":
		return &dateLocale{id: "en-US", pat: patternLocales["en-US"]}
	case lang == "de" && (region == "DE" || region == "AT"), lang == "fr" && region == "FR":
		return &dateLocale{id: tag, pat: patternLocales[lang]}
	case lang == "de" || lang == "fr":
		return &dateLocale{id: lang, pat: patternLocales[lang]}
	}
	if id, p := patternLocaleFor(tag); p != nil {
		return &dateLocale{id: id, pat: p}
	}
	return &dateLocale{id: "en-US", pat: patternLocales["en-US"]}
}

// DateOptions are Intl.DateTimeFormat's resolved options (intl.js checks
// them); an empty field is absent.
type DateOptions struct {
	Weekday      string `json:"weekday"`
	Year         string `json:"year"`
	Month        string `json:"month"`
	Day          string `json:"day"`
	Hour         string `json:"hour"`
	Minute       string `json:"minute"`
	Second       string `json:"second"`
	FracDigits   int    `json:"fractionalSecondDigits"`
	TimeZoneName string `json:"timeZoneName"`
	Hour12       *bool  `json:"hour12"`
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

// formatDate lays t out for the locale and options.
func formatDate(dl *dateLocale, t time.Time, o DateOptions) partList {
	return dl.pat.format(t, o)
}

// zoneName is the short zone name ICU shows in English: the US zones'
// abbreviations and UTC, else GMT with the offset.
func zoneName(t time.Time) string {
	abbr, off := t.Zone()
	switch abbr {
	case "UTC", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST":
		if t.Location().String() == "UTC" || abbr != "UTC" {
			return abbr
		}
	}
	if off == 0 {
		return "GMT"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s := "GMT" + sign + strconv.Itoa(off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}
