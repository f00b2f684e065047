package chart

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ScriptPath is the pinned ECharts build, relative to the project root.
// package.json and package-lock.json pin echarts 5.4.3 (the version
// go-echarts v2.6.7 targets); `npm ci` installs it.
const ScriptPath = "node_modules/echarts/dist/echarts.min.js"

// ScriptVersion is the pinned ECharts version.
const ScriptVersion = "5.4.3"

// ScriptSHA256 is the sha256 of ScriptPath for echarts 5.4.3 as published
// on npm (1,024,740 bytes), measured.
const ScriptSHA256 = "1156429a16a38cb8604dcc6518c19406d4226142d908f8edd2e3531443c54d19"

// LoadScript reads the pinned ECharts build from the project root, verifies
// its sha256 and that it holds no "</script" (in any case, so that it can be
// inlined in a <script> element), and returns it.
func LoadScript(root string) ([]byte, error) {
	return loadScript(root, ScriptSHA256)
}

func loadScript(root, want string) ([]byte, error) {
	path := filepath.Join(root, filepath.FromSlash(ScriptPath))
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: the ECharts script is not installed (run `make`, or `npm ci` in the project root, to install echarts %s)", path, ScriptVersion)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the ECharts script: %w", err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != want {
		return nil, fmt.Errorf("%s: sha256 is %s, want %s (this is not the pinned echarts %s; run `npm ci` in the project root to restore it)", path, got, want, ScriptVersion)
	}
	if bytes.Contains(bytes.ToLower(b), []byte("</script")) {
		return nil, fmt.Errorf("%s: holds \"</script\", so it cannot be inlined in the report", path)
	}
	return b, nil
}
