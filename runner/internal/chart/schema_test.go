package chart

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"galley/runner/internal/geo"
)

// TestSchemaChartTypes keeps the chart types the JSON Schema of analysis
// files offers (docs/analysis.schema.json) equal to the ones Check takes.
func TestSchemaChartTypes(t *testing.T) {
	b, err := os.ReadFile("../../../docs/analysis.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	got := schema.Defs["chart"].Properties["type"].Enum
	if !slices.Equal(got, Types) {
		t.Errorf("schema chart types %q, Check takes %q", got, Types)
	}
	if got := schema.Defs["chart"].Properties["projection"].Enum; !slices.Equal(got, geo.Projections) {
		t.Errorf("schema projections %q, CheckMap takes %q", got, geo.Projections)
	}
}
