package suggest

import (
	"strings"
	"testing"
)

func TestHint(t *testing.T) {
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"deths", []string{"deaths", "date", "city"}, ` (did you mean "deaths"?)`},
		{"Deaths", []string{"deaths"}, ` (did you mean "deaths"?)`},
		{"x", []string{"population", "district"}, ""},
		{"estimate", []string{"estimates", "estimated"}, ` (did you mean "estimated"?)`},
		{"ab", []string{"ac", "ab"}, ` (did you mean "ac"?)`},
		{"anything", nil, ""},
		{"mosul_views", []string{"mosul"}, ""},
		{"hihg", []string{"high", "low"}, ` (did you mean "high"?)`},
		{"caregory", []string{"category"}, ` (did you mean "category"?)`},
		{"médian", []string{"median"}, ` (did you mean "median"?)`},
		{"deaths", []string{" Deaths ", "depths"}, ` (did you mean " Deaths "?)`},
		{"deaths", []string{"  deaths", "deaths2"}, ` (did you mean "  deaths"?)`},
		{"  deths ", []string{"deaths"}, ` (did you mean "deaths"?)`},
		{"région", []string{"region", "regions"}, ` (did you mean "region"?)`},
		{"décès", []string{"deces"}, ""}, // two of five characters
		{"x", []string{"x"}, ""},
		{"", []string{" ", "a"}, ` (did you mean "a"?)`},
		{"deaths", []string{strings.Repeat("deaths", 1000), "deaths_"}, ` (did you mean "deaths_"?)`},
		{"Hispanic", []string{"White", "Hispanic/Latino", "Black"}, ` (did you mean "Hispanic/Latino"?)`},
		{"deaths", []string{"deaths_min", "deaths_max"}, ""}, // two extensions: no guess
		{"income", []string{"income 2020", "incomes"}, ` (did you mean "incomes"?)`},
		{"rate", []string{"rated_by"}, ""}, // not at a break between words
		{"ab", []string{"ab_c"}, ""},       // too short to extend
	}
	for _, tt := range tests {
		if got := Hint(tt.name, tt.candidates); got != tt.want {
			t.Errorf("Hint(%q, %q) = %q, want %q", tt.name, tt.candidates, got, tt.want)
		}
	}
}
