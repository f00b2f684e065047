// Package badinput holds only tests: a corpus of hostile and broken inputs
// (testdata/*.txtar), each a small project run through the real command,
// with the message it must give; a test that kills the built command at
// random moments; and a fuzz test for the inline {{ }} templates of Markdown
// cells.
//
// Each testdata/NAME.txtar is a testscript (github.com/rogpeppe/go-internal):
// the project's files, want/stderr, the exact standard error of `galley run
// analyses/a.yaml` (regenerate with go test ./runner/internal/badinput
// -update, which uses testscript's UpdateScripts, then read the diff), and
// the commands, before the first file. Besides testscript's own (mkdir,
// symlink, cd, cmp, [short] skip...), a script may say:
//
//	galley-run N                run galley run analyses/a.yaml here; it must exit N,
//	                            print nothing on stdout, stop within 30 s and keep its
//	                            heap under 64 MiB; on failure every line must name a
//	                            file and line and no reports/ be written, on success
//	                            reports/a.html must be whole. Its stderr, times
//	                            written (TIME), is what cmp stderr want/stderr reads.
//	bytes PATH 'TEXT'           write PATH with TEXT read with Go's escapes (invalid
//	                            UTF-8, BOMs; write " as \")
//	huge PATH SIZE 'HEAD' 'BODY' 'TAIL'
//	                            write HEAD, BODY repeated to SIZE bytes (e.g. 100MB,
//	                            1GB), then TAIL; one such file at a time, one a script
//	pins FILE...                replace PIN(PATH) in each FILE by the sha256 of PATH
//	gzip SRC DST                write DST, SRC compressed with gzip
//	gzip-huge PATH SIZE 'HEAD' 'BODY'
//	                            write a gzip file of HEAD and BODY repeated to SIZE
//	                            bytes, compressed as written (a decompression bomb)
//	truncate PATH N             keep the first N bytes of PATH
//	xlsx DST SHEET=SRC.csv...   write a workbook, a sheet per CSV file (with
//	                            excelize): numbers as number cells, DATE:2024-03-05
//	                            as a date cell, other text as text
package badinput
