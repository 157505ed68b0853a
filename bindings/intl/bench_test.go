package intl

import (
	"testing"
	"time"
)

// BenchmarkDateFormat is one DateTimeFormat's work in Go: the pattern for
// a component option set (cached per locale after the first) and one
// formatToParts with a generic zone name, in German.
func BenchmarkDateFormat(b *testing.B) {
	dl := dateLocaleFor("de")
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Skip(err)
	}
	t := time.Date(2024, 7, 15, 14, 5, 9, 0, loc)
	o := DateOptions{Weekday: "long", Year: "numeric", Month: "long", Day: "numeric", Hour: "numeric", Minute: "2-digit", TimeZoneName: "longGeneric"}
	for b.Loop() {
		p, _ := dl.pattern(o)
		if parts := dl.format(p, t, "America/New_York"); len(parts) == 0 {
			b.Fatal("no parts")
		}
	}
}

// BenchmarkDatePatternCold is the pattern generator's first pattern in a
// locale: building the locale's generator from its tables and matching.
func BenchmarkDatePatternCold(b *testing.B) {
	loc := cldrLocaleByID("fr")
	for b.Loop() {
		g := newGenerator(loc)
		if g.bestPattern("EEEEyMMMMdjmm") == "" {
			b.Fatal("no pattern")
		}
	}
}
