// Package errortest checks the errors a stage reports for a test file
// against the errors the file itself expects, written beside the lines they
// are about as go/parser's tests do:
//
//	where: deths > 1  # ERROR 12 "^unknown column \"deths\" in where"
//
// says that the file must get an error at line 1 (this line), column 12,
// whose message (hint included) matches the regular expression. The column
// is optional; `# ERROR L14:7 "rx"` names another line, for a line that
// cannot hold a comment (inside a block of text). Each error must meet one
// comment and each comment one error. It is used by tests only.
package errortest
