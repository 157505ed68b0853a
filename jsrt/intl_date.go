package jsrt

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dateLocale is what host knows of a locale's dates: names and the order
// and punctuation of the common patterns (CLDR's, as Node's ICU shows
// them). Locales with a pat format by pattern (intl_pattern.go). Other
// locales format as en-US, as Intl does for a locale it has no data for
// (resolvedOptions().locale says so).
type dateLocale struct {
	id                  string
	pat                 *datePatterns
	months, monthsShort []string
	days, daysShort     []string
	am, pm              string
	hour12              bool   // the locale's default clock
	order               string // numeric dates: "mdy", "dmy"
	numSep              string // between numeric date fields
	padNumeric          bool   // numeric day and month shown with two digits
	dayDot              string // after the day in a text date ("15. Januar")
	weekdayComma        bool   // "Monday, January 15"
	shortWeekdayComma   bool   // "Mon, Jan 15" (en-GB: "Mon 15 Jan")
	at                  string // date and time of dateStyle long/full
	join                string // date and time otherwise
	mediumNumeric       bool   // dateStyle medium is 15.01.2024
	shortYear2          bool   // dateStyle short has a 2-digit year
	shortPad            bool   // dateStyle short pads day and month
}

var dateLocales = map[string]*dateLocale{
	"en-US": {id: "en-US",
		months:      []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		monthsShort: []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		days:        []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		daysShort:   []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
		am:          "AM", pm: "PM", hour12: true, order: "mdy", numSep: "/", weekdayComma: true, shortWeekdayComma: true,
		at: " at ", join: ", ", shortYear2: true},
	"en-GB": {id: "en-GB",
		months:      []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		monthsShort: []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"},
		days:        []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		daysShort:   []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
		am:          "am", pm: "pm", order: "dmy", numSep: "/", padNumeric: true, weekdayComma: true,
		at: " at ", join: ", ", shortPad: true},
	"de": {id: "de",
		months:      []string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		monthsShort: []string{"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."},
		days:        []string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
		daysShort:   []string{"So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."},
		am:          "AM", pm: "PM", order: "dmy", numSep: ".", dayDot: ".", weekdayComma: true, shortWeekdayComma: true,
		at: " um ", join: ", ", mediumNumeric: true, shortYear2: true, shortPad: true},
	"fr": {id: "fr",
		months:      []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		monthsShort: []string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
		days:        []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
		daysShort:   []string{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."},
		am:          "AM", pm: "PM", order: "dmy", numSep: "/", padNumeric: true,
		at: " à ", join: " ", shortPad: true},
}

// dateLocaleFor picks the data for a locale: a pattern locale's, en-GB's
// for the English of the Commonwealth, de's and fr's for those languages,
// else en-US's.
func dateLocaleFor(tag string) *dateLocale {
	if id, p := patternLocaleFor(tag); p != nil {
		return &dateLocale{id: id, pat: p}
	}
	lang, region, _ := strings.Cut(tag, "-")
	region, _, _ = strings.Cut(region, "-")
	switch lang {
	case "de", "fr":
		return dateLocales[lang]
	case "en":
		switch region {
		case "GB", "AU", "NZ", "IE", "IN", "ZA":
			return dateLocales["en-GB"]
		}
	}
	return dateLocales["en-US"]
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
	if dl.pat != nil {
		return dl.pat.format(t, o)
	}
	if o.DateStyle != "" || o.TimeStyle != "" {
		return formatStyles(dl, t, o)
	}
	var parts partList
	hasDate := o.Weekday != "" || o.Year != "" || o.Month != "" || o.Day != ""
	hasTime := o.Hour != "" || o.Minute != "" || o.Second != ""
	if hasDate {
		datePattern(dl, t, o, &parts)
	}
	if hasTime {
		if hasDate {
			switch glueIndex(o) {
			case 0, 1:
				parts.lit(dl.at)
			case 2:
				parts.lit(", ")
			default:
				parts.lit(dl.join)
			}
		}
		timePattern(dl, t, o, &parts)
	}
	if o.TimeZoneName != "" {
		parts.lit(" ")
		parts.add("timeZoneName", zoneName(t))
	}
	return parts
}

func formatStyles(dl *dateLocale, t time.Time, o DateOptions) partList {
	var parts partList
	if o.DateStyle != "" {
		d := DateOptions{}
		switch o.DateStyle {
		case "full":
			d = DateOptions{Weekday: "long", Year: "numeric", Month: "long", Day: "numeric"}
		case "long":
			d = DateOptions{Year: "numeric", Month: "long", Day: "numeric"}
		case "medium":
			d = DateOptions{Year: "numeric", Month: "short", Day: "numeric"}
			if dl.mediumNumeric {
				d = DateOptions{Year: "numeric", Month: "2-digit", Day: "2-digit"}
			}
		case "short":
			d = DateOptions{Year: "numeric", Month: "numeric", Day: "numeric"}
			if dl.shortYear2 {
				d.Year = "2-digit"
			}
			if dl.shortPad {
				d.Month, d.Day = "2-digit", "2-digit"
			}
		}
		datePattern(dl, t, d, &parts)
	}
	if o.TimeStyle != "" {
		if o.DateStyle != "" {
			if o.DateStyle == "long" || o.DateStyle == "full" {
				parts.lit(dl.at)
			} else if dl.id == "fr" && o.DateStyle == "short" {
				parts.lit(" ")
			} else {
				parts.lit(", ")
			}
		}
		tm := DateOptions{Hour: "numeric", Minute: "2-digit", Hour12: o.Hour12}
		if o.TimeStyle != "short" {
			tm.Second = "2-digit"
		}
		timePattern(dl, t, tm, &parts)
		if o.TimeStyle == "long" || o.TimeStyle == "full" {
			parts.lit(" ")
			parts.add("timeZoneName", zoneName(t))
		}
	}
	return parts
}

func num(v int, width string) string {
	if width == "2-digit" {
		return fmt.Sprintf("%02d", v%100)
	}
	return strconv.Itoa(v)
}

func datePattern(dl *dateLocale, t time.Time, o DateOptions, parts *partList) {
	text := o.Month == "long" || o.Month == "short" || o.Month == "narrow"
	wd := func() string {
		if o.Weekday == "long" {
			return dl.days[t.Weekday()]
		}
		if o.Weekday == "narrow" {
			return string([]rune(dl.days[t.Weekday()])[:1])
		}
		return dl.daysShort[t.Weekday()]
	}
	month := func() string {
		switch o.Month {
		case "long":
			return dl.months[t.Month()-1]
		case "short":
			return dl.monthsShort[t.Month()-1]
		case "narrow":
			return string([]rune(dl.months[t.Month()-1])[:1])
		}
		w := o.Month
		if dl.padNumeric && o.Day != "" {
			w = "2-digit"
		}
		return num(int(t.Month()), w)
	}
	day := func() string {
		w := o.Day
		if dl.padNumeric && !text && o.Month != "" {
			w = "2-digit"
		}
		return num(t.Day(), w)
	}
	year := func() string { return num(t.Year(), o.Year) }
	if o.Weekday != "" {
		parts.add("weekday", wd())
		if o.Year == "" && o.Month == "" && o.Day == "" {
			return
		}
		switch {
		case dl.id == "fr":
			parts.lit(" ")
		case o.Weekday == "long" && dl.weekdayComma && (o.Year != "" || dl.shortWeekdayComma), o.Weekday != "long" && dl.shortWeekdayComma:
			parts.lit(", ")
		case o.Year != "" && dl.weekdayComma:
			parts.lit(", ")
		default:
			parts.lit(" ")
		}
	}
	if !text {
		fields := map[byte]func(){
			'd': func() {
				if o.Day != "" {
					parts.add("day", day())
				}
			},
			'm': func() {
				if o.Month != "" {
					parts.add("month", month())
				}
			},
			'y': func() {
				if o.Year != "" {
					parts.add("year", year())
				}
			},
		}
		first := true
		for i := 0; i < len(dl.order); i++ {
			c := dl.order[i]
			present := c == 'd' && o.Day != "" || c == 'm' && o.Month != "" || c == 'y' && o.Year != ""
			if !present {
				continue
			}
			if !first {
				parts.lit(dl.numSep)
			}
			first = false
			fields[c]()
		}
		return
	}
	// Text months.
	if dl.order == "mdy" {
		parts.add("month", month())
		if o.Day != "" {
			parts.lit(" ")
			parts.add("day", day())
		}
		if o.Year != "" {
			if o.Day != "" {
				parts.lit(", ")
			} else {
				parts.lit(" ")
			}
			parts.add("year", year())
		}
		return
	}
	if o.Day != "" {
		parts.add("day", day())
		parts.lit(dl.dayDot + " ")
	}
	parts.add("month", month())
	if o.Year != "" {
		parts.lit(" ")
		parts.add("year", year())
	}
}

func timePattern(dl *dateLocale, t time.Time, o DateOptions, parts *partList) {
	h12 := dl.hour12
	if o.Hour12 != nil {
		h12 = *o.Hour12
	}
	if o.Hour != "" {
		h := t.Hour()
		w := o.Hour
		if h12 {
			h = h % 12
			if h == 0 {
				h = 12
			}
		} else if (o.Minute != "" || dl.id != "en-US") && !(o.Hour == "numeric" && o.Minute == "2-digit") {
			w = "2-digit"
		}
		parts.add("hour", num(h, w))
	}
	if o.Minute != "" {
		if o.Hour != "" {
			parts.lit(":")
		}
		w := o.Minute
		if o.Hour != "" || o.Second != "" {
			w = "2-digit"
		}
		parts.add("minute", num(t.Minute(), w))
	}
	if o.Second != "" {
		if o.Hour != "" || o.Minute != "" {
			parts.lit(":")
		}
		w := o.Second
		if o.Hour != "" || o.Minute != "" {
			w = "2-digit"
		}
		parts.add("second", num(t.Second(), w))
	}
	if o.FracDigits > 0 {
		parts.lit(".")
		ms := fmt.Sprintf("%03d", t.Nanosecond()/1e6)
		parts.add("fractionalSecond", ms[:o.FracDigits])
	}
	if o.Hour != "" && h12 {
		parts.lit("\u202f") // format() shows a plain space, as V8 does
		if t.Hour() < 12 {
			parts.add("dayPeriod", dl.am)
		} else {
			parts.add("dayPeriod", dl.pm)
		}
	}
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
