// Command galley runs data-journalism analyses into checked, cited,
// self-contained HTML reports. See README.md and docs/.
package main

import (
	"os"

	"galley/runner/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
