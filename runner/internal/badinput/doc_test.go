// Package badinput holds only tests: a corpus of hostile and broken inputs
// (testdata/*.txtar), each a small project run through the real command,
// with the message it must give; and a fuzz test for the inline {{ }}
// templates of Markdown cells.
//
// Each testdata/NAME.txtar holds the project's files and want/stderr, the
// exact standard error of `galley run analyses/a.yaml` (regenerate with
// go test ./runner/internal/badinput -update, then read the diff). Its
// comment, before the first file, holds directives, one a line:
//
//	exit N                      the exit code (default 1: no report written)
//	bytes PATH "GO STRING"      write PATH with the unquoted bytes (invalid UTF-8, BOMs)
//	huge PATH SIZE "HEAD" "BODY" "TAIL"
//	                            write HEAD, BODY repeated to SIZE bytes (e.g. 100MB, 1GB), then TAIL
//	mkdir PATH                  make a directory
//	symlink PATH TARGET         make a symbolic link
//	# ...                       a comment
//
// In every file, PIN(PATH) is replaced by the sha256 of PATH once every file
// is written. Files whose path starts with ../ are written next to the
// project, outside it.
package badinput
