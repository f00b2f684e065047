package echarts

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"sync"
)

// Version is the pinned ECharts version.
const Version = "5.4.3"

// SHA256 is the sha256 of dist/echarts.min.js of echarts 5.4.3 as
// published on npm (1,024,740 bytes), measured.
const SHA256 = "1156429a16a38cb8604dcc6518c19406d4226142d908f8edd2e3531443c54d19"

//go:embed echarts.min.js
var script []byte

var checked = sync.OnceValue(func() error { return verify(script, SHA256) })

// Script returns the pinned ECharts build, after checking once that it is
// the pinned file and can be inlined in a <script> element.
func Script() ([]byte, error) {
	if err := checked(); err != nil {
		return nil, err
	}
	return script, nil
}

// verify checks b against the pin, and that it holds no "</script" in any
// case, which would end the element it is inlined in.
func verify(b []byte, want string) error {
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != want {
		return fmt.Errorf("the ECharts build inside galley has sha256 %s, not %s, the pinned echarts %s's (rebuild galley with make)", got, want, Version)
	}
	if bytes.Contains(bytes.ToLower(b), []byte("</script")) {
		return fmt.Errorf("the ECharts build holds \"</script\", so it cannot be inlined in a report")
	}
	return nil
}
