package dataset

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"

	"galley/runner/internal/position"
)

// gunzip is a gzip stream read as the parser asks for its bytes, never
// inflated whole: memory stays that of the parser's buffers, and a
// decompression bomb stops where any reader of the text stops (a record
// longer than MaxRecord, or the size limit of a format read whole). The
// gzip header is read at the first Read, so that a file that is not gzip
// is an error of the reading, placed where the reading was.
type gunzip struct {
	src io.Reader
	zr  *gzip.Reader
	err error
}

func newGunzip(src io.Reader) *gunzip { return &gunzip{src: src} }

func (g *gunzip) Read(b []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.zr == nil {
		zr, err := gzip.NewReader(g.src)
		if err != nil {
			g.err = gzipErr(err)
			return 0, g.err
		}
		g.zr = zr
	}
	n, err := g.zr.Read(b)
	if err != nil && err != io.EOF {
		g.err = gzipErr(err)
		err = g.err
	}
	return n, err
}

// badGzip is a gzip stream that cannot be read: Msg says why, for a user.
type badGzip struct{ Msg string }

func (e *badGzip) Error() string { return e.Msg }

func gzipErr(err error) error {
	var bg *badGzip
	switch {
	case errors.As(err, &bg), errors.Is(err, errStopped):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF:
		return &badGzip{"the gzip stream is cut short: the file ends before the compressed data does (it is truncated; fetch it again, then run galley pin)"}
	case errors.Is(err, gzip.ErrHeader):
		return &badGzip{"the file is not gzip data, though its name ends in .gz (rename it, or compress it with gzip)"}
	case errors.Is(err, gzip.ErrChecksum):
		return &badGzip{"the gzip stream is corrupt: its checksum does not match the data (fetch the file again, then run galley pin)"}
	}
	return &badGzip{"the gzip stream cannot be read (" + reason(err) + ")"}
}

// readAllLimit reads src to its end, refusing more than limit bytes: ok
// is false when there were more.
func readAllLimit(src io.Reader, limit int64) ([]byte, bool, error) {
	b, err := io.ReadAll(io.LimitReader(src, limit+1))
	if err != nil {
		return nil, true, err
	}
	if int64(len(b)) > limit {
		return nil, false, nil
	}
	return b, true, nil
}

// inflate decompresses b, a whole gzip file already checked against its
// pin, refusing more than limit bytes.
func inflate(b []byte, limit int64, rel string) ([]byte, error) {
	out, ok, err := readAllLimit(newGunzip(bytes.NewReader(b)), limit)
	switch {
	case err != nil:
		return nil, position.Errorf(position.Pos{File: rel}, "%s", err)
	case !ok:
		return nil, position.Errorf(position.Pos{File: rel}, "the gzip stream inflates to more than %s, the limit for this format", formatSize(limit))
	}
	return out, nil
}
