package suggest

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
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
	if best == "" {
		best = onlyExtension(key, sorted)
	}
	return best
}

// onlyExtension returns the one candidate that is key and more after a
// break between words ("Hispanic" for "Hispanic/Latino", "income" for
// "income 2020"), or "" when none or several are.
func onlyExtension(key string, candidates []string) string {
	if utf8.RuneCountInString(key) < 3 {
		return ""
	}
	found := ""
	for _, c := range candidates {
		ck := strings.ToLower(strings.TrimSpace(c))
		if len(ck) <= len(key) || !strings.HasPrefix(ck, key) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(ck[len(key):]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			continue
		}
		if found != "" {
			return ""
		}
		found = c
	}
	return found
}

// Hint is Near phrased for the end of an error message: ` (did you mean
// "x"?)`, or "" when nothing is close.
func Hint(name string, candidates []string) string {
	if h := DidYouMean(name, candidates); h != "" {
		return " (" + h + ")"
	}
	return ""
}

// DidYouMean is Near phrased as an error's hint: `did you mean "x"?`, or
// "" when nothing is close.
func DidYouMean(name string, candidates []string) string {
	if n := Near(name, candidates); n != "" {
		return fmt.Sprintf("did you mean %q?", n)
	}
	return ""
}

// distance is the optimal string alignment distance between a and b, by
// rune: an insertion, a deletion, a substitution or a swap of two
// neighbours ("hihg" for "high") each count 1.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows of the table: two back (for swaps), one back, this one.
	back2 := make([]int, len(rb)+1)
	back := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range back {
		back[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(back[j]+1, cur[j-1]+1, back[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], back2[j-2]+1)
			}
		}
		back2, back, cur = back, cur, back2
	}
	return back[len(rb)]
}
