// Package dataset reads the data files an analysis declares: CSV (and
// TSV), xlsx, JSON, NDJSON and GeoJSON, each perhaps gzip-compressed, one
// file or every file a glob matches.
//
// It takes an *analysis.Dataset (path, sha256 pin, reading options and the
// declared, typed columns) and Options (the project root, an optional progress
// callback and columns to skip). It produces:
//
//   - Compile and Spec: the dataset's reading rules (encoding, delimiter,
//     null markers, skip_rows, date formats) checked in this one place,
//     with errors at their place in the analysis, and turned into the
//     settings the reader uses; no file is read;
//   - Sum: the sha256 of the file, for `galley pin`;
//   - Open and Reader: the file's rows, each value typed as declared
//     (string, int, float64, bool, time.Time at UTC midnight, or nil for
//     null), after the path has been checked to stay inside the project.
//     The file is checked against its pin as it is read: Reader.Verify says
//     whether what was read counts, and Read gives io.EOF only once it does;
//   - Stream: the one parallel row source. It reads every row of an opened
//     file into Sinks of the caller's, one per part of the file, on several
//     goroutines, merges them in file order and checks the pin, hiding
//     chunks, hashing and workers from the caller;
//   - Infer: a proposed schema for a file that has none yet, for `galley init`.
//
// Every error a user can see is a *position.Error (or a position.List of
// them): either at the analysis file (a bad path, pin or column mapping) or at
// the data file as `datasets/x.csv:LINE:COL: ...` (a cell that does not parse,
// a ragged row, a stray quote, bytes that are not UTF-8). Columns are byte
// offsets in the line, counted from 1 (a quoted field's column is that of its
// opening quote); in a latin-1 or windows-1252 file they count bytes of the
// line decoded to UTF-8. Rows are streamed: the rows before a bad line are
// returned before the error about it.
//
// Records are split by a scanner of this package (scan.go) that gives the
// fields, positions and quote errors encoding/csv gives (a differential test
// and fuzz target check it against encoding/csv), without copying: a field is
// a part of the scanner's buffer, unescaped only when its text is asked for,
// and a string column no view uses is not looked at beyond finding where it
// ends.
//
// The file is read once, and the bytes hashed are the bytes parsed: every
// byte read goes through sha256 and then, the same bytes in memory, to the
// parser, so that a file written over while it is read cannot pair its pin
// with other bytes (feed.go). Nothing read may be used before Verify returns
// nil: a wrong pin is the error, whatever the reading found. After an error
// the rest of the file is read through sha256 alone, for the pin.
//
// Memory use does not grow with the file: the file is read through
// fixed-size buffers, and Read reuses its row slice. One record may take at
// most MaxRecord bytes (8 MiB, Options.MaxRecord in tests): the scanner
// holds a whole record, so a longer one (a huge field, a line with no line
// break, a quote left open) stops reading with an error positioned at the
// first byte past the limit.
//
// A small file, or one with skip_rows, is hashed as it is parsed, on the
// reader's goroutine. A file of at least two parts (ChunkSize, 4 MiB) and no
// skip_rows is read by a goroutine of its own, which hashes it, finds the
// boundaries of its parts (record ends found by quote parity, at least
// ChunkSize apart) and hands the blocks it read, split at them, to the
// readers of the parts; Stream reads the parts on several goroutines as they
// are read. The blocks read and not yet parsed are bounded (a part for each
// worker and one more), so the reading waits for the parsing, never the
// other way round. Read in order, the parts give the rows, lines and errors
// of one reader over the whole file. Where a file splits depends on its
// bytes alone.
//
// Values seen before in a column (a city, a date, a small count) are
// remembered by their text and neither parsed nor allocated again; a column
// whose values rarely repeat stops being remembered after 4,096 cells, and a
// reader remembers at most 32,768 values, in at most 512 columns.
//
// Memory does not grow with the number of fields either: a header may have
// at most MaxColumns (100,000) columns, a row is never kept beyond one field
// more than its header, and what a reader, or Infer, keeps per column is a
// few hundred bytes (TestWideFiles: under 64 MiB of heap whatever the width).
//
// Reading rules, beyond those of encoding/csv (RFC 4180 quoting, no lazy
// quotes):
//
//   - Encodings: utf-8 (the default; invalid bytes are an error naming line and
//     column), latin-1 (ISO-8859-1) and windows-1252. A UTF-8 byte-order mark
//     is removed at the start of the file and an error anywhere else. CRLF and
//     LF line ends are both accepted.
//   - skip_rows physical lines are skipped before the header. Blank lines are
//     skipped, as encoding/csv does; in a file with a single column a blank
//     line between rows is read as a row holding an empty cell (a blank line
//     at the end of the file is still skipped).
//   - A cell equal to one of the dataset's null markers (default: "") or its
//     column's markers is nil. Cells of string columns are taken as they are;
//     cells of other columns are trimmed of surrounding spaces first.
//   - int: base-10 digits with an optional sign; no fraction, exponent,
//     thousands separator or base prefix. float: digits, sign, decimal point
//     and exponent; NaN and infinities are refused. bool: true, false, TRUE,
//     FALSE, True, False, yes, no, Yes, No, YES, NO, 1 and 0. date: the
//     column's layout (Go time layout, "2006-01-02" by default), validated
//     (2017-02-30 is an error); any time of day in the layout is dropped.
//   - String values are new strings (or remembered ones, shared between
//     rows), never part of a buffer: callers may keep them.
//
// A glob (glob.go) names the files of one folder whose names match it;
// they are read one after the other, in byte order of their paths, as one
// dataset: every file must have a pin and every pin a file, each file is
// checked against its own pin, a CSV or xlsx file against the first
// file's header, file_column's column holds each row's file name, and
// Reader.Files counts the rows of each. Stream reads the parts of every
// file, in order, on its workers.
//
// A .gz file (gzip.go) is hashed as stored and inflated as it is parsed,
// never whole: a CSV or JSON file is read in one piece, on the reader's
// goroutine; a decompression bomb stops at the bound of the record that
// grows past MaxRecord, as a huge record does, or at the size limit of a
// format read whole. A stream cut short is an error at the line where the
// inflated text stopped.
//
// JSON and NDJSON (jsonread.go) are streamed, token by token, through
// encoding/json: a record at most MaxRecord bytes of text, checked as
// UTF-8, each value typed as its column (as GeoJSON properties are), a
// missing key null, errors at the value's line and column.
//
// xlsx (xlsx.go) is read whole (at most MaxSpreadsheet bytes), hashed and
// checked against its pin, its zip archive checked part by part (at most
// MaxUnzipped bytes inflated, every part's checksum, every XML part well
// formed), and then opened with excelize and read row by row: cells by
// their type, errors at `path: sheet "NAME" C17`.
//
// A dataset of format geojson (geojson.go) is read whole when it is opened:
// the bytes are hashed, the pin checked, then the same bytes parsed by
// package geo and every feature's properties typed as the declared
// columns, before Read gives its first row. Reader.Geo keeps the features'
// geometry for maps.
package dataset
