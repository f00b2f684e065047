package dataset

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"galley/runner/internal/analysis"
)

// readChunked reads the Reader's own part and then each of its chunks, in
// order, each with a Reader of its own, as Stream reads them.
func readChunked(t *testing.T, ds *analysis.Dataset, root string) (rows [][]any, lines []int, chunks int, err error) {
	t.Helper()
	r, err := openDataset(ds, Options{Root: root})
	if err != nil {
		return nil, nil, 0, err
	}
	defer r.Close()
	r.streamed = true
	read := func(rd *Reader) error {
		for {
			row, err := rd.Read()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			rows = append(rows, append([]any(nil), row...))
			lines = append(lines, rd.Line())
		}
	}
	chunks = 1
	if err := read(r); err != nil {
		return rows, lines, chunks, err
	}
	for c := r.nextChunk(); c != nil; c = r.nextChunk() {
		chunks++
		cr, err := c.open(nil)
		if err != nil {
			t.Fatal(err)
		}
		err = read(cr)
		cr.Close()
		if err != nil {
			return rows, lines, chunks, err
		}
	}
	return rows, lines, chunks, r.Verify()
}

// bigCSV writes about size bytes of rows whose fields hold commas, doubled
// quotes and line breaks, so that chunk boundaries must respect quotes.
func bigCSV(size int, crlf bool) string {
	nl := "\n"
	if crlf {
		nl = "\r\n"
	}
	var b strings.Builder
	b.WriteString("id,note,n" + nl)
	for i := 0; b.Len() < size; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "%d,plain,%d%s", i, i%97, nl)
		case 1:
			fmt.Fprintf(&b, "%d,\"with, a comma and \"\"quotes\"\"\",%d%s", i, i%97, nl)
		case 2:
			fmt.Fprintf(&b, "%d,\"two%slines\",%d%s", i, nl, i%97, nl)
		default:
			fmt.Fprintf(&b, "%d,\"\",%s", i, nl)
		}
	}
	return b.String()
}

// TestChunksReadLikeOneReader checks that a file split into chunks gives
// exactly the rows and lines encoding/csv reads from it whole.
func TestChunksReadLikeOneReader(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		t.Run(fmt.Sprintf("crlf=%v", crlf), func(t *testing.T) {
			data := bigCSV(3*ChunkSize+12345, crlf)
			root := t.TempDir()
			writeFile(t, root, "datasets/x.csv", data)
			ds := newDataset(data, col("id", analysis.TypeInt), str("note"), col("n", analysis.TypeInt))
			rows, lines, chunks, err := readChunked(t, ds, root)
			if err != nil {
				t.Fatal(err)
			}
			if chunks < 3 {
				t.Fatalf("read in %d pieces, want at least 3", chunks)
			}
			ref := csv.NewReader(strings.NewReader(data))
			ref.Read()
			for i := 0; ; i++ {
				rec, err := ref.Read()
				if err == io.EOF {
					if i != len(rows) {
						t.Fatalf("read %d rows, want %d", len(rows), i)
					}
					break
				}
				line, _ := ref.FieldPos(0)
				if i >= len(rows) {
					t.Fatalf("only %d rows read, want more", len(rows))
				}
				var note any = strings.ReplaceAll(rec[1], "\r\n", "\n")
				if note == "" {
					note = nil // an empty cell is null
				}
				if fmt.Sprint(rows[i][0]) != rec[0] || rows[i][1] != note || lines[i] != line {
					t.Fatalf("row %d: got %v at line %d, want %q at line %d", i, rows[i], lines[i], rec, line)
				}
			}
		})
	}
}

// TestChunkErrorsAreFilePositions puts a bad cell deep in the file: the
// chunk that meets it names the line and column in the whole file.
func TestChunkErrorsAreFilePositions(t *testing.T) {
	data := bigCSV(3*ChunkSize, false)
	lines := strings.Split(data, "\n")
	target := len(lines) - 20
	for !strings.HasSuffix(lines[target], ",plain,0") && !strings.Contains(lines[target], ",plain,") {
		target--
	}
	lines[target] = strings.Replace(lines[target], ",plain,", ",plain,x", 1)
	data = strings.Join(lines, "\n")
	root := t.TempDir()
	writeFile(t, root, "datasets/x.csv", data)
	ds := newDataset(data, col("id", analysis.TypeInt), str("note"), col("n", analysis.TypeInt))
	_, _, _, err := readChunked(t, ds, root)
	col := strings.Index(lines[target], ",plain,") + len(",plain,") + 1
	want := fmt.Sprintf("datasets/x.csv:%d:%d: column \"n\" (int): cannot read %q as an integer", target+1, col,
		lines[target][col-1:])
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

// TestSmallFileHasNoChunks: below two chunks a file is read in one piece.
func TestSmallFileHasNoChunks(t *testing.T) {
	data := bigCSV(ChunkSize, false)
	root := t.TempDir()
	writeFile(t, root, "datasets/x.csv", data)
	r, err := openDataset(newDataset(data, str("id")), Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n := len(allChunks(r)); n != 0 {
		t.Fatalf("%d chunks, want 0", n)
	}
}

// TestValidFloat checks the fast syntax check against parseFloat itself.
func TestValidFloat(t *testing.T) {
	for _, s := range []string{"", "1", "-1", "+1.5", "1.", ".5", ".", "-", "1.2.3", "1e5", "1e999", "NaN", "inf", "0x10",
		"12345678901234567890", "123456789012345678901", "1_000", " 1", "1,5", "--1", "00.00"} {
		_, want := parseFloat(s)
		if got := validFloat([]byte(s)); got != want {
			t.Errorf("validFloat(%q) = %v, parseFloat says %v", s, got, want)
		}
	}
}

// TestSkipRowsReadsInOnePiece: lines skipped before the header may hold
// anything (an odd number of quotes, here), so such a file is not chunked,
// and skip_rows may reach far into it.
func TestSkipRowsReadsInOnePiece(t *testing.T) {
	var b strings.Builder
	for b.Len() < 5*ChunkSize {
		b.WriteString("a \"note\" line of the preamble\n")
	}
	preamble := strings.Count(b.String(), "\n")
	b.WriteString("note \" with one quote\n")
	body := bigCSV(3*ChunkSize, false)
	data := b.String() + body
	root := t.TempDir()
	writeFile(t, root, "datasets/x.csv", data)
	ds := newDataset(data, col("id", analysis.TypeInt), str("note"), col("n", analysis.TypeInt))
	ds.SkipRows = analysis.Int{Value: preamble + 1, Set: true}
	rows, lines, chunks, err := readChunked(t, ds, root)
	if err != nil {
		t.Fatal(err)
	}
	if chunks != 1 {
		t.Errorf("read in %d pieces, want 1", chunks)
	}
	if want := strings.Count(body, "\n") - 1; len(rows) == 0 || lines[0] != preamble+3 {
		t.Errorf("%d rows, first at line %d; want rows from line %d (%d lines of data)", len(rows), lines[0], preamble+3, want)
	}
}

// TestChunksKeepBlankRowsOfOneColumn: in a one-column file a blank line is a
// row with an empty cell; chunk boundaries must not lose or add any.
func TestChunksKeepBlankRowsOfOneColumn(t *testing.T) {
	var b strings.Builder
	b.WriteString("v\n")
	var want []any
	for i := 0; b.Len() < 3*ChunkSize; i++ {
		if i%3 == 1 {
			b.WriteString("\n")
			want = append(want, nil)
			continue
		}
		fmt.Fprintf(&b, "%d\n", i)
		want = append(want, i)
	}
	b.WriteString("\n\n") // blank lines at the very end are not rows
	data := b.String()
	root := t.TempDir()
	writeFile(t, root, "datasets/x.csv", data)
	ds := newDataset(data, col("v", analysis.TypeInt))
	rows, lines, chunks, err := readChunked(t, ds, root)
	if err != nil {
		t.Fatal(err)
	}
	if chunks < 3 {
		t.Fatalf("read in %d pieces, want at least 3", chunks)
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i := range rows {
		if rows[i][0] != want[i] || lines[i] != i+2 {
			t.Fatalf("row %d: %v at line %d, want %v at line %d", i, rows[i][0], lines[i], want[i], i+2)
		}
	}
}

// allChunks returns every chunk nextChunk has still to give.
func allChunks(r *Reader) []*chunk {
	var out []*chunk
	for c := r.nextChunk(); c != nil; c = r.nextChunk() {
		out = append(out, c)
	}
	return out
}

// FuzzValidFloat checks the fast syntax check against parseFloat on any
// text.
func FuzzValidFloat(f *testing.F) {
	for _, s := range []string{"1", "-1.5", ".5", "1.", "1e5", "00.00", "12345678901234567890", "+", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, want := parseFloat(s); validFloat([]byte(s)) != want {
			t.Errorf("validFloat(%q) = %v, parseFloat says %v", s, !want, want)
		}
	})
}

// TestLongCellsNotRemembered: a column's remembered values are short cells
// only, so that what is remembered is bounded whatever the cells hold.
func TestLongCellsNotRemembered(t *testing.T) {
	var b strings.Builder
	b.WriteString("city,note\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "c%d,%s\n", i%5, strings.Repeat(string(rune('a'+i%7)), memoCell+1))
	}
	data := b.String()
	root := t.TempDir()
	writeFile(t, root, "datasets/x.csv", data)
	r, err := openDataset(newDataset(data, str("city"), str("note")), Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		if _, err := r.Read(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(r.memo[0].values); n != 5 {
		t.Errorf("city: %d values remembered, want 5", n)
	}
	if n := len(r.memo[1].values); n != 0 {
		t.Errorf("note: %d values of %d bytes remembered, want none", n, memoCell+1)
	}
}

// TestFileSwappedWhileRead: the hash and every chunk read the file that
// Open opened, so pointing its path at other bytes meanwhile changes
// nothing: the rows are the pinned file's, and its pin holds.
func TestFileSwappedWhileRead(t *testing.T) {
	data := bigCSV(3*ChunkSize, false)
	other := strings.ReplaceAll(data, "plain", "PLAIN")
	root := t.TempDir()
	writeFile(t, root, "datasets/x.csv", data)
	writeFile(t, root, "datasets/other.csv", other)
	ds := newDataset(data, col("id", analysis.TypeInt), str("note"), col("n", analysis.TypeInt))
	r, err := openDataset(ds, Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := os.Rename(filepath.Join(root, "datasets/other.csv"), filepath.Join(root, "datasets/x.csv")); err != nil {
		t.Fatal(err)
	}
	r.streamed = true
	pieces := 0
	for rd := r; rd != nil; {
		pieces++
		for {
			row, err := rd.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if row[1] == "PLAIN" {
				t.Fatalf("line %d was read from the file put in its place", rd.Line())
			}
		}
		if rd != r {
			rd.Close()
		}
		rd = nil
		if c := r.nextChunk(); c != nil {
			if rd, err = c.open(nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	if pieces < 3 {
		t.Fatalf("read in %d pieces, want at least 3", pieces)
	}
	if err := r.Verify(); err != nil {
		t.Errorf("Verify: %v", err)
	}
}
