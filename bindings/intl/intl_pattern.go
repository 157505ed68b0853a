package intl

import (
	"fmt"
	"strings"
	"time"
)

// datePatterns is a locale's date data as CLDR patterns (see
// intl_date_data.go). A combination of options with no pattern here is a
// RangeError naming them, not a guess.
type datePatterns struct {
	hour12              bool // the locale's default clock
	am, pm              string
	months, monthsStand []string
	monthsShort         []string
	monthsShortStand    []string
	days, daysShort     []string
	daysShortStand      []string // a short weekday alone (ccc), when not daysShort
	decimal             string   // before fractional seconds
	zones               bool     // zoneName's English names are the locale's (timeZoneName: "short")
	widths              bool     // numeric day and month in the widths asked, also mixed (the patterns show them unpadded)
	date, time          map[string]string
	styles              [4]string // dateStyle full, long, medium, short
	glues               [4]string // between date and time, by dateStyle (or month width)
}

// patternLocaleFor is the pattern locale the spec's lookup finds for a
// tag (the tag with subtags dropped from the end until one has data), and
// that locale's id; nil when there is none.
func patternLocaleFor(tag string) (string, *datePatterns) {
	for t := tag; t != ""; {
		if p := patternLocales[t]; p != nil {
			return t, p
		}
		if a := patternAliases[t]; a != "" {
			return t, patternLocales[a]
		}
		i := strings.LastIndexByte(t, '-')
		if i < 0 {
			break
		}
		t = t[:i]
	}
	return "", nil
}

// patternAliases are the locales whose CLDR data is their language's.
var patternAliases = map[string]string{
	"es-ES": "es", "it-IT": "it", "pt-BR": "pt", "nl-NL": "nl", "sv-SE": "sv", "pl-PL": "pl",
	"ru-RU": "ru", "ja-JP": "ja", "zh-CN": "zh", "zh-Hans": "zh", "zh-Hans-CN": "zh", "ko-KR": "ko",
}

// dateSupported says whether DateTimeFormat has data for a locale or one
// it falls back to by the spec's lookup (so supportedLocalesOf lists it).
func dateSupported(tag string) bool {
	if _, p := patternLocaleFor(tag); p != nil {
		return true
	}
	lang, _, _ := strings.Cut(tag, "-")
	return lang == "en" || lang == "de" || lang == "fr"
}

// defaultHour12 is the locale's clock when no option says.
func (dl *dateLocale) defaultHour12() bool {
	return dl.pat.hour12
}

// patternKeys are the date and time skeletons of options, or the first
// option no pattern covers.
func (p *datePatterns) keys(o DateOptions) (date, tm, bad string) {
	switch o.Weekday {
	case "long":
		date += "EEEE"
	case "short":
		date += "E"
	case "":
	default:
		return "", "", "weekday: " + o.Weekday
	}
	if o.Year != "" {
		date += "y"
	}
	switch o.Month {
	case "numeric", "2-digit":
		date += "M"
	case "short":
		date += "MMM"
	case "long":
		date += "MMMM"
	case "":
	default:
		return "", "", "month: " + o.Month
	}
	if o.Day != "" {
		date += "d"
	}
	// ICU pads and orders mixed widths in ways these patterns do not
	// show, and puts a lone weekday around a time differently by locale.
	numericMonth := o.Month == "numeric" || o.Month == "2-digit"
	if !p.widths && numericMonth && (o.Month == "2-digit" || o.Day == "2-digit") && (o.Month != o.Day || o.Year == "") {
		return "", "", "the combination of " + describeDate(o, false)
	}
	if date == "EM" && o.Month == "2-digit" { // "Fri (month: 11)" in en-US
		return "", "", "the combination of " + describeDate(o, false)
	}
	if (date == "E" || date == "EEEE") && (o.Hour != "" || o.Minute != "" || o.Second != "") {
		return "", "", "weekday: " + o.Weekday + " with a time"
	}
	if o.Year == "2-digit" && o.Day != "2-digit" && p.date[date+"yy"] != "" {
		date += "yy" // ICU orders some fields otherwise with a 2-digit year
	}
	if date != "" && p.date[date] == "" {
		return "", "", "the combination of " + describeDate(o, false)
	}
	if o.Hour != "" {
		if p.h12(o) {
			tm = "h"
		} else {
			tm = "H"
		}
	}
	if o.Minute != "" {
		tm += "m"
	}
	if o.Second != "" {
		tm += "s"
	}
	if o.Minute == "2-digit" && p.time[tm+"2"] != "" {
		tm += "2"
	}
	if tm != "" && p.time[tm] == "" {
		return "", "", "the combination of " + describeDate(o, true)
	}
	if o.FracDigits > 0 && (p.decimal == "" || o.Minute == "" || o.Second == "") {
		return "", "", fmt.Sprintf("fractionalSecondDigits: %d", o.FracDigits)
	}
	if o.TimeZoneName != "" && (!p.zones || o.TimeZoneName != "short" || o.Hour == "") {
		return "", "", "timeZoneName: " + o.TimeZoneName
	}
	if o.TimeStyle == "long" || o.TimeStyle == "full" {
		return "", "", "timeStyle: " + o.TimeStyle
	}
	if o.TimeStyle != "" && o.Hour12 != nil && *o.Hour12 != p.hour12 {
		return "", "", fmt.Sprintf("hour12: %v with timeStyle", *o.Hour12)
	}
	return date, tm, ""
}

func describeDate(o DateOptions, timeFields bool) string {
	var f []string
	add := func(name, v string) {
		if v != "" {
			f = append(f, name+": "+v)
		}
	}
	if timeFields {
		add("hour", o.Hour)
		add("minute", o.Minute)
		add("second", o.Second)
	} else {
		add("weekday", o.Weekday)
		add("year", o.Year)
		add("month", o.Month)
		add("day", o.Day)
	}
	return strings.Join(f, ", ")
}

func (p *datePatterns) h12(o DateOptions) bool {
	if o.Hour12 != nil {
		return *o.Hour12
	}
	return p.hour12
}

// glueIndex is the dateStyle whose date-time glue ICU uses for fields:
// full for a long weekday and month, long for a long month, medium for a
// short one, else short.
func glueIndex(o DateOptions) int {
	switch {
	case o.Month == "long" && o.Weekday == "long":
		return 0
	case o.Month == "long":
		return 1
	case o.Month == "short":
		return 2
	}
	return 3
}

var styleIndex = map[string]int{"full": 0, "long": 1, "medium": 2, "short": 3}

// format lays t out; options keys rejects are never passed here.
func (p *datePatterns) format(t time.Time, o DateOptions) partList {
	var parts partList
	if o.DateStyle != "" || o.TimeStyle != "" {
		if o.DateStyle != "" {
			p.render(&parts, p.styles[styleIndex[o.DateStyle]], t, DateOptions{})
		}
		if o.TimeStyle != "" {
			if o.DateStyle != "" {
				parts.lit(p.glues[styleIndex[o.DateStyle]])
			}
			key := "Hm"
			if p.h12(o) {
				key = "hm"
			}
			if o.TimeStyle == "medium" {
				key += "s"
			}
			if p.time[key+"2"] != "" {
				key += "2"
			}
			p.render(&parts, p.time[key], t, DateOptions{})
		}
		return parts
	}
	date, tm, _ := p.keys(o)
	if date != "" {
		p.render(&parts, p.date[date], t, o)
	}
	if tm != "" {
		if date != "" {
			parts.lit(p.glues[glueIndex(o)])
		}
		p.render(&parts, p.time[tm], t, o)
	}
	if o.TimeZoneName != "" {
		parts.lit(" ")
		parts.add("timeZoneName", zoneName(t))
	}
	return parts
}

// render expands a pattern; o gives the widths asked for ("2-digit" pads
// a field the pattern shows unpadded).
func (p *datePatterns) render(parts *partList, pattern string, t time.Time, o DateOptions) {
	// V8 asks ICU for an hour as wide as the option when the minute is
	// 2-digit: "numeric" is then unpadded whatever the locale's pattern.
	hourPad := func(pattern bool) bool {
		return o.Hour == "2-digit" || pattern && !(o.Hour == "numeric" && o.Minute == "2-digit")
	}
	pad := func(v int, two bool) string {
		if two {
			return fmt.Sprintf("%02d", v%100)
		}
		return fmt.Sprint(v)
	}
	for pattern != "" {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			parts.lit(pattern)
			return
		}
		if i > 0 {
			parts.lit(pattern[:i])
		}
		j := strings.IndexByte(pattern[i:], '}') + i
		field := pattern[i+1 : j]
		pattern = pattern[j+1:]
		m := int(t.Month()) - 1
		switch field {
		case "y":
			parts.add("year", pad(t.Year(), o.Year == "2-digit"))
		case "yy":
			parts.add("year", pad(t.Year(), true))
		case "M", "MM":
			parts.add("month", pad(m+1, field == "MM" || o.Month == "2-digit"))
		case "MMM":
			parts.add("month", p.monthsShort[m])
		case "MMMM":
			parts.add("month", p.months[m])
		case "LLL":
			parts.add("month", p.monthsShortStand[m])
		case "LLLL":
			parts.add("month", p.monthsStand[m])
		case "d", "dd":
			parts.add("day", pad(t.Day(), field == "dd" || o.Day == "2-digit"))
		case "E":
			parts.add("weekday", p.daysShort[t.Weekday()])
		case "ccc":
			parts.add("weekday", p.daysShortStand[t.Weekday()])
		case "EEEE":
			parts.add("weekday", p.days[t.Weekday()])
		case "H", "HH":
			parts.add("hour", pad(t.Hour(), hourPad(field == "HH")))
		case "h", "hh":
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			parts.add("hour", pad(h, hourPad(field == "hh")))
		case "K":
			parts.add("hour", pad(t.Hour()%12, o.Hour == "2-digit"))
		case "m":
			parts.add("minute", pad(t.Minute(), o.Minute == "2-digit"))
		case "s":
			parts.add("second", pad(t.Second(), o.Second == "2-digit"))
		case "mm":
			parts.add("minute", pad(t.Minute(), true))
		case "ss":
			parts.add("second", pad(t.Second(), true))
			if o.FracDigits > 0 {
				parts.lit(p.decimal)
				ms := fmt.Sprintf("%03d", t.Nanosecond()/1e6)
				parts.add("fractionalSecond", ms[:o.FracDigits])
			}
		case "a":
			if t.Hour() < 12 {
				parts.add("dayPeriod", p.am)
			} else {
				parts.add("dayPeriod", p.pm)
			}
		}
	}
}
