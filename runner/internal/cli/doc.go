// Package cli is the galley command: it takes the command-line arguments
// and the two output streams, runs the stages (analysis, check, engine,
// report) and returns the exit status: 0 success, 1 analysis, data or claim
// failure, 2 usage error.
//
// It decides what the stages below it cannot: which analyses to run, the
// project root, how many cores to use. It reads the analysis files, writes
// every output atomically (a temporary file in the same folder, synced,
// then renamed), watches for interrupts, and measures the time a run took
// for the line it prints on stderr; the clock is read here and nowhere
// else. The stages get everything they need as explicit options; the one
// below it that reads files is package dataset, which reads the datasets an
// analysis names and no other file.
//
// show, diff and serve read what the run computed, the results.Document:
// show prints it, diff compares it with the one committed in git (read
// with the git command), serve renders it and serves it on 127.0.0.1. serve
// is the one command that runs until stopped; everything it starts stops
// with it.
package cli
