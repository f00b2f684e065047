// Package engine runs a checked analysis (a *check.Plan): it verifies and
// streams the datasets, computes the views, the values (in dependency
// order), the claims and the inline values of the body, and produces a
// *Result for package report.
//
// Everything that needs no data has been done by package check, so `galley
// check` reports every type error and unknown name before a row is read;
// Execute then reads each dataset once for all the views that read it.
// Options come in explicitly: the project root, limits, a progress
// callback. Nothing here reads the clock, the environment or any global
// state, so the same analysis and data give the same Result on any machine.
package engine
