package analysis

import (
	"fmt"
	"testing"
)

func TestZZProbe(t *testing.T) {
	for _, src := range []string{
		"title: x\ndatasets:\n\tx: 1\n",
		"\ttitle: x\n",
		"title: x\ndatasets: {}\nviews:\n  v: {where: x}\n",
		"title: x\ndatasets: {}\nviews:\n  v:\n    where: x\n",
		"title: x\ndatasets: {}\nvalues:\n  a: 'x > 1'\n  b: \"x > 1\"\n  c: |\n    x >\n      1\n",
		"title: x\ndatasets: {}\nvalues:\n  a: " + deep(70) + "\n",
	} {
		f, err := Parse("x.yaml", []byte(src))
		fmt.Printf("%q\n  err=%v\n", src, err)
		if f != nil {
			for _, c := range f.Values {
				fmt.Printf("  value=%+v\n", c.Expr)
			}
		}
	}
}
func deep(n int) string {
	s := ""
	for i := 0; i < n; i++ {
		s += "["
	}
	for i := 0; i < n; i++ {
		s += "]"
	}
	return s
}
