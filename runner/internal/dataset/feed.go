package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"sync"
)

// A data file is read once. Every byte read goes through sha256 and then,
// the same bytes in memory, to the parser, so that the bytes hashed are the
// bytes parsed even if the file is written over while it is read: a small
// file through a pass read on the parser's own goroutine, a large one
// through a feed, read on a goroutine of its own and handed out in parts.

// pass is the one read of a data file.
type pass interface {
	// sum stops handing bytes to the parser, reads the rest of the file
	// through sha256 and returns the sum of the whole file.
	sum() (string, error)
}

// teePass is the read of a small file: what the parser reads through it is
// hashed as it is read.
type teePass struct {
	src  io.Reader // the file, from its start
	h    hash.Hash
	done bool
	hex  string
	err  error
}

func newTeePass(src io.Reader) *teePass { return &teePass{src: src, h: sha256.New()} }

func (t *teePass) Read(b []byte) (int, error) {
	if t.done {
		return 0, errStopped
	}
	n, err := t.src.Read(b)
	t.h.Write(b[:n])
	return n, err
}

func (t *teePass) sum() (string, error) {
	if !t.done {
		_, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{t}, make([]byte, bufSize))
		t.done, t.err = true, err
		if err == nil {
			t.hex = hex.EncodeToString(t.h.Sum(nil))
		}
	}
	return t.hex, t.err
}

// errStopped is what a part's reader gets once the reading has stopped (a
// Verify or Close before the end): no row read after it is used.
var errStopped = errors.New("dataset: the reading has stopped")

// feed is the read of a large file. One goroutine (run) reads the file from
// its start to its end, once, in blocks, through sha256; it finds the
// boundaries of the parts (record ends by quote parity, at least
// chunk bytes apart) and hands every block, split at them, to the readers
// of the parts. The blocks read and not yet parsed are at most limit, so
// memory does not grow with the file, and a part whose reader is slow
// holds the reading back, never the other way round.
type feed struct {
	mu sync.Mutex
	// Who waits is woken alone: the reading for a free block (space), a
	// part's reader for its bytes (part.ready), the others for a new part
	// or the end (changed).
	space     sync.Cond
	spaceWait bool
	changed   sync.Cond
	free      []*block
	made      int // blocks made
	limit     int // the most blocks made
	parts     []*part

	stopped bool // nothing more is handed out: the rest is only hashed
	done    bool // the file was read to its end, or could not be
	hex     string
	err     error
}

// block is a buffer the file is read into; spans of it go to parts, and it
// is read into again once every span is parsed.
type block struct {
	buf  []byte
	refs int
}

type span struct {
	blk *block
	b   []byte
}

// part is a part of the file from one boundary to the next.
type part struct {
	start   boundary
	queue   []span // read and not yet handed to its reader
	ended   bool   // every byte of it is queued (or was)
	dropped bool   // its reader is closed: bytes for it are let go
	ready   sync.Cond
	waiting bool // its reader waits on ready
}

func (fd *feed) newPart(start boundary) *part {
	p := &part{start: start}
	p.ready.L = &fd.mu
	return p
}

// wake wakes p's reader, if it waits. Called with fd.mu held.
func (p *part) wake() {
	if p.waiting {
		p.ready.Signal()
	}
}

// partBlocks is how many blocks one part takes.
const partBlocks = ChunkSize / bufSize

func newFeed() *feed {
	fd := &feed{limit: partBlocks + 2}
	fd.space.L, fd.changed.L = &fd.mu, &fd.mu
	fd.parts = []*part{fd.newPart(boundary{off: 0, line: 1})}
	return fd
}

// setWorkers lets the reading run as far ahead as workers readers need:
// each has its part ready while the next is read.
func (fd *feed) setWorkers(workers int) {
	fd.mu.Lock()
	fd.limit = max(fd.limit, (workers+1)*partBlocks+2)
	fd.mu.Unlock()
	fd.space.Signal()
}

// run reads src to its end; size is the file's size when it was opened (a
// boundary there would start an empty part).
func (fd *feed) run(src io.Reader, chunk, size int64) {
	h := sha256.New()
	var (
		off    int64 // of the block in the file
		quotes int   // before the block
		lines  = 1   // line of the block's first byte
		prev   byte  // the byte before the block
		prev2  byte
		next   = chunk // the next boundary is the first record end at or after next
		cuts   []cut
	)
	for {
		blk := fd.get()
		n, err := io.ReadFull(src, blk.buf)
		b := blk.buf[:n]
		h.Write(b)
		cuts = cuts[:0]
		for off+int64(n) > next {
			from := 0
			if next > off {
				from = int(next - off)
			}
			found := false
			q := quotes + bytes.Count(b[:from], []byte{'"'}) // quotes before b[i]
			for i := from; i < len(b); {
				j := bytes.IndexByte(b[i:], '\n')
				if j < 0 {
					break
				}
				at := i + j
				q += bytes.Count(b[i:at], []byte{'"'})
				before, before2 := prev, prev2
				if at >= 1 {
					before = b[at-1]
					before2 = prev
					if at >= 2 {
						before2 = b[at-2]
					}
				}
				blank := before == '\n' || (before == '\r' && before2 == '\n')
				if !blank && q%2 == 0 {
					end := off + int64(at) + 1
					if end < size {
						cuts = append(cuts, cut{at: at + 1, start: boundary{off: end, line: lines + bytes.Count(b[:at+1], []byte{'\n'})}})
					}
					next = end + chunk
					found = true
					break
				}
				i = at + 1
			}
			if !found {
				break
			}
		}
		fd.deliver(blk, b, cuts)
		quotes += bytes.Count(b, []byte{'"'})
		lines += bytes.Count(b, []byte{'\n'})
		if n >= 2 {
			prev2, prev = b[n-2], b[n-1]
		} else if n == 1 {
			prev2, prev = prev, b[0]
		}
		off += int64(n)
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			fd.finish(hex.EncodeToString(h.Sum(nil)), nil)
			return
		case err != nil:
			fd.finish("", err)
			return
		}
	}
}

// cut is a boundary inside a block, at block[at].
type cut struct {
	at    int
	start boundary
}

// get returns a block to read into, waiting while the blocks read are not
// yet parsed; once the reading has stopped, blocks only go through sha256
// and one is enough.
func (fd *feed) get() *block {
	fd.mu.Lock()
	defer fd.mu.Unlock()
	for {
		if n := len(fd.free); n > 0 {
			blk := fd.free[n-1]
			fd.free = fd.free[:n-1]
			return blk
		}
		if fd.made < fd.limit || fd.stopped {
			fd.made++
			if blk, ok := blocks.Get().(*block); ok {
				return blk
			}
			return &block{buf: make([]byte, bufSize)}
		}
		fd.spaceWait = true
		fd.space.Wait()
		fd.spaceWait = false
	}
}

// deliver hands b, read into blk, to the parts: the bytes before each cut
// end the current part, and those after it start a new one.
func (fd *feed) deliver(blk *block, b []byte, cuts []cut) {
	fd.mu.Lock()
	defer fd.mu.Unlock()
	cur := fd.parts[len(fd.parts)-1]
	push := func(s []byte) {
		if len(s) > 0 && !fd.stopped && !cur.dropped {
			cur.queue = append(cur.queue, span{blk, s})
			blk.refs++
		}
	}
	from := 0
	for _, c := range cuts {
		push(b[from:c.at])
		cur.ended = true
		cur.wake()
		cur = fd.newPart(c.start)
		fd.parts = append(fd.parts, cur)
		from = c.at
	}
	if len(cuts) > 0 {
		fd.changed.Broadcast()
	}
	push(b[from:])
	cur.wake()
	if blk.refs == 0 {
		fd.recycle(blk)
	}
}

func (fd *feed) finish(sum string, err error) {
	fd.mu.Lock()
	fd.hex, fd.err, fd.done = sum, err, true
	last := fd.parts[len(fd.parts)-1]
	last.ended = true
	last.wake()
	fd.mu.Unlock()
	fd.changed.Broadcast()
}

// unref lets go of a span of blk. Called with fd.mu held.
func (fd *feed) unref(blk *block) {
	if blk.refs--; blk.refs == 0 {
		fd.recycle(blk)
	}
}

// recycle puts blk, read and parsed, back to be read into. Called with
// fd.mu held. Once the file is read and nothing more is handed out, it goes
// back to the blocks of the next file.
func (fd *feed) recycle(blk *block) {
	if fd.done && fd.stopped {
		blocks.Put(blk)
		return
	}
	fd.free = append(fd.free, blk)
	if fd.spaceWait {
		fd.space.Signal()
	}
}

// blocks are blocks no feed uses, kept for the next.
var blocks sync.Pool

// part waits for part i to start; ok is false when the file has fewer
// parts or the reading stopped.
func (fd *feed) part(i int) (p *part, ok bool) {
	fd.mu.Lock()
	defer fd.mu.Unlock()
	for i >= len(fd.parts) && !fd.done && !fd.stopped {
		fd.changed.Wait()
	}
	if i < len(fd.parts) && !fd.stopped {
		return fd.parts[i], true
	}
	return nil, false
}

// stop ends the handing out: the bytes queued are let go, the readers of
// the parts get errStopped, and the rest of the file is only hashed.
func (fd *feed) stop() {
	fd.mu.Lock()
	defer fd.mu.Unlock()
	if fd.stopped {
		return
	}
	fd.stopped = true
	for _, p := range fd.parts {
		for _, s := range p.queue {
			fd.unref(s.blk)
		}
		p.queue = nil
		p.ready.Broadcast()
	}
	fd.space.Broadcast()
	fd.changed.Broadcast()
}

func (fd *feed) sum() (string, error) {
	fd.stop()
	fd.mu.Lock()
	defer fd.mu.Unlock()
	for !fd.done {
		fd.changed.Wait()
	}
	for _, blk := range fd.free {
		blocks.Put(blk)
	}
	fd.free = nil
	return fd.hex, fd.err
}

// partReader reads the bytes of one part, as the feed hands them out.
type partReader struct {
	fd  *feed
	p   *part
	cur span  // taken from the queue, being read
	n   int64 // bytes read
}

func (pr *partReader) Read(b []byte) (int, error) {
	if len(pr.cur.b) == 0 {
		fd, p := pr.fd, pr.p
		fd.mu.Lock()
		if pr.cur.blk != nil {
			fd.unref(pr.cur.blk)
			pr.cur = span{}
		}
		for len(p.queue) == 0 && !p.ended && !fd.stopped && !fd.done {
			p.waiting = true
			p.ready.Wait()
			p.waiting = false
		}
		if len(p.queue) == 0 {
			err := io.EOF
			switch {
			case fd.stopped:
				err = errStopped
			case !p.ended:
				err = fd.err // the file could not be read to the end
			}
			fd.mu.Unlock()
			return 0, err
		}
		pr.cur = p.queue[0]
		p.queue[0] = span{}
		p.queue = p.queue[1:]
		fd.mu.Unlock()
	}
	n := copy(b, pr.cur.b)
	pr.cur.b = pr.cur.b[n:]
	pr.n += int64(n)
	return n, nil
}

// close lets go of what is left of the part: its reader is done with it.
func (pr *partReader) close() {
	fd := pr.fd
	fd.mu.Lock()
	defer fd.mu.Unlock()
	if pr.cur.blk != nil {
		fd.unref(pr.cur.blk)
		pr.cur = span{}
	}
	for _, s := range pr.p.queue {
		fd.unref(s.blk)
	}
	pr.p.queue, pr.p.dropped = nil, true
}
