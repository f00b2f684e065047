package geo

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/paulmach/orb"
)

// Encode writes c as GeoJSON that Read reads back to the same Collection:
// properties in their order, numbers as they were written, coordinates in
// their shortest exact form. The output depends on c alone.
func Encode(c *Collection) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, f := range c.Features {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n")
		b.WriteString(`{"type":"Feature",`)
		if f.ID != "" {
			b.WriteString(`"id":` + f.ID + `,`)
		}
		b.WriteString(`"properties":{`)
		for j, p := range f.Props {
			if j > 0 {
				b.WriteByte(',')
			}
			writeString(&b, p.Name)
			b.WriteByte(':')
			switch v := p.Value.(type) {
			case nil:
				b.WriteString("null")
			case bool:
				b.WriteString(strconv.FormatBool(v))
			case string:
				writeString(&b, v)
			case Number:
				b.WriteString(string(v))
			case Composite:
				b.WriteString(string(v))
			}
		}
		b.WriteString(`},"geometry":`)
		writeGeometry(&b, f.Geometry, formatDegrees)
		b.WriteByte('}')
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

func writeString(b *bytes.Buffer, s string) {
	out, _ := json.Marshal(s) // a string always marshals
	b.Write(out)
}

func formatDegrees(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// writeGeometry writes a Point, Polygon or MultiPolygon, each coordinate
// printed by num.
func writeGeometry(b *bytes.Buffer, g orb.Geometry, num func(float64) string) {
	point := func(p orb.Point) {
		b.WriteString("[" + num(p[0]) + "," + num(p[1]) + "]")
	}
	polygon := func(p orb.Polygon) {
		b.WriteByte('[')
		for i, ring := range p {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('[')
			for j, pt := range ring {
				if j > 0 {
					b.WriteByte(',')
				}
				point(pt)
			}
			b.WriteByte(']')
		}
		b.WriteByte(']')
	}
	switch g := g.(type) {
	case orb.Point:
		b.WriteString(`{"type":"Point","coordinates":`)
		point(g)
	case orb.Polygon:
		b.WriteString(`{"type":"Polygon","coordinates":`)
		polygon(g)
	case orb.MultiPolygon:
		b.WriteString(`{"type":"MultiPolygon","coordinates":[`)
		for i, p := range g {
			if i > 0 {
				b.WriteByte(',')
			}
			polygon(p)
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
}
