package intl

import (
	"math"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// numberSymbols are the parts of a locale's number format host needs,
// read from golang.org/x/text's CLDR data (by formatting known numbers)
// with the few corrections newer CLDR (which Node's ICU has) made.
type numberSymbols struct {
	decimal, group, minus string
	primary, secondary    int    // grouping sizes: 3,3; 3,2 in India
	minGrouping           int    // 2: no separator in a 4-digit integer
	percentPrefix         string // around the digits of a percentage
	percentSuffix         string
	currencySuffix        bool   // "1.234,50 €" rather than "€1,234.50"
	currencySpace         string // between the symbol and the digits
}

var numberSymbolsCache sync.Map // language.Tag string -> *numberSymbols

func symbolsFor(tag language.Tag) *numberSymbols {
	key := tag.String()
	if s, ok := numberSymbolsCache.Load(key); ok {
		return s.(*numberSymbols)
	}
	p := message.NewPrinter(tag)
	s := &numberSymbols{decimal: ".", group: ",", minus: "-", primary: 3, secondary: 3, minGrouping: 1}
	// 1234567.25 shows the separators and the grouping sizes.
	big := p.Sprint(number.Decimal(1234567.25))
	isDigit := func(r rune) bool { return r >= '0' && r <= '9' }
	digits := strings.FieldsFunc(big, func(r rune) bool { return !isDigit(r) })
	seps := strings.FieldsFunc(big, isDigit)
	if len(digits) >= 3 && len(seps) == len(digits)-1 {
		s.decimal, s.group = seps[len(seps)-1], seps[0]
		s.primary = len(digits[len(digits)-2])
		s.secondary = len(digits[len(digits)-3])
		if len(digits) == 3 {
			s.secondary = s.primary
		}
	}
	if neg := p.Sprint(number.Decimal(-1)); strings.HasSuffix(neg, "1") {
		s.minus = strings.TrimSuffix(neg, "1")
	}
	pct := p.Sprint(number.Percent(0.12))
	if i := strings.Index(pct, "12"); i >= 0 {
		s.percentPrefix, s.percentSuffix = pct[:i], pct[i+2:]
	}
	base, _ := tag.Base()
	region, _ := tag.Region()
	switch lang := base.String(); lang {
	case "fr":
		s.group = "\u202f"
	case "es", "pl":
		s.minGrouping = 2
	case "pt":
		if region.String() == "PT" {
			s.minGrouping = 2
		}
	}
	switch lang := base.String(); lang {
	case "de", "fr", "es", "it", "sv", "pl", "ru", "cs", "fi", "da", "nb", "no", "uk", "hu", "ro", "sk", "sl", "hr", "bg", "el", "ca", "et", "lv", "lt", "is":
		s.currencySuffix, s.currencySpace = true, "\u00a0"
	case "pt", "nl":
		if lang == "pt" && region.String() == "PT" {
			s.currencySuffix, s.currencySpace = true, "\u00a0"
		} else {
			s.currencySpace = "\u00a0"
		}
	}
	if len(s.minus) == 0 {
		s.minus = "-"
	}
	numberSymbolsCache.Store(key, s)
	return s
}

// NumberOptions are Intl.NumberFormat's resolved options (intl.js checks
// and defaults them; the zero value of a digit count means unset).
type NumberOptions struct {
	Style           string `json:"style"` // decimal, percent, currency
	Currency        string `json:"currency"`
	CurrencyDisplay string `json:"currencyDisplay"` // symbol, narrowSymbol, code
	MinInt          int    `json:"minimumIntegerDigits"`
	MinFD           int    `json:"minimumFractionDigits"`
	MaxFD           int    `json:"maximumFractionDigits"`
	MinSD           int    `json:"minimumSignificantDigits"`
	MaxSD           int    `json:"maximumSignificantDigits"`
	Grouping        bool   `json:"useGrouping"`
}

// currencyDigits is the number of fraction digits a currency shows.
func currencyDigits(code string) int {
	u, err := currency.ParseISO(code)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale
}

// formatNumber formats v as ICU does for the options (rounding half away
// from zero on the shortest decimal form of v).
func formatNumber(tag language.Tag, v float64, o NumberOptions) string {
	s := symbolsFor(tag)
	neg := math.Signbit(v)
	var body string
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 0):
		body = "∞"
	default:
		digits, exp := shortestDigits(math.Abs(v))
		if o.Style == "percent" {
			exp += 2
		}
		var intPart, frac string
		if o.MinSD > 0 || o.MaxSD > 0 {
			digits, exp = roundSignificant(digits, exp, o.MaxSD)
			intPart, frac = splitDigits(digits, exp)
			for sig := len(strings.TrimLeft(intPart+frac, "0")); sig < o.MinSD; sig++ {
				frac += "0"
			}
		} else {
			digits, exp = roundFraction(digits, exp, o.MaxFD)
			intPart, frac = splitDigits(digits, exp)
			frac = strings.TrimRight(frac, "0")
			for len(frac) < o.MinFD {
				frac += "0"
			}
		}
		if intPart == "" {
			intPart = "0"
		}
		for len(intPart) < o.MinInt {
			intPart = "0" + intPart
		}
		if o.Grouping {
			intPart = group(intPart, s)
		}
		body = intPart
		if frac != "" {
			body += s.decimal + frac
		}
	}
	switch o.Style {
	case "percent":
		body = s.percentPrefix + body + s.percentSuffix
	case "currency":
		sym := o.Currency
		if o.CurrencyDisplay != "code" {
			if u, err := currency.ParseISO(o.Currency); err == nil {
				p := message.NewPrinter(tag)
				if o.CurrencyDisplay == "narrowSymbol" {
					sym = p.Sprint(currency.NarrowSymbol(u))
				} else {
					sym = p.Sprint(currency.Symbol(u))
					if r, _ := tag.Region(); r.String() == "IN" && sym == "US$" {
						sym = "$" // newer CLDR
					}
				}
			}
		}
		space := s.currencySpace
		if o.CurrencyDisplay == "code" || len([]rune(sym)) > 1 && !s.currencySuffix && space == "" && isLetters(sym) {
			space = "\u00a0"
		}
		if s.currencySuffix {
			body = body + space + sym
		} else {
			body = sym + space + body
		}
	}
	if neg {
		body = s.minus + body
	}
	return body
}

func isLetters(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// shortestDigits is v (>= 0) as significant digits d1d2... and exponent e
// with v = 0.d1d2... * 10^e; zero is ("", 0).
func shortestDigits(v float64) (string, int) {
	if v == 0 {
		return "", 0
	}
	f := strconv.FormatFloat(v, 'e', -1, 64) // d.ddde±x
	mant, expStr, _ := strings.Cut(f, "e")
	e, _ := strconv.Atoi(expStr)
	return strings.TrimRight(strings.Replace(mant, ".", "", 1), "0"), e + 1
}

// roundAt keeps the first n digits, rounding half away from zero.
func roundAt(digits string, exp, n int) (string, int) {
	if n >= len(digits) {
		return digits, exp
	}
	if n < 0 {
		return "", exp
	}
	up := digits[n] >= '5'
	b := []byte(digits[:n])
	if up {
		i := n - 1
		for ; i >= 0; i-- {
			if b[i] == '9' {
				b[i] = '0'
				continue
			}
			b[i]++
			break
		}
		if i < 0 {
			b = append([]byte{'1'}, b...)
			exp++
		}
	}
	return strings.TrimRight(string(b), "0"), exp
}

func roundFraction(digits string, exp, maxFD int) (string, int) {
	return roundAt(digits, exp, exp+maxFD)
}

func roundSignificant(digits string, exp, maxSD int) (string, int) {
	if maxSD <= 0 {
		maxSD = 21
	}
	return roundAt(digits, exp, maxSD)
}

// splitDigits turns 0.digits * 10^exp into integer and fraction digits.
func splitDigits(digits string, exp int) (string, string) {
	if exp <= 0 {
		return "", strings.Repeat("0", -exp) + digits
	}
	if exp >= len(digits) {
		return digits + strings.Repeat("0", exp-len(digits)), ""
	}
	return digits[:exp], digits[exp:]
}

// group inserts the locale's group separators into integer digits.
func group(d string, s *numberSymbols) string {
	if len(d) < s.primary+s.minGrouping {
		return d
	}
	out := d[len(d)-s.primary:]
	rest := d[:len(d)-s.primary]
	for len(rest) > s.secondary {
		out = rest[len(rest)-s.secondary:] + s.group + out
		rest = rest[:len(rest)-s.secondary]
	}
	if rest != "" {
		out = rest + s.group + out
	}
	return out
}
