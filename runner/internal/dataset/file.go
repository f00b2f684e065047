package dataset

import (
	"fmt"
	"io"
	"os"
)

// ReadFile reads rel, a file of the project that is not a dataset (an
// image a Markdown cell shows), confined to root as a dataset's path is: no
// absolute path, no climbing out with .., no symbolic link leading outside,
// a regular file. A file over max bytes is refused. The error words the
// problem for a message that places it in the analysis.
func ReadFile(root, rel string, max int64) ([]byte, error) {
	loc, err := locate(rel, root)
	if err != nil {
		return nil, err
	}
	if loc.size > max {
		return nil, fmt.Errorf("%s is %s, over the %s limit", rel, formatSize(loc.size), formatSize(max))
	}
	f, err := os.Open(loc.full)
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read (%s)", rel, reason(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read (%s)", rel, reason(err))
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s grew past the %s limit while it was read", rel, formatSize(max))
	}
	return b, nil
}
