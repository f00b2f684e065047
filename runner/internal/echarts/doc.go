// Package echarts holds the ECharts build that every report inlines, so
// that the galley binary is self-contained: it runs in any folder, with
// no node_modules, and a report loads nothing from the network.
//
// It takes nothing and produces the script's bytes (Script), checked
// against the sha256 it is pinned to before they are used. The build is
// echarts 5.4.3, pinned by
// package.json and package-lock.json at the project root; `make` copies
// node_modules/echarts/dist/echarts.min.js here after `npm ci`, and a test
// keeps the copy, the lock file and the pin in step.
package echarts
