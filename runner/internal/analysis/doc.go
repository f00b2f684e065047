// Package analysis parses an analysis file (YAML, contract v1) into a tree
// whose every node keeps the file, line and column it came from.
//
// It takes the bytes of one analysis file and produces a *File, or a
// position.List naming every unknown key, missing key, duplicate name,
// malformed value and undefined reference it found, each with a "did you
// mean" where a near name exists. It does not read datasets and does not
// compile expressions: it only checks what can be checked from the file
// alone. Package expression type-checks the expressions it collects; package
// engine runs them.
package analysis
