package intl

//go:generate go run ./internal/cldrgen -data ../../testdata/cldr/node_modules -out cldr_data.go

// cldrLocale is one locale's date data from CLDR (cldr_data.go, which
// internal/cldrgen writes). Lists are strings with \x00 between items.
type cldrLocale struct {
	id              string
	hourChar        byte         // the region's preferred hour: h, H, K or k
	region          string       // the locale's region, or its likely one
	decimal         string       // before fractional seconds
	months          [2][3]string // format, stand-alone × abbreviated, wide, narrow
	days            [2][4]string // format, stand-alone × abbreviated, wide, narrow, short
	eras            [3]string    // abbreviated, wide, narrow: BC, AD
	dayPeriods      [3]string    // abbreviated, wide, narrow, in cldrgen's dayPeriods order
	periodHours     string       // the day period of each hour (index in dayPeriods)
	hasNoon         bool
	dateFormats     [4]string // full, long, medium, short
	timeFormats     [4]string
	dateTimeFormats [4]string // the "atTime" glue ICU uses
	skeletons       string    // availableFormats: skeleton \x1f pattern \x1e, sorted
	appendItems     [16]string
	fieldNames      [16]string
	hourFormat      string
	gmtFormat       string
	regionFormat    string // a zone's generic location: "{0} Time"
	fallbackFormat  string // a metazone's name with a location: "{1} ({0})"
	territories     string // \x1ecountry code\x1fname, of the countries with zones
	zoneNames       string // \x1eid\x1f then 6 names and the exemplar city
	base            string // the locale whose zoneNames and territories these add to, or ""
}
