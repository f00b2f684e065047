package cli

import (
	"fmt"
	"io"
	"os"
)

// progress shows how far a large dataset has been read, on one line that
// rewrites itself, only when stderr is a terminal: logs and CI stay clean.
type progress struct {
	w       io.Writer
	on      bool
	shown   bool
	lastPct int64
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, lastPct: -1}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) update(path string, read, total int64) {
	if !p.on || total < 32<<20 { // small files finish before a line is worth it
		return
	}
	pct := read * 100 / total
	if pct == p.lastPct {
		return
	}
	p.lastPct, p.shown = pct, true
	fmt.Fprintf(p.w, "\rreading %s: %3d%% of %d MB", path, pct, total>>20)
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
