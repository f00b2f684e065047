// Package geo reads GeoJSON and draws it: the geometry behind Galley's
// maps.
//
// Read takes the bytes of a GeoJSON file (RFC 7946) and produces a
// Collection: each feature's properties (values as written, with their
// positions, for package dataset to type as columns) and its geometry, a
// Polygon, MultiPolygon or Point of longitudes and latitudes. Any other
// geometry, a ring that is not closed, a coordinate out of range (a
// projected file), JSON that does not parse or bytes that are not UTF-8 is
// an error at the file's line and column, naming the feature. Encode writes
// a Collection back as GeoJSON that Read reads to the same thing (the fuzz
// test's round trip).
//
// Projections (project.go) map longitude and latitude to a plane:
// mercator, equal_earth (Šavrič, Patterson and Jenny, 2018) and albers_usa
// (the lower 48 states on an Albers equal-area conic, Alaska and Hawaii as
// insets, placed and clipped as d3-geo's geoAlbersUsa does, the standard of
// US news maps). Choose picks one for the area a map covers. Each is tested
// against published reference values.
//
// Draw projects a Collection, fits it to a grid GridWidth units wide (about
// two to a pixel of the widest chart a report shows), simplifies every
// ring with Visvalingam–Whyatt (github.com/paulmach/orb/simplify) to a
// tolerance of a tenth of a square pixel, rounds every point to a whole
// unit and turns outer rings counter-clockwise and holes clockwise. The
// page draws that geometry as it is (ECharts' geo coordinate system with
// aspectScale 1 is a plain linear map), so the projection is computed here,
// in Go, and the options stay pure JSON. The result is the same bytes for
// the same input on any machine: nothing random, maps never iterated, and
// the rounding to whole units absorbs the last bits in which floating-point
// functions may differ. A feature too small to see keeps a one-unit mark so
// that it still draws and can be hovered.
package geo
