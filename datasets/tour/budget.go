//go:build ignore

// Writes datasets/tour/budget-2026.xlsx, the fictional Port Galley budget
// that analyses/feature-tour.yaml reads as a spreadsheet. Port Galley
// does not exist; every number is invented. Run from the project root:
//
//	go run datasets/tour/budget.go
//
// excelize writes the same bytes on every run (no clock, no random
// names), so the pin in the analysis holds.
package main

import (
	"fmt"
	"log"
	"math"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Notes"))
	must(f.SetCellValue("Notes", "A1", "Port Galley adopted budget, 2026 (fictional)"))
	must(f.SetCellValue("Notes", "A2", "Invented for the Galley feature tour. Table 3 holds the district budgets."))
	const t = "Table 3"
	_, err := f.NewSheet(t)
	must(err)
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	must(err)
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	must(f.SetCellValue(t, "A1", "Table 3. District budgets, thousands of galleons"))
	must(f.SetCellValue(t, "A2", "Source: Port Galley finance office (fictional)"))
	must(f.SetSheetRow(t, "A4", &[]any{"District code", "District", "Adopted", "Revised", "Approved on", "Capital works"}))
	rows := []struct {
		code, name string
		adopted    float64
		revised    any // a number, its formula computed, or "n/a"
		approved   time.Time
		capital    bool
	}{
		{"BEL", "Belvédère", 2210.5, 1.03, time.Date(2025, 12, 9, 0, 0, 0, 0, time.UTC), true},
		{"CAN", "La Cañada", 1265, 1.0, time.Date(2025, 12, 9, 0, 0, 0, 0, time.UTC), false},
		{"HAR", "Harbourside", 3410.25, 1.1, time.Date(2025, 12, 16, 0, 0, 0, 0, time.UTC), true},
		{"MOL", "Vieux Môle", 880, "n/a", time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC), false},
		{"PEN", "Peñón Heights", 1530.75, 0.97, time.Date(2025, 12, 16, 0, 0, 0, 0, time.UTC), true},
		{"OLD", "Old Mill", 1460, 1.05, time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC), false},
	}
	var total float64
	for i, r := range rows {
		n := i + 5
		cell := func(col string) string { return fmt.Sprintf("%s%d", col, n) }
		must(f.SetCellValue(t, cell("A"), r.code))
		must(f.SetCellValue(t, cell("B"), r.name))
		must(f.SetCellValue(t, cell("C"), r.adopted))
		must(f.SetCellStyle(t, cell("C"), cell("D"), money))
		if k, ok := r.revised.(float64); ok {
			// A formula with the value a spreadsheet computed for it.
			must(f.SetCellValue(t, cell("D"), math.Round(r.adopted*k*100)/100))
			must(f.SetCellFormula(t, cell("D"), fmt.Sprintf("ROUND(C%d*%v,2)", n, k)))
		} else {
			must(f.SetCellValue(t, cell("D"), r.revised))
		}
		must(f.SetCellValue(t, cell("E"), r.approved))
		must(f.SetCellStyle(t, cell("E"), cell("E"), date))
		must(f.SetCellValue(t, cell("F"), r.capital))
		total += r.adopted
	}
	// A total row and a footnote below the table, as published: the
	// dataset's range leaves them out.
	must(f.SetCellValue(t, "B11", "Total"))
	must(f.SetCellValue(t, "C11", total))
	must(f.SetCellFormula(t, "C11", "SUM(C5:C10)"))
	must(f.SetCellStyle(t, "C11", "C11", money))
	must(f.SetCellValue(t, "A13", "n/a: the revision was not voted by the time of publication."))
	must(f.SaveAs("datasets/tour/budget-2026.xlsx"))
}
