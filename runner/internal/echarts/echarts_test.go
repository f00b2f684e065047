package echarts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestPinned checks the embedded build against its pin, the lock file
// against the version, and the copy against what npm installed: the three
// cannot drift apart.
func TestPinned(t *testing.T) {
	b, err := Script()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 1024740 {
		t.Errorf("echarts.min.js is %d bytes, want 1024740", len(b))
	}
	lock, err := os.ReadFile("../../../package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	var l struct {
		Packages map[string]struct {
			Version   string `json:"version"`
			Integrity string `json:"integrity"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(lock, &l); err != nil {
		t.Fatal(err)
	}
	if got := l.Packages["node_modules/echarts"].Version; got != Version {
		t.Errorf("package-lock.json pins echarts %s, galley embeds %s: run make to copy the new build, and update Version and SHA256", got, Version)
	}
	installed, err := os.ReadFile("../../../node_modules/echarts/dist/echarts.min.js")
	if err != nil {
		t.Fatalf("echarts is not installed (make runs npm ci): %v", err)
	}
	if !bytes.Equal(installed, b) {
		sum := sha256.Sum256(installed)
		t.Errorf("the embedded build differs from node_modules' (sha256 %s): run make", hex.EncodeToString(sum[:]))
	}
}

func TestVerify(t *testing.T) {
	sum := func(b []byte) string {
		s := sha256.Sum256(b)
		return hex.EncodeToString(s[:])
	}
	body := []byte("/* not echarts */")
	want := "the ECharts build inside galley has sha256 " + sum(body) + ", not " + SHA256 + ", the pinned echarts 5.4.3's (rebuild galley with make)"
	if err := verify(body, SHA256); err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	closing := []byte("var s = '</SCRIPT >';")
	if err := verify(closing, sum(closing)); err == nil || !strings.Contains(err.Error(), `holds "</script"`) {
		t.Errorf("got %v", err)
	}
	ok := []byte("var ok = 1;")
	if err := verify(ok, sum(ok)); err != nil {
		t.Error(err)
	}
}
