// Package cli is the galley command: it takes the command-line arguments
// and the two output streams, runs the stages (analysis, engine, report)
// and returns the exit status: 0 success, 1 analysis, data or claim
// failure, 2 usage error.
//
// It is the only place that touches the outside world: it reads the
// analysis files, writes reports atomically (a temporary file in the same
// folder, synced, then renamed), watches for interrupts, and measures the
// time a run took for the line it prints on stderr. The stages below it get
// everything they need as explicit options.
package cli
