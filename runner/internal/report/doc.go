// Package report renders a computed analysis as one self-contained HTML
// page, and its provenance manifest as CSV.
//
// Render takes a *results.Document, the run's ordered and complete output,
// and Options (the pinned ECharts script to inline, the Galley version), and
// produces the page's bytes: the headline, the body in order (Markdown
// through goldmark with its inline values, charts with their data tables,
// tables, claims), "Data and sources" with each dataset's citation, pin and
// row counts, and "How this was computed", the analysis itself with line
// numbers and anchors that every number links to. It is a template over the
// document: it computes nothing the run has not.
//
// The page goes through html/template and nothing from a dataset or a
// citation is ever marked safe: chart options travel as JSON in a data
// attribute, CSV downloads as base64 data: links, JSON-LD through
// encoding/json. Text a spreadsheet would run as a formula is neutralised in
// every CSV (csvText). The output depends only on the Document and Options:
// no clock, no random IDs, no map order, so the same analysis and data give
// the same bytes everywhere.
//
// Sources takes the same Document and produces NAME.sources.csv (one row
// per dataset, written with gocsv from a typed struct).
package report
