package suggest

import (
	"fmt"
	"sort"
	"strings"
)

// Near returns the candidate closest to name, or "" when none is close: a
// candidate is close when it differs only in case, or when its edit distance
// is at most a third of the longer name (at least 1, at most 3). Ties go to
// the candidate that sorts first, so the answer is deterministic.
func Near(name string, candidates []string) string {
	best, bestDist := "", -1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if c == name {
			continue
		}
		if strings.EqualFold(c, name) {
			return c
		}
		d := distance(strings.ToLower(name), strings.ToLower(c))
		limit := max(len(name), len(c)) / 3
		limit = min(max(limit, 1), 3)
		if d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// Hint is Near phrased for the end of an error message: ` (did you mean
// "x"?)`, or "" when nothing is close.
func Hint(name string, candidates []string) string {
	if n := Near(name, candidates); n != "" {
		return fmt.Sprintf(" (did you mean %q?)", n)
	}
	return ""
}

// distance is the Levenshtein distance between a and b, counted in bytes
// (names are mostly ASCII identifiers).
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
