// Package expression compiles the expr-lang expressions of an analysis
// (where, derive, aggregate, values, claim checks and inline {{ }} values)
// against a declared schema, once, and evaluates them with null semantics.
//
// It takes an analysis.Expr (source text with its file positions) and an
// Env (the names in scope with their types) and produces a *Program, or a
// *position.Error at the analysis file's line and column: expr's own
// (line:col) is shifted into the file, and unknown names carry a "did you
// mean". Programs run on a reused VM, one per goroutine.
//
// Null semantics, as the contract states: a null is nil; `x == nil` tests it
// and `x ?? 0` replaces it; an ordering comparison with a null is false;
// arithmetic with a null is null; && and || treat a null operand as false,
// so a missing value never passes a filter by accident. The operators are
// rewritten into null-aware calls after the original expression has been
// type-checked, so type errors still name the operator the author wrote.
//
// Arithmetic is checked: every operator and builtin that can overflow an
// int or give a float that is not finite runs as a checked call (arith.go)
// in both programs, the null-aware one and the fast one, so a result
// beyond the int range, an infinity or a NaN is a positioned error, never a
// value. Sum adds exactly, for the aggregates of package view and the sum
// and mean builtins alike.
//
// Text is bounded too (budget.go): an operation that builds a string
// checks its size before allocating, against MaxString, and charges it to
// a TextBudget that each evaluation gets afresh.
//
// A source nested deeper than MaxDepth is refused by a scan of its text
// (depth.go) before expr-lang's recursive parser sees it.
//
// Functions are pure: now() is removed, date() parses in UTC, keys() and
// values() return their results in sorted key order.
package expression
