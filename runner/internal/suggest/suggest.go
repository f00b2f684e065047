package suggest

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Near returns the candidate closest to name, or "" when none is close: a
// candidate is close when it differs only in case or in surrounding spaces
// (a header written " Deaths "), or when the edit distance between the two,
// case and surrounding spaces aside and counted in characters, is at most a
// third of the longer (at least 1, at most 3). Ties go to the candidate that
// sorts first, so the answer is deterministic. A candidate equal to name is
// never the answer: it is what was not found.
func Near(name string, candidates []string) string {
	best, bestDist := "", -1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	key := strings.ToLower(strings.TrimSpace(name))
	n := utf8.RuneCountInString(key)
	for _, c := range sorted {
		if c == name {
			continue
		}
		ck := strings.ToLower(strings.TrimSpace(c))
		if ck == "" {
			continue // a blank name is nobody's typo
		}
		if ck == key {
			return c
		}
		m := utf8.RuneCountInString(ck)
		limit := min(max(max(n, m)/3, 1), 3)
		if n-m > limit || m-n > limit {
			continue // the distance is at least the difference in length
		}
		if d := distance(key, ck); d <= limit && (bestDist < 0 || d < bestDist) {
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

// distance is the Levenshtein distance between a and b, counted in
// characters (a name may be "région" as well as "region").
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
