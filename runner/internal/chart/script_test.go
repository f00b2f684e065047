package chart

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeScript(t *testing.T, root string, body []byte) {
	t.Helper()
	path := filepath.Join(root, filepath.FromSlash(ScriptPath))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadScriptMissing(t *testing.T) {
	root := t.TempDir()
	_, err := LoadScript(root)
	want := filepath.Join(root, filepath.FromSlash(ScriptPath)) + ": the ECharts script is not installed (run `make`, or `npm ci` in the project root, to install echarts 5.4.3)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestLoadScriptWrongHash(t *testing.T) {
	root := t.TempDir()
	writeScript(t, root, []byte("/* not echarts */"))
	_, err := LoadScript(root)
	sum := sha256.Sum256([]byte("/* not echarts */"))
	want := filepath.Join(root, filepath.FromSlash(ScriptPath)) + ": sha256 is " + hex.EncodeToString(sum[:]) +
		", want " + ScriptSHA256 + " (this is not the pinned echarts 5.4.3; run `npm ci` in the project root to restore it)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestLoadScriptCloseTag(t *testing.T) {
	root := t.TempDir()
	body := []byte("var s = '</SCRIPT >';")
	writeScript(t, root, body)
	sum := sha256.Sum256(body)
	_, err := loadScript(root, hex.EncodeToString(sum[:]))
	if err == nil || !strings.HasSuffix(err.Error(), `: holds "</script", so it cannot be inlined in the report`) {
		t.Errorf("got %v", err)
	}

	ok := []byte("var ok = 1;")
	writeScript(t, root, ok)
	sum = sha256.Sum256(ok)
	got, err := loadScript(root, hex.EncodeToString(sum[:]))
	if err != nil || string(got) != string(ok) {
		t.Errorf("got %q, %v", got, err)
	}
}

// TestLoadScriptPinned checks the real file when it is installed (the
// project root is three directories up).
func TestLoadScriptPinned(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	if _, err := os.Stat(filepath.Join(root, "package-lock.json")); err != nil {
		t.Fatalf("no package-lock.json at the project root: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(ScriptPath))); err != nil {
		t.Skipf("echarts is not installed (npm ci): %v", err)
	}
	b, err := LoadScript(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 1024740 {
		t.Errorf("echarts.min.js is %d bytes, want 1024740", len(b))
	}
}
