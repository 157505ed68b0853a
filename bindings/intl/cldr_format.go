package intl

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

// nth is item i of a \x00-separated list.
func nth(list string, i int) string {
	for ; i > 0; i-- {
		j := strings.IndexByte(list, 0)
		if j < 0 {
			return ""
		}
		list = list[j+1:]
	}
	if j := strings.IndexByte(list, 0); j >= 0 {
		return list[:j]
	}
	return list
}

// record finds "\x1ekey\x1f..." in a table and returns its fields.
func record(table, key string) []string {
	i := strings.Index(table, "\x1e"+key+"\x1f")
	if i < 0 {
		return nil
	}
	rest := table[i+len(key)+2:]
	if j := strings.IndexByte(rest, '\x1e'); j >= 0 {
		rest = rest[:j]
	}
	return strings.Split(rest, "\x1f")
}

func cldrLocaleByID(id string) *cldrLocale {
	for i := range cldrLocales {
		if cldrLocales[i].id == id {
			return &cldrLocales[i]
		}
	}
	return nil
}

// generators are the locales' pattern generators, made on first use (a
// few hundred microseconds each), and the patterns they gave.
var generators sync.Map // *cldrLocale -> *generatorCache

type generatorCache struct {
	once     sync.Once
	g        *generator
	patterns sync.Map // skeleton -> pattern
}

func patternFor(loc *cldrLocale, skel string) string {
	v, _ := generators.LoadOrStore(loc, &generatorCache{})
	c := v.(*generatorCache)
	if p, ok := c.patterns.Load(skel); ok {
		return p.(string)
	}
	c.once.Do(func() { c.g = newGenerator(loc) })
	p := c.g.bestPattern(skel)
	c.patterns.Store(skel, p)
	return p
}

// hourCycleChar is the pattern letter of an hour cycle.
func hourCycleChar(hc string) byte {
	switch hc {
	case "h11":
		return 'K'
	case "h12":
		return 'h'
	case "h23":
		return 'H'
	case "h24":
		return 'k'
	}
	return 0
}

func hourCycleOf(c byte) string {
	switch c {
	case 'K':
		return "h11"
	case 'h':
		return "h12"
	case 'H':
		return "h23"
	case 'k':
		return "h24"
	}
	return ""
}

// defaultHourCycle is the locale's clock; hour12 true or false picks the
// locale's 12- or 24-hour cycle as V8 does.
func (dl *dateLocale) hourCycle(hour12 *bool, hc string) string {
	def := hourCycleOf(dl.loc.hourChar)
	if hour12 != nil {
		if *hour12 {
			if def == "h11" || def == "h12" {
				return def
			}
			return "h12"
		}
		if def == "h24" {
			return def
		}
		return "h23"
	}
	if hc != "" {
		return hc
	}
	return def
}

// replaceHourCycle is V8's ReplaceHourCycleInPattern.
func replaceHourCycle(p string, hc byte) string {
	if hc == 0 {
		return p
	}
	b := []byte(p)
	quoted := false
	for i, c := range b {
		switch c {
		case '\'':
			quoted = !quoted
		case 'h', 'H', 'k', 'K':
			if !quoted {
				b[i] = hc
			}
		}
	}
	return string(b)
}

// styleIndex is the index of a dateStyle or timeStyle in CLDR's lists.
func styleIndex(s string) int {
	switch s {
	case "full":
		return 0
	case "long":
		return 1
	case "medium":
		return 2
	}
	return 3
}

// pattern is the ICU pattern V8 formats options with, and the hour cycle
// it shows ("" without an hour).
func (dl *dateLocale) pattern(o DateOptions) (string, string) {
	loc := dl.loc
	hc := ""
	if o.Hour != "" || o.TimeStyle != "" {
		hc = dl.hourCycle(o.Hour12, o.HourCycle)
	}
	if o.DateStyle != "" || o.TimeStyle != "" {
		var p string
		switch {
		case o.DateStyle != "" && o.TimeStyle != "":
			p = simpleFormat(loc.dateTimeFormats[styleIndex(o.DateStyle)], loc.timeFormats[styleIndex(o.TimeStyle)], loc.dateFormats[styleIndex(o.DateStyle)])
		case o.DateStyle != "":
			return loc.dateFormats[styleIndex(o.DateStyle)], ""
		default:
			p = loc.timeFormats[styleIndex(o.TimeStyle)]
		}
		if c := hourCycleChar(hc); c != 0 && patternHourChar(p) != c {
			// V8 asks the generator again for the pattern's skeleton with
			// the hour asked for (and no day period).
			s := parseSkeleton(p)
			var skel strings.Builder
			for f, v := range s.orig {
				switch {
				case f == fDayPeriod:
				case f == fHour:
					skel.WriteString(strings.Repeat(string(c), len(v)))
				default:
					skel.WriteString(v)
				}
			}
			p = replaceHourCycle(patternFor(loc, skel.String()), c)
		}
		return p, hourCycleOf(patternHourChar(p))
	}
	var skel strings.Builder
	add := func(v string, m map[string]string) { skel.WriteString(m[v]) }
	add(o.Weekday, map[string]string{"narrow": "EEEEE", "long": "EEEE", "short": "EEE"})
	add(o.Era, map[string]string{"narrow": "GGGGG", "long": "GGGG", "short": "GGG"})
	add(o.Year, map[string]string{"2-digit": "yy", "numeric": "y"})
	add(o.Month, map[string]string{"narrow": "MMMMM", "long": "MMMM", "short": "MMM", "2-digit": "MM", "numeric": "M"})
	add(o.Day, map[string]string{"2-digit": "dd", "numeric": "d"})
	add(o.DayPeriod, map[string]string{"narrow": "BBBBB", "long": "BBBB", "short": "B"})
	if o.Hour != "" {
		c := string(hourCycleChar(hc)) // V8 asks for the hour cycle's letter, never j
		if o.Hour == "2-digit" {
			c += c
		}
		skel.WriteString(c)
	}
	add(o.Minute, map[string]string{"2-digit": "mm", "numeric": "m"})
	add(o.Second, map[string]string{"2-digit": "ss", "numeric": "s"})
	if o.FracDigits > 0 {
		skel.WriteString(strings.Repeat("S", o.FracDigits))
	}
	add(o.TimeZoneName, map[string]string{"short": "z", "long": "zzzz", "shortOffset": "O", "longOffset": "OOOO", "shortGeneric": "v", "longGeneric": "vvvv"})
	p := patternFor(loc, skel.String())
	p = replaceHourCycle(p, hourCycleChar(hc))
	return p, hourCycleOf(patternHourChar(p))
}

// patternHourChar is the hour letter of a pattern, or 0.
func patternHourChar(p string) byte {
	for _, tok := range patternTokens(p) {
		switch tok[0] {
		case 'h', 'H', 'k', 'K':
			return tok[0]
		}
	}
	return 0
}

// resolvedFields are the options a pattern shows, as V8's
// resolvedOptions reads them back: for each option, the first of its
// letter runs found anywhere in the pattern, quoted text included (so
// Spanish "MMMM 'de' y" shows a day, as in Node).
func resolvedFields(p string) map[string]string {
	out := map[string]string{}
	for _, f := range resolvedPatterns {
		for _, pv := range f.pairs {
			if strings.Contains(p, pv[0]) {
				out[f.name] = pv[1]
				break
			}
		}
	}
	n := 0
	for _, tok := range patternTokens(p) {
		if tok[0] == 'S' {
			n = len(tok)
		}
	}
	if n > 0 {
		out["fractionalSecondDigits"] = strconv.Itoa(n)
	}
	return out
}

// resolvedPatterns are V8's pattern items: an option and its letter runs,
// longest first.
var resolvedPatterns = [...]struct {
	name  string
	pairs [][2]string
}{
	{"weekday", [][2]string{{"EEEEE", "narrow"}, {"EEEE", "long"}, {"EEE", "short"}, {"ccccc", "narrow"}, {"cccc", "long"}, {"ccc", "short"}}},
	{"era", [][2]string{{"GGGGG", "narrow"}, {"GGGG", "long"}, {"GGG", "short"}}},
	{"year", [][2]string{{"yy", "2-digit"}, {"y", "numeric"}}},
	{"month", [][2]string{{"MMMMM", "narrow"}, {"MMMM", "long"}, {"MMM", "short"}, {"MM", "2-digit"}, {"M", "numeric"}, {"LLLLL", "narrow"}, {"LLLL", "long"}, {"LLL", "short"}, {"LL", "2-digit"}, {"L", "numeric"}}},
	{"day", [][2]string{{"dd", "2-digit"}, {"d", "numeric"}}},
	{"dayPeriod", [][2]string{{"BBBBB", "narrow"}, {"bbbbb", "narrow"}, {"BBBB", "long"}, {"bbbb", "long"}, {"B", "short"}, {"b", "short"}}},
	{"hour", [][2]string{{"HH", "2-digit"}, {"H", "numeric"}, {"hh", "2-digit"}, {"h", "numeric"}, {"kk", "2-digit"}, {"k", "numeric"}, {"KK", "2-digit"}, {"K", "numeric"}}},
	{"minute", [][2]string{{"mm", "2-digit"}, {"m", "numeric"}}},
	{"second", [][2]string{{"ss", "2-digit"}, {"s", "numeric"}}},
	{"timeZoneName", [][2]string{{"zzzz", "long"}, {"z", "short"}, {"OOOO", "longOffset"}, {"O", "shortOffset"}, {"vvvv", "longGeneric"}, {"v", "shortGeneric"}}},
}

func pad(v, n int) string {
	s := strconv.Itoa(v)
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// format lays t out by an ICU pattern.
func (dl *dateLocale) format(p string, t time.Time, zone string) partList {
	loc := dl.loc
	var parts partList
	tokens := patternTokens(p)
	hasMinute, hasSecond := strings.ContainsRune(p, 'm'), strings.ContainsRune(p, 's')
	year := t.Year()
	era := 1
	if year <= 0 {
		era, year = 0, 1-year
	}
	for _, tok := range tokens {
		n := len(tok)
		switch c := tok[0]; {
		case c == '\'':
			if tok == "''" {
				parts.lit("'")
			} else {
				parts.lit(strings.ReplaceAll(strings.Trim(tok, "'"), "''", "'"))
			}
		case !isLetter(c):
			parts.lit(tok)
		case c == 'G':
			parts.add("era", nth(loc.eras[widthIndex(n)], era))
		case c == 'y':
			if n == 2 {
				parts.add("year", pad(year%100, 2))
			} else {
				parts.add("year", pad(year, n))
			}
		case c == 'M' || c == 'L':
			m := int(t.Month()) - 1
			ctx := 0
			if c == 'L' {
				ctx = 1
			}
			if n <= 2 {
				parts.add("month", pad(m+1, n))
			} else {
				parts.add("month", nth(loc.months[ctx][widthIndex(n)], m))
			}
		case c == 'd':
			parts.add("day", pad(t.Day(), n))
		case c == 'E' || c == 'c' || c == 'e':
			ctx := 0
			if c == 'c' {
				ctx = 1
			}
			w := widthIndex(n)
			if n == 6 {
				w = 3
			}
			parts.add("weekday", nth(loc.days[ctx][w], int(t.Weekday())))
		case c == 'a':
			parts.add("dayPeriod", nth(loc.dayPeriods[widthIndex(n)], t.Hour()/12))
		case c == 'b' || c == 'B':
			parts.add("dayPeriod", dl.flexiblePeriod(t, n, c, hasMinute, hasSecond))
		case c == 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			parts.add("hour", pad(h, n))
		case c == 'H':
			parts.add("hour", pad(t.Hour(), n))
		case c == 'K':
			parts.add("hour", pad(t.Hour()%12, n))
		case c == 'k':
			h := t.Hour()
			if h == 0 {
				h = 24
			}
			parts.add("hour", pad(h, n))
		case c == 'm':
			parts.add("minute", pad(t.Minute(), n))
		case c == 's':
			parts.add("second", pad(t.Second(), n))
		case c == 'S':
			ms := pad(t.Nanosecond()/1e6, 3) + "000000"
			parts.add("fractionalSecond", ms[:n])
		case c == 'z' || c == 'O' || c == 'v':
			parts.add("timeZoneName", dl.zoneName(t, zone, c, n))
		default:
			parts.lit(tok)
		}
	}
	return parts
}

// widthIndex is the name list of a field's length: abbreviated (1-3),
// wide (4), narrow (5).
func widthIndex(n int) int {
	switch {
	case n == 4:
		return 1
	case n == 5:
		return 2
	}
	return 0
}

// flexiblePeriod is B (and b): the locale's day period of the hour, noon
// at 12:00 sharp (to the fields shown) where the locale names it, else AM
// or PM as ICU does.
func (dl *dateLocale) flexiblePeriod(t time.Time, n int, c byte, hasMinute, hasSecond bool) string {
	loc := dl.loc
	list := loc.dayPeriods[widthIndex(n)]
	if n > 5 {
		list = loc.dayPeriods[1]
	}
	h := t.Hour()
	m, s := 0, 0
	if hasMinute {
		m = t.Minute()
	}
	if hasSecond {
		s = t.Second()
	}
	if h == 12 && m == 0 && s == 0 && loc.hasNoon {
		if v := nth(list, 3); v != "" {
			return v
		}
	}
	if c == 'b' {
		return nth(list, h/12)
	}
	p := int(loc.periodHours[h])
	if p > 1 {
		if v := nth(list, p); v != "" {
			return v
		}
	}
	return nth(list, h/12)
}

// zoneName is a zone's name by ICU's TimeZoneFormat: z a specific name
// (the zone's, else its metazone's) or the localized GMT offset, O the
// localized GMT offset, v a generic name, else the zone's location, else
// the offset.
func (dl *dateLocale) zoneName(t time.Time, zone string, c byte, n int) string {
	_, off := t.Zone()
	long := n == 4
	id := canonicalZone(zone)
	w := 3
	if long {
		w = 0
	}
	switch c {
	case 'z':
		typ := 1
		if isDST(t) {
			typ = 2
		}
		if name := dl.zoneLookup(id, t, w+typ); name != "" {
			return name
		}
	case 'v':
		if name := dl.genericName(id, t, w); name != "" {
			return name
		}
		if name := dl.locationName(id); name != "" {
			return name
		}
	}
	return gmtOffset(dl.loc, off, long)
}

// isDST says whether t is in daylight time as ICU's zone data has it: the
// larger of the year's offsets (tzdata's Europe/Dublin has "negative
// daylight time" in winter, which ICU's rearguard data has not).
func isDST(t time.Time) bool {
	_, off := t.Zone()
	_, jan := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, t.Location()).Zone()
	_, jul := time.Date(t.Year(), 7, 1, 0, 0, 0, 0, t.Location()).Zone()
	return off > min(jan, jul)
}

// canonicalZone is CLDR's id of a zone (Asia/Calcutta for Asia/Kolkata).
func canonicalZone(zone string) string {
	if r := record(cldrZoneAliases, zone); len(r) == 1 {
		return r[0]
	}
	return zone
}

// metazone is the metazone a zone is in at t, or "".
func metazone(id string, t time.Time) string {
	at := t.UTC().Format("2006-01-02 15:04")
	for _, u := range record(cldrMetazones, id) {
		f := strings.Split(u, ",")
		if len(f) != 3 {
			continue
		}
		if (f[1] == "" || f[1] <= at) && (f[2] == "" || at < f[2]) {
			return f[0]
		}
	}
	return ""
}

// zoneNames is the names record of a zone or metazone (7 fields), or nil.
func (dl *dateLocale) zoneNames(id string) []string {
	return localeRecord(dl.loc, id, 7, func(l *cldrLocale) string { return l.zoneNames })
}

// localeRecord is a record of a locale's table with n fields, else its
// base locale's (see cldrgen's diffRecords), or nil.
func localeRecord(loc *cldrLocale, key string, n int, table func(*cldrLocale) string) []string {
	for loc != nil {
		if r := record(table(loc), key); r != nil {
			if len(r) == n {
				return r
			}
			return nil
		}
		if loc.base == "" {
			break
		}
		loc = cldrLocaleByID(loc.base)
	}
	return nil
}

// zoneLookup is a name of the zone's own, else of its metazone at t; i is
// 0-5: long generic, standard, daylight, short generic, standard,
// daylight.
func (dl *dateLocale) zoneLookup(id string, t time.Time, i int) string {
	if r := dl.zoneNames(id); r != nil && r[i] != "" {
		return r[i]
	}
	if mz := metazone(id, t); mz != "" {
		if r := dl.zoneNames(mz); r != nil {
			return r[i]
		}
	}
	return ""
}

// genericName is ICU's generic non-location name: the zone's own, else
// its metazone's standard name when the zone keeps no daylight time
// within 184 days of t, else the metazone's generic name (with the
// zone's location where its offset differs from the metazone's reference
// zone's); "" when there is none.
func (dl *dateLocale) genericName(id string, t time.Time, w int) string {
	if r := dl.zoneNames(id); r != nil && r[w] != "" {
		return r[w]
	}
	mz := metazone(id, t)
	if mz == "" {
		return ""
	}
	generic := ""
	if r := dl.zoneNames(mz); r != nil {
		generic = r[w]
	}
	if !isDST(t) && !dstNear(t) {
		if std := dl.zoneLookup(id, t, w+1); std != "" && !strings.EqualFold(std, generic) {
			return std
		}
	}
	if generic == "" {
		return ""
	}
	golden := goldenZone(mz, dl.loc.region)
	if golden != "" && golden != id {
		if gl, err := time.LoadLocation(golden); err == nil {
			_, off := t.Zone()
			g := t.In(gl)
			_, goff := g.Zone()
			if off != goff || isDST(t) != isDST(g) {
				return simpleFormat(dl.loc.fallbackFormat, dl.partialLocation(id, mz), generic)
			}
		}
	}
	return generic
}

// goldenZone is a metazone's reference zone in a region, else the
// world's.
func goldenZone(mz, region string) string {
	if r := record(cldrGoldenZones, mz+"/"+region); len(r) == 1 {
		return r[0]
	}
	if r := record(cldrGoldenZones, mz+"/001"); len(r) == 1 {
		return r[0]
	}
	return ""
}

// partialLocation is the location ICU adds to a metazone's name: the
// country where the zone is the metazone's reference zone there, else
// the zone's city.
func (dl *dateLocale) partialLocation(id, mz string) string {
	if r := record(cldrZoneCountries, id); len(r) == 2 {
		if g := record(cldrGoldenZones, mz+"/"+r[0]); len(g) == 1 && g[0] == id {
			return dl.territory(r[0])
		}
	}
	return dl.exemplarCity(id)
}

// locationName is ICU's generic location name: "{country} Time" for a
// country's only or primary zone, else "{city} Time"; "" for a zone in no
// country.
func (dl *dateLocale) locationName(id string) string {
	r := record(cldrZoneCountries, id)
	if len(r) != 2 {
		return ""
	}
	if r[1] == "1" {
		if name := dl.territory(r[0]); name != "" {
			return simpleFormat(dl.loc.regionFormat, name)
		}
	}
	return simpleFormat(dl.loc.regionFormat, dl.exemplarCity(id))
}

func (dl *dateLocale) territory(cc string) string {
	if r := localeRecord(dl.loc, cc, 1, func(l *cldrLocale) string { return l.territories }); r != nil {
		return r[0]
	}
	return ""
}

// exemplarCity is the locale's name of a zone's city, else the last part
// of its id with spaces for underscores.
func (dl *dateLocale) exemplarCity(id string) string {
	if r := dl.zoneNames(id); r != nil && r[6] != "" {
		return r[6]
	}
	return strings.ReplaceAll(id[strings.LastIndexByte(id, '/')+1:], "_", " ")
}

// dstNear says whether the zone of t is on daylight time within 184 days
// of t (ICU's kDstCheckRange), looked at every week.
func dstNear(t time.Time) bool {
	for d := -184; d <= 184; d += 7 {
		if isDST(t.AddDate(0, 0, d)) {
			return true
		}
	}
	return false
}

// gmtOffset is the localized GMT format: long "GMT+05:30" / "GMT-05:00",
// short "GMT+5:30" / "GMT-5" (and "GMT+0", as V8 shows a zero offset).
func gmtOffset(loc *cldrLocale, off int, long bool) string {
	pos, neg, _ := strings.Cut(loc.hourFormat, ";")
	p := pos
	if off < 0 {
		p, off = neg, -off
	}
	h, m, s := off/3600, off%3600/60, off%60
	var b strings.Builder
	for _, tok := range patternTokens(p) {
		switch tok[0] {
		case 'H':
			if long {
				b.WriteString(pad(h, 2))
			} else {
				b.WriteString(strconv.Itoa(h))
			}
		case 'm':
			if long || m != 0 || s != 0 {
				b.WriteString(pad(m, 2))
			}
		case 's':
		case ':', '.':
			if long || m != 0 || s != 0 {
				b.WriteString(tok)
			}
		default:
			b.WriteString(tok)
		}
	}
	return simpleFormat(loc.gmtFormat, b.String())
}
