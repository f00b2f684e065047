// Package position holds the file positions that travel with every piece of
// an analysis and every row of a dataset, and the positioned error that every
// stage returns.
//
// It takes nothing and produces two types: Pos, a file:line:col triple, and
// Error, a message at a Pos that prints as "path:line:col: message", the one
// form every error a user sees takes.
package position
