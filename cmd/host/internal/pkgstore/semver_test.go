package pkgstore

import (
	"slices"
	"testing"
)

// The cases below are npm's answers (node-semver's satisfies, checked
// against it when written), one or more in and out of each form.
func TestRangeCheck(t *testing.T) {
	for _, tc := range []struct {
		rng     string
		in, out []string
	}{
		{"*", []string{"0.0.0", "3.1.0"}, []string{"1.2.3-beta.1"}},
		{"", []string{"1.0.0"}, []string{"2.0.0-rc.1"}},
		{"1.x", []string{"1.0.0", "1.9.9"}, []string{"2.0.0", "0.3.0", "1.2.4-beta.1"}},
		{"1.2", []string{"1.2.0", "1.2.4"}, []string{"1.3.0", "1.2.3-rc.1"}},
		{"1.2.3", []string{"1.2.3"}, []string{"1.2.4", "1.2.3-rc.1"}},
		{"=1.2.3", []string{"1.2.3"}, []string{"1.2.2"}},
		{"v1.2.3", []string{"1.2.3"}, []string{"1.2.4"}},
		{"^1.2.3", []string{"1.2.3", "1.9.9"}, []string{"1.2.2", "2.0.0", "2.0.0-rc.1", "1.2.4-beta.1"}},
		{"^1.2", []string{"1.2.0", "1.4.9"}, []string{"1.0.0", "2.0.0"}},
		{"^0.2.3", []string{"0.2.3", "0.2.9"}, []string{"0.3.0", "0.2.2"}},
		{"^0.0.3", []string{"0.0.3"}, []string{"0.0.4"}},
		{"^0.0", []string{"0.0.0", "0.0.4"}, []string{"0.1.0"}},
		{"^0.x", []string{"0.3.0"}, []string{"1.0.0"}},
		{"^1.2.3-beta.2", []string{"1.2.3-beta.2", "1.2.3-beta.10", "1.2.3", "1.4.9"}, []string{"1.2.3-beta.1", "1.2.4-beta.1", "2.0.0"}},
		{"~1.2.3", []string{"1.2.3", "1.2.4"}, []string{"1.3.0", "1.2.2"}},
		{"~1.2", []string{"1.2.0"}, []string{"1.3.0"}},
		{"~1", []string{"1.9.9"}, []string{"2.0.0"}},
		{"~>1.2", []string{"1.2.4"}, []string{"1.3.0"}},
		{">1.2.3", []string{"1.2.4", "4.0.0"}, []string{"1.2.3", "2.0.0-rc.1"}},
		{">1.2", []string{"1.3.0"}, []string{"1.2.4"}},
		{">= 1.2", []string{"1.2.0"}, []string{"1.0.0"}},
		{"<1.2.3", []string{"1.2.2"}, []string{"1.2.3", "1.2.3-beta.1"}},
		{"<1.2", []string{"1.0.0"}, []string{"1.2.0"}},
		{"<=1.2", []string{"1.2.4"}, []string{"1.3.0"}},
		{"<=1.2.3", []string{"1.2.3"}, []string{"1.2.4"}},
		{"1.2.3 - 2.3.4", []string{"1.2.3", "2.3.4"}, []string{"2.3.5", "1.2.2"}},
		{"1.2 - 2.3", []string{"1.2.0", "2.3.5"}, []string{"2.4.0"}},
		{">=1 <1.3 || ^3.0.0", []string{"1.2.4", "3.1.0"}, []string{"1.3.0", "2.0.0", "4.0.0"}},
		{">1.0.0-alpha <2", []string{"1.0.0-beta", "1.2.0"}, []string{"1.0.0-alpha", "1.2.3-beta.1", "2.0.0"}},
		{"1.2.3-0 - 1.2.3", []string{"1.2.3-0", "1.2.3-rc.1", "1.2.3"}, []string{"1.2.4"}},
		{">*", nil, []string{"0.0.0", "1.0.0"}},
	} {
		r, err := parseRange(tc.rng)
		if err != nil {
			t.Errorf("parseRange(%q): %v", tc.rng, err)
			continue
		}
		for _, want := range []bool{true, false} {
			vs := tc.in
			if !want {
				vs = tc.out
			}
			for _, s := range vs {
				v, err := parseVersion(s)
				if err != nil {
					t.Fatalf("parseVersion(%q): %v", s, err)
				}
				if got := r.check(v); got != want {
					t.Errorf("%q in %q = %v, want %v", s, tc.rng, got, want)
				}
			}
		}
	}
	for _, bad := range []string{"^1.2.x.3", "1.2.3.4", "abc", "^01.2", ">=1.2.3-", "1.x.3"} {
		if _, err := parseRange(bad); err == nil {
			t.Errorf("parseRange(%q) accepted", bad)
		}
	}
}

func TestVersionOrder(t *testing.T) {
	// semver.org §11's example order, shuffled, then sorted.
	want := []string{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"}
	got := []string{"2.0.0", "1.0.0-beta.11", "1.10.0", "1.0.0", "1.0.0-alpha.beta", "1.0.1", "1.0.0-alpha", "1.0.0-rc.1", "1.0.0-beta", "1.0.0-alpha.1", "1.0.0-beta.2"}
	slices.SortFunc(got, func(a, b string) int {
		va, _ := parseVersion(a)
		vb, _ := parseVersion(b)
		return va.compare(vb)
	})
	if !slices.Equal(got, want) {
		t.Errorf("sorted %v, want %v", got, want)
	}
	if v, err := parseVersion("1.2.3+build.5"); err != nil || v.compare(&version{major: 1, minor: 2, patch: 3}) != 0 {
		t.Errorf("build metadata: %v %v", v, err)
	}
	for _, bad := range []string{"1.2", "v1.2.3", "01.2.3", "1.2.3-01", "1.2.3-", "1.2.3+", "1..3"} {
		if _, err := parseVersion(bad); err == nil {
			t.Errorf("parseVersion(%q) accepted", bad)
		}
	}
	if v, err := parseLooseVersion("v1.2"); err != nil || v.major != 1 || v.minor != 2 || v.patch != 0 || v.original != "v1.2" {
		t.Errorf("parseLooseVersion(v1.2) = %+v, %v", v, err)
	}
}
