// Package analysis parses an analysis file (YAML, contract v1, and the
// labels, formats and chart annotations of v2) into a tree whose every
// node keeps the file, line and column it came from.
//
// It takes the bytes of one analysis file and produces a *File, or a
// position.List naming every unknown key, missing key, duplicate key or
// name, and malformed value it found, each with a "did you mean" where a
// near name exists. It checks the shape of the file only: that a name is
// defined, that a chart type or a column exists, is for package check,
// which resolves and type-checks the File into a plan; package engine runs
// the plan.
package analysis
