// Package suggest finds the near name behind a typo, for the "did you mean"
// that every unknown-name error carries.
//
// It takes a misspelt name and the names that exist, and produces the
// closest existing name, or "" when none is close enough to be a likely fix.
package suggest
