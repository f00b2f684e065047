package analysis

import (
	"path"
	"slices"
	"strings"
)

// Formats lists the dataset formats `format:` names.
var Formats = []string{"csv", "geojson"}

// FileFormat is the dataset's format: as written, or from the path's
// extension (.geojson is geojson), csv otherwise.
func (ds *Dataset) FileFormat() string {
	if ds.Format.Set && ds.Format.Value != "" {
		return ds.Format.Value
	}
	if strings.EqualFold(path.Ext(ds.Path.Value), ".geojson") {
		return "geojson"
	}
	return "csv"
}

// csvOnly are the dataset keys that describe CSV text, which a GeoJSON
// file (UTF-8 JSON, typed values) has no use for.
var csvOnly = []string{"delimiter", "encoding", "skip_rows"}

// geojsonDataset checks what a dataset of format geojson may say: its
// format is known, it sets none of the CSV keys, and its columns name
// properties (a column position means nothing in JSON).
func (d *decoder) geojsonDataset(ds *Dataset, m map[string]entry, what string) {
	if e, ok := m["format"]; ok && ds.Format.Set && !slices.Contains(Formats, ds.Format.Value) {
		d.errorf(e.value, "%s: unknown format %q (known: %s; without format:, the extension decides)", what, ds.Format.Value, strings.Join(Formats, ", "))
		return
	}
	if ds.FileFormat() != "geojson" {
		return
	}
	for _, k := range csvOnly {
		if e, ok := m[k]; ok {
			d.errorf(e.keyN, "%s: %s applies to CSV files, not to a GeoJSON dataset (remove it)", what, k)
		}
	}
	for _, c := range ds.Columns {
		if c.FromIdx > 0 {
			d.errs.Add(c.FromPos, "%s: column %q: from: %d is a CSV column position; a GeoJSON column is read from a property, by name (from: NAME)", what, c.Name, c.FromIdx)
		}
	}
}
