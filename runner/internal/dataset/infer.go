package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"hash"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"galley/runner/internal/analysis"
	"galley/runner/internal/expression"
	"galley/runner/internal/position"
)

// Inferred is a proposed dataset declaration for a file, for `galley init`.
type Inferred struct {
	Path      string   // as given, slash form
	SHA256    string   // lowercase hex
	Encoding  string   // "utf-8", "windows-1252" or "latin-1"
	Delimiter string   // ",", ";", "\t" or "|"
	Null      []string // null markers: always "" first (the default), then the others found
	Rows      int      // data rows
	SkipRows  int      // lines before the header, as asked
	Columns   []InferredColumn

	Format     string   // csv, xlsx, json, ndjson or geojson (from the extension)
	Sheet      string   // xlsx: the sheet read (the first, unless asked)
	Sheets     []string // xlsx: every sheet of the workbook
	Range      string   // xlsx: the cells read, when the table does not start at A1
	HeaderRows int      // xlsx: the rows the header takes, when more than one
	Records    string   // json: the path to the array of records, when not at the top
	Skipped    []string // json, geojson: keys holding lists or objects, which no column reads

	Files []InferredFile // a glob's files, each with its pin (SHA256 is then "")
}

// InferredColumn is a proposed column declaration, one per header column in
// file order.
type InferredColumn struct {
	Name    string              // a safe identifier, unique in the dataset
	From    string              // the header, when it differs from Name and occurs once
	FromIdx int                 // 1-based position, when the header occurs more than once or is empty
	Type    analysis.ColumnType // the narrowest type every non-null cell reads as
	Layout  string              // for a date not in the form 2006-01-02
	Nulls   int                 // cells that are null under Inferred.Null
	Note    string              // what to check about it, if anything
}

// nullCandidates are the cells Infer may propose as null markers.
var nullCandidates = [nNullCandidates]string{"", "NA", "N/A", "n/a", "NULL", "null", "-", "Unknown", "unknown", "None", "#N/A", "."}

// obviousNull are candidates proposed whenever they occur; the others only
// when reading them as null lets a column have a type other than string.
var obviousNull = map[string]bool{"": true, "NA": true, "N/A": true, "n/a": true, "NULL": true, "null": true, "#N/A": true}

// dateLayouts are the date forms Infer recognizes, in order of preference.
// 1/2/2006 (month first) and 2/1/2006 (day first) read "01/02/2006" alike;
// when both fit every cell the column stays a string.
var dateLayouts = [nDateLayouts]string{"2006-01-02", "2006/01/02", "1/2/2006", "2/1/2006", "2.1.2006", "2 Jan 2006", "2 January 2006", "Jan 2, 2006", "January 2, 2006"}

const monthFirst, dayFirst = 2, 3

// Infer reads the file at path (slash form, relative to root), streaming it
// twice, and proposes how to declare it: encoding, delimiter, null markers,
// and for every header column a name, type and layout. skipRows lines
// (a title, notes) come before the header and are not read as CSV. Both
// reads are hashed: a file that changes between them is an error, so that
// what is proposed describes the bytes pinned.
func Infer(path string, root string, skipRows int) (*Inferred, error) {
	return infer(path, root, skipRows, "")
}

// InferSheet is Infer for the sheet of an xlsx file.
func InferSheet(path, root, sheet string) (*Inferred, error) {
	return infer(path, root, 0, sheet)
}

func infer(path string, root string, skipRows int, sheet string) (*Inferred, error) {
	loc, err := locate(path, root)
	if err != nil {
		return nil, position.Errorf(position.Pos{File: path}, "%s", strings.TrimPrefix(err.Error(), path+" "))
	}
	probe := &analysis.Dataset{Path: analysis.String{Value: path}}
	if format := probe.FileFormat(); format != "csv" || probe.Compressed() {
		if skipRows > 0 && format != "csv" {
			return nil, position.Errorf(position.Pos{File: path}, "-skip-rows applies to CSV files; %s is %s file", path, formatNoun(format))
		}
		return inferOther(loc, format, probe.Compressed(), probe.TabSeparated(), skipRows, sheet)
	}
	if sheet != "" {
		return nil, position.Errorf(position.Pos{File: path}, "-sheet applies to xlsx files; %s is a CSV file", path)
	}
	f, err := os.Open(loc.full)
	if err != nil {
		return nil, position.Errorf(position.Pos{File: path}, "cannot be read (%s)", reason(err))
	}
	defer f.Close()

	// Pass 1: sha256, encoding, and a sample to sniff the delimiter from.
	sn := &sniffer{h: sha256.New()}
	sniff := io.TeeReader(f, sn)
	enc := "utf-8"
	if bad, err := checkText(sniff); err != nil {
		return nil, position.Errorf(position.Pos{File: path}, "cannot be read (%s)", reason(err))
	} else if bad != nil {
		if bytes.HasPrefix(bad.Rest, bom) {
			return nil, textError(position.Pos{File: path, Line: bad.Line, Col: bad.Col}, bad.Rest, "galley pin")
		}
		if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{sniff}, make([]byte, bufSize)); err != nil {
			return nil, position.Errorf(position.Pos{File: path}, "cannot be read (%s)", reason(err))
		}
		enc = "latin-1"
		if !sn.undefined1252 {
			enc = "windows-1252"
		}
	}
	sample := sn.sample
	for i := 0; i < skipRows && len(sample) > 0; i++ {
		nl := bytes.IndexByte(sample, '\n')
		if nl < 0 {
			sample = nil
			break
		}
		sample = sample[nl+1:]
	}
	comma := sniffDelimiter(sample, sn.n > int64(len(sn.sample)))
	inf := &Inferred{Path: path, SHA256: hex.EncodeToString(sn.h.Sum(nil)), Encoding: enc, Delimiter: string(comma), SkipRows: skipRows}

	// Pass 2: read every cell as a string, hashed again as it is read: the
	// types proposed are those of the bytes pinned.
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, position.Errorf(position.Pos{File: path}, "cannot be read (%s)", reason(err))
	}
	ds := &analysis.Dataset{Name: path, Path: analysis.String{Value: path, Set: true}, NullSet: true,
		SkipRows: analysis.Int{Value: skipRows, Set: skipRows > 0}}
	tee := newTeePass(f)
	sp := &Spec{ds: ds, enc: enc, comma: comma, skipRows: skipRows}
	r := &Reader{ds: ds, spec: sp, rel: path, enc: enc, comma: comma}
	if err := r.begin(tee, enc, comma); err != nil {
		return nil, err
	}
	stats, err := cellStats(r)
	if err != nil {
		return nil, err
	}
	if sum, err := tee.sum(); err != nil {
		return nil, position.Errorf(position.Pos{File: path}, "cannot be read (%s)", reason(err))
	} else if sum != inf.SHA256 {
		return nil, position.Errorf(position.Pos{File: path}, "the file changed while it was read; run galley init again once it is written")
	}
	inf.Rows = r.RowsRead()
	inferColumns(inf, r.header, stats)
	return inf, nil
}

// cellStats reads every row of r, whose header is read, and returns what
// each column's cells could be. Every cell is looked at as it lies in the
// scanner's buffer, neither converted nor kept: what it holds is a few
// hundred bytes of statistics a column.
func cellStats(r *Reader) ([]colStat, error) {
	stats := make([]colStat, len(r.header))
	for i := range stats {
		stats[i] = newColStat()
	}
	r.texts = func(sc *scanner) {
		for i := range stats {
			var text []byte // a blank line of a one-column file: one empty cell
			if sc != nil {
				text = sc.text(i)
			}
			stats[i].add(text)
		}
	}
	for {
		_, err := r.Read()
		if err == io.EOF {
			return stats, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// sniffer sees every byte of the file in pass 1.
type sniffer struct {
	h             hash.Hash
	sample        []byte
	n             int64
	undefined1252 bool
}

const sampleSize = 64 << 10

var undefined1252 = [256]bool{0x81: true, 0x8d: true, 0x8f: true, 0x90: true, 0x9d: true}

func (s *sniffer) Write(p []byte) (int, error) {
	s.h.Write(p)
	s.n += int64(len(p))
	if room := sampleSize - len(s.sample); room > 0 {
		s.sample = append(s.sample, p[:min(room, len(p))]...)
	}
	if !s.undefined1252 {
		for _, b := range p {
			if undefined1252[b] {
				s.undefined1252 = true
				break
			}
		}
	}
	return len(p), nil
}

// sniffDelimiter picks among , ; tab | the delimiter that splits the first
// lines of the file into the most columns, the same number on every line.
func sniffDelimiter(sample []byte, cut bool) rune {
	sample = bytes.TrimPrefix(sample, bom)
	if cut {
		if i := bytes.LastIndexByte(sample, '\n'); i >= 0 {
			sample = sample[:i+1]
		}
	}
	best, bestConsistent, bestSame, bestN := ',', false, 0, 1
	for _, d := range []rune{',', ';', '\t', '|'} {
		cr := csv.NewReader(bytes.NewReader(sample))
		cr.Comma = d
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		cr.ReuseRecord = true
		n, same, total := 0, 0, 0
		for total < 100 {
			rec, err := cr.Read()
			if err != nil {
				break
			}
			if total == 0 {
				n = len(rec)
			}
			total++
			if len(rec) == n {
				same++
			}
		}
		if n < 2 {
			continue
		}
		consistent := same == total
		better := false
		switch {
		case consistent != bestConsistent:
			better = consistent
		case same != bestSame:
			better = same > bestSame
		default:
			better = n > bestN
		}
		if better {
			best, bestConsistent, bestSame, bestN = d, consistent, same, n
		}
	}
	return best
}

// colStat gathers what one column's cells could be, in a few hundred
// bytes: a file may have MaxColumns columns.
type colStat struct {
	raw, trimmed [nNullCandidates]int // occurrences of each null candidate
	others       int                  // cells that are no candidate
	canInt       bool
	canFloat     bool
	canBool      bool
	dates        [nDateLayouts]bool
}

const (
	nNullCandidates = 12
	nDateLayouts    = 9
)

func newColStat() colStat {
	s := colStat{canInt: true, canFloat: true, canBool: true}
	for i := range s.dates {
		s.dates[i] = true
	}
	return s
}

func candidate[T string | []byte](s T) int {
	for i, c := range nullCandidates {
		if string(s) == c {
			return i
		}
	}
	return -1
}

func (s *colStat) add(raw []byte) {
	t := bytes.TrimSpace(raw)
	if i := candidate(raw); i >= 0 {
		s.raw[i]++
	}
	if i := candidate(t); i >= 0 {
		s.trimmed[i]++
		return
	}
	s.others++
	zero := leadingZero(t)
	if s.canInt {
		_, ok := parseInt(t)
		s.canInt = ok && !zero
	}
	if s.canFloat {
		s.canFloat = validFloat(t) && !zero
	}
	if s.canBool {
		_, s.canBool = parseBool(string(t))
	}
	if len(t) < minDate || len(t) > maxDate {
		s.dates = [nDateLayouts]bool{} // no layout writes a date this long
		return
	}
	for i, ok := range s.dates {
		if ok {
			_, err := parseDate(dateLayouts[i], string(t))
			s.dates[i] = err == nil
		}
	}
}

// The shortest and longest dates of dateLayouts: 1/1/2000 and September
// 30, 2017.
const minDate, maxDate = 8, 18

// leadingZero reports a number written with a leading zero, like a ZIP or
// FIPS code, which should stay a string.
func leadingZero(s []byte) bool {
	s = bytes.TrimLeft(s, "+-")
	return len(s) >= 2 && s[0] == '0' && '0' <= s[1] && s[1] <= '9'
}

func (s *colStat) kind() (analysis.ColumnType, string) {
	switch {
	case s.others == 0:
		return analysis.TypeString, ""
	case s.canInt:
		return analysis.TypeInt, ""
	case s.canFloat:
		return analysis.TypeFloat, ""
	case s.canBool:
		return analysis.TypeBool, ""
	}
	if s.dates[monthFirst] && s.dates[dayFirst] {
		s.dates[monthFirst], s.dates[dayFirst] = false, false // ambiguous
	}
	for i, ok := range s.dates {
		if ok {
			if dateLayouts[i] == defaultLayout {
				return analysis.TypeDate, ""
			}
			return analysis.TypeDate, dateLayouts[i]
		}
	}
	return analysis.TypeString, ""
}

func inferColumns(inf *Inferred, header []string, stats []colStat) {
	dup := duplicates(header)
	types := make([]analysis.ColumnType, len(stats))
	layouts := make([]string, len(stats))
	for i := range stats {
		types[i], layouts[i] = stats[i].kind()
	}
	inf.Null = []string{""}
	for m, c := range nullCandidates {
		if c == "" {
			continue
		}
		use := false
		for i := range stats {
			if stats[i].trimmed[m] > 0 && (obviousNull[c] || types[i] != analysis.TypeString) {
				use = true
			}
		}
		if use {
			inf.Null = append(inf.Null, c)
		}
	}
	names := newNamer()
	inf.Columns = make([]InferredColumn, 0, len(header))
	for i, h := range header {
		col := InferredColumn{Name: names.name(h, i), Type: types[i], Layout: layouts[i]}
		switch {
		case dup[i] || h == "":
			// A header cell written twice, or left empty, names no one
			// column: read it by its position.
			col.FromIdx = i + 1
		case col.Name != h:
			col.From = h
		}
		for _, n := range inf.Null {
			m := candidate(n)
			if types[i] == analysis.TypeString {
				col.Nulls += stats[i].raw[m]
			} else {
				col.Nulls += stats[i].trimmed[m]
			}
		}
		inf.Columns = append(inf.Columns, col)
	}
}

// duplicates marks the names that occur more than once in header, with
// four bytes a column (a map would take some forty).
func duplicates(header []string) []bool {
	order := make([]int32, len(header))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(header[a], header[b]) })
	dup := make([]bool, len(header))
	for k := 1; k < len(order); k++ {
		if header[order[k]] == header[order[k-1]] {
			dup[order[k]], dup[order[k-1]] = true, true
		}
	}
	return dup
}

var stripMarks = runes.Remove(runes.In(unicode.Mn))

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// namer names the columns of a file.
type namer struct {
	taken  map[string]bool
	next   map[string]int // per name given, the suffix its next duplicate tries first
	probes int            // names tried, to test what naming costs
}

func newNamer() *namer { return &namer{taken: map[string]bool{}, next: map[string]int{}} }

// name turns header h (column i) into an identifier: lowercase ASCII
// letters, digits and underscores, not starting with a digit, not a
// reserved word, and not a name given before.
func (nm *namer) name(h string, i int) string {
	if !ascii(h) { // accents off: the transform costs kilobytes a call
		if s, _, err := transform.String(transform.Chain(norm.NFD, stripMarks), h); err == nil {
			h = s
		}
	}
	h = strings.ToLower(h)
	var b strings.Builder
	gap := false
	for _, r := range h {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') || r == '_' {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			gap = false
			b.WriteRune(r)
			continue
		}
		gap = true
	}
	name := strings.Trim(b.String(), "_")
	switch {
	case name == "":
		name = "col_" + strconv.Itoa(i+1)
	case name[0] >= '0' && name[0] <= '9':
		name = "col_" + name
	case expression.Reserved(name):
		name += "_" // a keyword; a function's name is a column's name as well (contract v2)
	}
	// A duplicate takes the first free suffix, from where the last
	// duplicate of the same name stopped: each suffix is tried once, so
	// that naming thousands of columns called the same takes time in
	// proportion to them, not to their square.
	base := name
	n := max(nm.next[base], 2)
	for nm.taken[name] {
		nm.probes++
		name = base + "_" + strconv.Itoa(n)
		n++
	}
	if name != base {
		nm.next[base] = n
	}
	nm.probes++
	nm.taken[name] = true
	return name
}
