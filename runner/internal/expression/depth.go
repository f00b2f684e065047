package expression

import (
	"strings"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// MaxDepth bounds how deep an expression nests: brackets ( [ {, prefix
// operators (- + ! not) and the conditionals and lets whose else branch or
// body nests the rest. expr-lang's parser, checker and compiler recurse
// once per level, and a source nested 600,000 deep ran Go's stack out (a
// fatal error, not a panic: nothing can recover it), before MaxNodes could
// count anything, as brackets make no node. The scan below refuses a
// deeper source before any of them runs.
const MaxDepth = 256

// checkDepth returns a positioned error when e nests deeper than MaxDepth,
// at the place where the limit is passed.
func checkDepth(e analysis.Expr) error {
	off := tooDeep(e.Src)
	if off < 0 {
		return nil
	}
	line := strings.Count(e.Src[:off], "\n") + 1
	col := off - (strings.LastIndexByte(e.Src[:off], '\n') + 1)
	return position.Errorf(e.At(line, col), "expression nested more than %d levels deep (brackets, prefix operators such as - and !, conditionals); split it into values or derived columns", MaxDepth)
}

// tooDeep scans src once, without parsing it, and returns the byte offset
// where its nesting passes MaxDepth, or -1. It counts as the parser
// recurses: a bracket opens a level until it closes; a prefix operator
// opens one until the next binary operator, comma, or closing bracket at
// its level; a ? or let opens one until a comma or closing bracket at its
// level (the rest of the expression is inside it). Strings and comments are
// skipped. It may count a little more than the parser recurses, never less.
func tooDeep(src string) int {
	type level struct{ prefix, chain int }
	levels := []level{{}}
	depth := 0
	operand := false // the last token ends an operand, so - or + is binary
	open := func(n *int) {
		*n++
		depth++
	}
	endPrefix := func() {
		top := &levels[len(levels)-1]
		depth -= top.prefix
		top.prefix = 0
	}
	for i := 0; i < len(src); {
		c := src[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '"' || c == '\'':
			for i++; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' {
					i++
				}
			}
			i++
			operand = true
		case c == '`':
			if j := strings.IndexByte(src[i+1:], '`'); j >= 0 {
				i += j + 2
			} else {
				i = len(src)
			}
			operand = true
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(src)
			}
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			if j := strings.Index(src[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(src)
			}
			continue
		case c == '(' || c == '[' || c == '{':
			levels = append(levels, level{})
			depth++
			i++
			operand = false
		case c == ')' || c == ']' || c == '}':
			if len(levels) > 1 {
				top := levels[len(levels)-1]
				depth -= 1 + top.prefix + top.chain
				levels = levels[:len(levels)-1]
			}
			i++
			operand = true
		case c == ',':
			top := &levels[len(levels)-1]
			depth -= top.prefix + top.chain
			top.prefix, top.chain = 0, 0
			i++
			operand = false
		case c == '?' && (i+1 >= len(src) || (src[i+1] != '?' && src[i+1] != '.')):
			endPrefix()
			open(&levels[len(levels)-1].chain)
			i++
			operand = false
		case isWordByte(c) || c == '#' || c == '$':
			for i++; i < len(src) && (isWordByte(src[i]) || src[i] == '.' && i+1 < len(src) && src[i+1] != '.'); i++ {
			}
			switch w := src[start:i]; w {
			case "let", "if":
				endPrefix()
				open(&levels[len(levels)-1].chain)
				operand = false
			case "not":
				if operand { // x not in list
					endPrefix()
				} else {
					open(&levels[len(levels)-1].prefix)
				}
				operand = false
			case "and", "or", "in", "matches", "contains", "startsWith", "endsWith", "else":
				endPrefix()
				operand = false
			default:
				operand = true
			}
		default:
			// An operator: the longest run of operator bytes, except that
			// a prefix operator stands alone (- -x is two).
			if !operand && (c == '-' || c == '+' || c == '!') && (c != '!' || i+1 >= len(src) || src[i+1] != '=') {
				open(&levels[len(levels)-1].prefix)
				i++
				break
			}
			for i++; i < len(src) && strings.IndexByte("+-*/%^=!<>&|~.:;?", src[i]) >= 0 && !(src[i] == '-' || src[i] == '+' || src[i] == '!'); i++ {
			}
			if c == '.' && i-start == 1 {
				operand = false // .field in a predicate, or a member access
				continue
			}
			endPrefix()
			operand = false
		}
		if depth > MaxDepth {
			return start
		}
	}
	return -1
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
